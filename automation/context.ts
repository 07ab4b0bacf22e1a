import type { LakehouseConfig } from "../config/stack-config";
import type { AwsSweeper } from "./aws-sweeper";
import { EngineEventLog } from "./engine-events";
import { cliErrorDetail, requireBackendLogin } from "../cli/pulumi-cli";
import { failedError, refusedError } from "../cli/exit-codes";
import { pullRequestOfStack } from "./pull-request";
import type { PreviewWorkspace, StackSummary } from "./workspace";

/** Everything the commands touch outside their own logic; tests pass fakes. */
export interface PreviewToolContext {
  /** Opens the workspace; fails with a prerequisite error when there is no usable Pulumi CLI. */
  readonly openWorkspace: () => Promise<PreviewWorkspace>;
  /** dev's validated configuration, which every preview is derived from. */
  readonly devConfig: () => LakehouseConfig;
  /** Fails with a prerequisite error when no AWS credentials can be found. */
  readonly checkAwsCredentials: () => Promise<void>;
  readonly now: () => Date;
  readonly print: (line: string) => void;
  readonly fileExists: (path: string) => boolean;
  readonly writeFile: (path: string, text: string) => void;
  /** The environment the Pulumi CLI gets (the passphrase of a passphrase secrets provider). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** AWS for the sweep, with dev's AWS settings (previews run in dev's account and region). */
  readonly awsSweeper: () => AwsSweeper;
}

/** Stack tag set on every stack the tool creates: the pull request number. Kept by the backend. */
export const PULL_REQUEST_TAG = "lakehouse:preview-pull-request";
/** Stack tag with the expiry written into the resources' tags, shown by `list`. */
export const EXPIRES_AT_TAG = "lakehouse:preview-expires-at";
/**
 * Stack tag set by `destroy` before it destroys anything (the time, UTC): if the destroy fails or the run
 * is killed, the next `gc` destroys the stack whatever its age. `up` removes it (a reopened pull request).
 */
export const DESTROY_REQUESTED_TAG = "lakehouse:preview-destroy-requested";

/**
 * The workspace after the checks every command needs, in the order a user fixes them: the Pulumi CLI,
 * a backend login, and (for commands that change AWS) AWS credentials. Nothing has changed yet.
 */
export async function openReadyWorkspace(
  context: PreviewToolContext,
  needs: { readonly aws: boolean },
): Promise<{ readonly workspace: PreviewWorkspace; readonly backendUrl?: string }> {
  const workspace = await context.openWorkspace();
  const { url } = await requireBackendLogin(() => workspace.whoAmI());
  if (needs.aws) {
    await context.checkAwsCredentials();
  }
  return url === undefined ? { workspace } : { workspace, backendUrl: url };
}

/** Milliseconds since the stack was last written, or undefined when the backend gives no usable time. */
export function stackAgeMs(summary: StackSummary, now: Date): number | undefined {
  const lastUpdate = summary.lastUpdate === undefined ? NaN : Date.parse(summary.lastUpdate);
  return Number.isNaN(lastUpdate) ? undefined : now.getTime() - lastUpdate;
}

/** The preview stacks among a project's stacks (`pr-<n>`), with their pull request. */
export function previewStacks(
  stacks: readonly StackSummary[],
): { readonly summary: StackSummary; readonly pullRequest: number }[] {
  return stacks.flatMap((summary) => {
    const pullRequest = pullRequestOfStack(summary.name);
    return pullRequest === undefined ? [] : [{ summary, pullRequest }];
  });
}

/**
 * Why the tool refuses to touch a stack, given its tags, or undefined when it created the stack for this
 * pull request: a stack someone named `pr-12` by hand may hold data, and destroying it would lose that data.
 */
export function previewRefusal(
  stackName: string,
  pullRequest: number,
  tags: Readonly<Record<string, string>>,
): string | undefined {
  const tagged = tags[PULL_REQUEST_TAG];
  if (tagged === String(pullRequest)) {
    return undefined;
  }
  return (
    `Stack ${stackName} is not the preview environment of pull request #${pullRequest}: its stack tag ` +
    `${PULL_REQUEST_TAG} is ${tagged === undefined ? "missing" : JSON.stringify(tagged)}. The tool only ` +
    "changes stacks it created; inspect that stack and remove it by hand if nobody needs it."
  );
}

/** Refuses (exit 3) to touch a stack the tool did not create for this pull request. */
export async function requirePreviewStack(
  workspace: PreviewWorkspace,
  stackName: string,
  pullRequest: number,
): Promise<void> {
  const refusal = previewRefusal(stackName, pullRequest, await workspace.listTags(stackName));
  if (refusal !== undefined) {
    throw refusedError(refusal);
  }
}

/**
 * Runs one engine operation; a failure becomes a policy violation (exit 3) when a mandatory policy
 * reported one, and an operation failure (exit 1) otherwise.
 */
export async function runOperation<T>(
  what: { readonly command: "preview" | "up" | "destroy"; readonly stack: string },
  log: EngineEventLog,
  operation: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await operation();
  } catch (error) {
    if (log.mandatoryViolations.length === 0) {
      throw failedError(`pulumi ${what.command} of ${what.stack} failed: ${cliErrorDetail(error)}`);
    }
    throw mandatoryViolation(what, log);
  }
  if (log.mandatoryViolations.length > 0) {
    throw mandatoryViolation(what, log);
  }
  return result;
}

function mandatoryViolation(
  what: { readonly command: "preview" | "up" | "destroy"; readonly stack: string },
  log: EngineEventLog,
): Error {
  const consequence =
    what.command === "preview"
      ? "nothing was changed"
      : "resources changed before the violation keep their new state";
  return refusedError(
    `Mandatory policies stopped pulumi ${what.command} of ${what.stack} (${consequence}):\n` +
      log.mandatoryViolations.map((violation) => `  - ${violation}`).join("\n"),
  );
}
