import { PulumiCommand } from "@pulumi/pulumi/automation";
import { prerequisiteError } from "./exit-codes";

/**
 * What the project's Pulumi tools (`npm run stacks`, `npm run pr-env`, the everyday stack scripts) share
 * about the Pulumi CLI: finding it, checking its version, the backend login, and reading its errors.
 */

/**
 * The oldest Pulumi CLI the tools accept: from 3.211.0 every backend (Pulumi Cloud and self-managed)
 * keeps stack tags, which the preview environment tool relies on to recognise the stacks it created.
 */
export const MIN_PULUMI_CLI_VERSION = "3.211.0";

const INSTALL_HINT =
  "Install it: curl -fsSL https://get.pulumi.com | sh (Linux, macOS), brew install pulumi/tap/pulumi, " +
  "or the pulumi/actions step in GitHub Actions; then check it with: pulumi version";

/**
 * Finds the Pulumi CLI the Automation API drives (`pulumi` on PATH, or `<root>/bin/pulumi`) and checks
 * its version; both failures become one clear message (exit 4) saying how to install it.
 */
export async function findPulumiCli(root?: string): Promise<PulumiCommand> {
  const where = root === undefined ? "pulumi on PATH" : `${root}/bin/pulumi`;
  let command: PulumiCommand;
  try {
    command = await PulumiCommand.get(root === undefined ? {} : { root });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes("ENOENT")) {
      throw prerequisiteError(
        `No Pulumi CLI found (looked for ${where}). The project's Pulumi tools run it through the Automation ` +
          `API, which needs the CLI (${MIN_PULUMI_CLI_VERSION} or newer). ${INSTALL_HINT}`,
      );
    }
    throw prerequisiteError(`The Pulumi CLI (${where}) cannot be used: ${message.trim()}. ${INSTALL_HINT}`);
  }
  const version = command.version;
  if (version !== null && version.compare(MIN_PULUMI_CLI_VERSION) < 0) {
    throw prerequisiteError(
      `Pulumi CLI ${version.version} is too old: the project's Pulumi tools need ${MIN_PULUMI_CLI_VERSION} or ` +
        `newer (stack tags on every backend). ${INSTALL_HINT}`,
    );
  }
  return command;
}

/** `pulumi whoami` of a workspace; no login is a missing prerequisite (exit 4) saying how to log in. */
export async function requireBackendLogin<T>(whoAmI: () => Promise<T>): Promise<T> {
  try {
    return await whoAmI();
  } catch (error) {
    throw prerequisiteError(
      `No Pulumi backend login ("pulumi whoami" failed: ${cliErrorDetail(error)}). Log in first: set ` +
        "PULUMI_ACCESS_TOKEN for Pulumi Cloud (in GitHub Actions, pulumi/auth-actions exchanges the job's " +
        "OIDC token for one), or PULUMI_BACKEND_URL for a self-managed backend (e.g. s3://my-state-bucket), " +
        'or run "pulumi login".',
    );
  }
}

/**
 * The useful line of a failed Pulumi CLI call: the Automation API's CommandError message carries the
 * whole stdout and stderr; the first `error:` line is the cause.
 */
export function cliErrorDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = /(?:^|\s)error: (.+)/.exec(message)?.[1];
  const firstLine = message.split("\n").find((line) => line.trim() !== "");
  return (cause ?? firstLine ?? "no message").trim();
}
