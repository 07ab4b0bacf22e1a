/**
 * What the preview tool's exit code tells a CI job. Every failure the tool detects itself is one of
 * these errors; anything else (a failed Pulumi operation, an unexpected error) exits with
 * `operationFailed`.
 */
export const EXIT_CODES = {
  /** Done: the environment is up, destroyed, listed or collected. */
  ok: 0,
  /** A Pulumi operation failed (resource error, engine error, concurrent update) or some gc destroys failed. */
  operationFailed: 1,
  /** The command line is wrong (unknown command or flag, invalid PR number or duration). Nothing was changed. */
  usage: 2,
  /**
   * A mandatory policy stopped the deployment. At preview nothing was changed; during `up` (a policy
   * that could only judge values known once a resource exists), resources changed before the
   * violation keep their new state. The message says which.
   */
  policyViolation: 3,
  /** Something the tool needs is missing: the Pulumi CLI, a Pulumi login, AWS credentials, the policy pack. Nothing was changed. */
  prerequisiteMissing: 4,
  /** The stack exists but is not a preview environment of that pull request; the tool refused to touch it. */
  refused: 5,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** An error the tool reports as one clear message and a specific exit code (no stack trace). */
export class PreviewToolError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "PreviewToolError";
  }
}

export const usageError = (message: string) => new PreviewToolError(message, EXIT_CODES.usage);
export const prerequisiteError = (message: string) =>
  new PreviewToolError(message, EXIT_CODES.prerequisiteMissing);
export const refusedError = (message: string) => new PreviewToolError(message, EXIT_CODES.refused);
export const policyViolationError = (message: string) =>
  new PreviewToolError(message, EXIT_CODES.policyViolation);
export const operationError = (message: string) => new PreviewToolError(message, EXIT_CODES.operationFailed);
