import type { Deployment } from "@pulumi/pulumi/automation";
import { failedError } from "../cli/exit-codes";
import { cliErrorDetail } from "../cli/pulumi-cli";
import { stackAgeMs } from "./context";
import { formatAge } from "./durations";
import { PreviewStack, StackLockedError, StackSummary } from "./workspace";

/**
 * A run killed mid-operation (a cancelled or timed-out workflow job, a closed laptop) leaves its stack
 * with pending operations in the state and locked: a lock file on a self-managed backend, an update
 * still "in progress" on Pulumi Cloud. Before destroying such a stack the tool ends the lock and clears
 * the pending operations, once it is sure no run still holds them: nothing has written to the stack for
 * longer than STALE_AFTER_MS.
 */

/**
 * No run of the preview workflow lasts this long (its job stops after 90 minutes, timeout-minutes in
 * .github/workflows/preview.yml): a lock or pending operation older than this was left by a killed run.
 */
export const STALE_AFTER_MS = 2 * 3_600_000;

export interface PendingOperation {
  /** `creating`, `updating`, `deleting`, `reading`, `importing`. */
  readonly type: string;
  readonly urn: string;
}

/** The pending operations a stack's state records. */
export function pendingOperationsOf(state: Deployment): PendingOperation[] {
  const operations = (state.deployment as { pending_operations?: unknown } | undefined)?.pending_operations;
  if (!Array.isArray(operations)) {
    return [];
  }
  return operations.map((operation: { type?: unknown; resource?: { urn?: unknown } }) => ({
    type: String(operation.type),
    urn: String(operation.resource?.urn),
  }));
}

/** Whether a Pulumi call failed because the stack is locked or being updated. */
export function isStackLocked(error: unknown): boolean {
  return error instanceof StackLockedError;
}

/** Refuses (exit 1) to break into a stack a run may still be working on; says when it can be done. */
export function requireStale(summary: StackSummary, now: Date, what: string): void {
  const ageMs = stackAgeMs(summary, now);
  if (ageMs === undefined || ageMs < STALE_AFTER_MS) {
    const age = ageMs === undefined ? "at an unknown time" : `${formatAge(ageMs)} ago`;
    throw failedError(
      `Stack ${summary.name} ${what}, and was last written ${age}: a run may still be working on it, so it ` +
        `was left alone. Once nothing has written to it for ${formatAge(STALE_AFTER_MS)}, the next scheduled ` +
        `run (gc) clears it and destroys the stack. If no run is going: pulumi cancel --stack ${summary.name}, ` +
        "then destroy again.",
    );
  }
}

/**
 * Ends what a killed run left on a stack before it is destroyed: the open update or lock (`pulumi cancel`)
 * and the pending operations (the state imported again without them). A pending create may have made a
 * resource the state never recorded: it is named, and the sweep finds it by its tags once the stack is
 * gone. Returns the lines to print.
 */
export async function clearInterruptedRun(
  stack: PreviewStack,
  summary: StackSummary,
  now: Date,
  state: Deployment,
): Promise<string[]> {
  const pending = pendingOperationsOf(state);
  if (pending.length === 0 && summary.updateInProgress !== true) {
    return [];
  }
  const what =
    pending.length > 0
      ? `has ${pending.length} pending operation${pending.length === 1 ? "" : "s"} from an interrupted run`
      : "has an update in progress";
  requireStale(summary, now, what);
  const cancelled = await endLock(stack);
  if (pending.length > 0) {
    await stack.importStack(state);
  }
  return [
    ...cancelled,
    `${summary.name} ${what}: cleared`,
    ...pending.map((operation) => `  interrupted while ${operation.type}: ${operation.urn}`),
    ...(pending.some((operation) => operation.type === "creating")
      ? [
          "  a resource interrupted while creating may exist in AWS without being in the state: once the " +
            "stack is gone, npm run pr-env -- sweep finds it by its PullRequest and ExpiresAt tags",
        ]
      : []),
  ];
}

/**
 * `pulumi cancel`: removes a self-managed backend's lock files (nothing to do is no error there) or ends
 * the update a killed run left open on Pulumi Cloud, which answers with an error when none is open: that
 * is no reason to stop, and the operation that follows says so if the stack is still locked.
 */
export async function endLock(stack: PreviewStack): Promise<string[]> {
  try {
    await stack.cancel();
    return [`${stack.name}: ended the lock or update a killed run left (pulumi cancel)`];
  } catch (error) {
    return [`${stack.name}: pulumi cancel found nothing to end (${cliErrorDetail(error)})`];
  }
}
