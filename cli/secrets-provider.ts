import { prerequisiteError, usageError } from "./exit-codes";

/**
 * Which secrets provider a stack is created with. Pulumi records a provider other than the backend's
 * default in the stack file (`secretsprovider:` with `encryptedkey:`, or `encryptionsalt:` for a
 * passphrase), and `pulumi stack init` reuses what the file records, so a committed stack file keeps
 * every machine and CI run on the same key.
 */

/** What Pulumi accepts for `--secrets-provider`. */
const SECRETS_PROVIDER = /^(default|passphrase|(awskms|azurekeyvault|gcpkms|hashivault):\/\/\S+)$/;

/** The provider a stack file records: its `secretsprovider`, or `passphrase` when it holds a salt. */
export function recordedSecretsProvider(stackFile: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof stackFile.secretsprovider === "string") {
    return stackFile.secretsprovider;
  }
  return typeof stackFile.encryptionsalt === "string" ? "passphrase" : undefined;
}

/** Refuses a `--secrets-provider` value Pulumi would not take. */
export function checkSecretsProviderOption(value: string | undefined): void {
  if (value !== undefined && !SECRETS_PROVIDER.test(value)) {
    throw usageError(
      `[--secrets-provider] "${value}" is not a secrets provider; accepted: default, passphrase, ` +
        "awskms://<key id or alias/name>?region=<region>, azurekeyvault://..., gcpkms://..., hashivault://...",
    );
  }
}

/** Refuses a `--secrets-provider` that differs from the one a stack file already records. */
export function checkRecordedProvider(
  stack: string,
  recorded: string | undefined,
  requested: string | undefined,
): void {
  if (requested !== undefined && recorded !== undefined && requested !== recorded) {
    throw usageError(
      `[--secrets-provider] Pulumi.${stack}.yaml records the secrets provider "${recorded}", not "${requested}". ` +
        `To move the stack: pulumi stack change-secrets-provider --stack ${stack} "${requested}", then commit ` +
        `Pulumi.${stack}.yaml. Nothing was changed.`,
    );
  }
}

/** Whether the backend is a Pulumi service (Pulumi Cloud or self-hosted), which manages secrets itself. */
export function isServiceBackend(url: string | undefined): boolean {
  return url === undefined || /^https?:\/\//.test(url);
}

/**
 * The provider a new stack is created with: the one asked for, else the one its file records, else the
 * service's own. A self-managed backend (S3, a folder) has no secrets service: a provider must be named.
 */
export function secretsProviderFor(
  stack: string,
  options: { readonly requested?: string; readonly recorded?: string; readonly backendUrl?: string },
  env: Readonly<Record<string, string | undefined>>,
): string {
  const provider =
    options.requested ?? options.recorded ?? (isServiceBackend(options.backendUrl) ? "default" : undefined);
  if (provider === undefined) {
    throw prerequisiteError(
      `Stack ${stack}: the self-managed backend ${options.backendUrl} has no secrets service and ` +
        `Pulumi.${stack}.yaml records no secrets provider. Name one: --secrets-provider ` +
        '"awskms://alias/<key>?region=<region>" (a KMS key; recommended) or passphrase (with ' +
        "PULUMI_CONFIG_PASSPHRASE). The stack file then records it: commit it.",
    );
  }
  if (provider === "passphrase") {
    requirePassphrase(stack, env);
  }
  return provider;
}

/** Whether the environment gives the passphrase secrets provider its passphrase. */
export function hasPassphrase(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.PULUMI_CONFIG_PASSPHRASE !== undefined || env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined;
}

/** A stack on the passphrase provider cannot be read or changed without its passphrase (exit 4). */
export function requirePassphrase(stack: string, env: Readonly<Record<string, string | undefined>>): void {
  if (!hasPassphrase(env)) {
    throw prerequisiteError(
      `Stack ${stack} uses the passphrase secrets provider: set PULUMI_CONFIG_PASSPHRASE or ` +
        "PULUMI_CONFIG_PASSPHRASE_FILE (in CI, a secret of the stack's environment).",
    );
  }
}
