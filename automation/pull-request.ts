import { usageError } from "../cli/exit-codes";

/** Every preview stack is named `pr-<number>`; nothing else is ever touched by the tool. */
export const PREVIEW_STACK_PREFIX = "pr-";

/**
 * Reads a pull request number as a user or CI passes it (`12`, `#12`, ` 012 `) and returns it as a
 * positive integer; anything else is refused before a stack name is built from it, so no text from
 * the command line ever reaches the Pulumi CLI as a stack name.
 */
export function parsePullRequestNumber(raw: string | undefined): number {
  const text = (raw ?? "").trim();
  const digits = /^#?(\d{1,15})$/.exec(text)?.[1];
  const value = digits === undefined ? NaN : Number(digits);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw usageError(
      `[--pr] must be a pull request number: a positive integer such as 12 or #12; got ${JSON.stringify(raw ?? "")}`,
    );
  }
  return value;
}

/** `pr-12`: the stack of pull request 12. */
export function previewStackName(pullRequest: number): string {
  return `${PREVIEW_STACK_PREFIX}${pullRequest}`;
}

/**
 * The pull request of a preview stack name, or undefined for any other stack. Accepts the fully
 * qualified form the Pulumi Cloud may list (`org/project/pr-12`).
 */
export function pullRequestOfStack(stackName: string): number | undefined {
  const match = /^(?:[^/]+\/){0,2}pr-([1-9]\d{0,14})$/.exec(stackName);
  return match === null ? undefined : Number(match[1]);
}
