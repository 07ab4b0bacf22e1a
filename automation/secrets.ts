import type { Deployment } from "@pulumi/pulumi/automation";
import { prerequisiteError } from "../cli/exit-codes";
import { hasPassphrase, isServiceBackend, requirePassphrase } from "../cli/secrets-provider";

/**
 * What a preview stack's secrets provider needs, checked before anything changes. A Pulumi service
 * (Pulumi Cloud, self-hosted) keeps secrets itself; a self-managed backend (`s3://`, `file://`) has no
 * secrets service, so a new stack needs a provider named with `--secrets-provider` (a KMS key) or the
 * passphrase provider with its passphrase in the environment. An existing stack keeps the provider its
 * state records (the tool sets PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER, local-workspace.ts); a
 * passphrase one needs its passphrase for every operation.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** The secrets provider a new preview stack is created with; undefined: the backend's own (a service). */
export function newStackSecretsProvider(
  stack: string,
  options: { readonly requested?: string; readonly backendUrl?: string },
  env: Environment,
): string | undefined {
  const provider =
    options.requested ??
    (isServiceBackend(options.backendUrl) ? "default" : hasPassphrase(env) ? "passphrase" : undefined);
  if (provider === undefined) {
    throw prerequisiteError(
      `Stack ${stack}: the self-managed backend ${options.backendUrl} has no secrets service. Name a secrets ` +
        'provider: --secrets-provider "awskms://alias/<key>?region=<region>" (a KMS key; recommended), or ' +
        "set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase provider. " +
        "Nothing was changed.",
    );
  }
  if (provider === "passphrase") {
    requirePassphrase(stack, env);
  }
  return provider === "default" ? undefined : provider;
}

/** The type of secrets provider a stack's state records (`passphrase`, `cloud`, `service`), if any. */
export function recordedSecretsProviderType(state: Deployment): string | undefined {
  const type = (state.deployment as { secrets_providers?: { type?: unknown } } | undefined)?.secrets_providers
    ?.type;
  return typeof type === "string" ? type : undefined;
}

/** An existing stack whose state records the passphrase provider needs the passphrase (exit 4). */
export function requireSecretsOfState(stack: string, state: Deployment, env: Environment): void {
  if (recordedSecretsProviderType(state) === "passphrase") {
    requirePassphrase(stack, env);
  }
}
