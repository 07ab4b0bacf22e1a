import { failedError } from "../cli/exit-codes";
import { cliErrorDetail } from "../cli/pulumi-cli";
import {
  notOurPreview,
  openReadyWorkspace,
  previewStacks,
  PreviewToolContext,
  requirePreviewStack,
  runOperation,
} from "./context";
import { formatAge } from "./durations";
import { EngineEventLog } from "./engine-events";
import { previewStackName } from "./pull-request";
import type { PreviewWorkspace, StackSummary } from "./workspace";

/** Destroys every resource of a stack, then removes the stack; never removes a stack that still has resources. */
async function destroyAndRemove(
  context: PreviewToolContext,
  workspace: PreviewWorkspace,
  stackName: string,
): Promise<void> {
  const stack = await workspace.selectStack(stackName);
  const log = new EngineEventLog(context.print);
  context.print(`pulumi destroy of ${stackName}`);
  await runOperation({ command: "destroy", stack: stackName }, log, () =>
    stack.destroy({ onEvent: log.onEvent, color: "never" }),
  );
  await workspace.removeStack(stackName);
  context.print(`destroyed ${stackName} and removed the stack`);
}

/** Destroys the preview environment of a pull request and removes its stack. No stack: nothing to do. */
export async function destroyPreview(
  context: PreviewToolContext,
  request: { readonly pullRequest: number },
): Promise<void> {
  const workspace = await openReadyWorkspace(context, { aws: true });
  const existing = previewStacks(await workspace.listStacks()).find(
    (stack) => stack.pullRequest === request.pullRequest,
  );
  if (existing === undefined) {
    context.print(`no stack ${previewStackName(request.pullRequest)}: nothing to destroy`);
    return;
  }
  await requirePreviewStack(workspace, existing.summary.name, request.pullRequest);
  await destroyAndRemove(context, workspace, existing.summary.name);
}

/** Milliseconds since the stack's last update, or undefined when the backend gives no usable time. */
export function stackAgeMs(summary: StackSummary, now: Date): number | undefined {
  const lastUpdate = summary.lastUpdate === undefined ? NaN : Date.parse(summary.lastUpdate);
  return Number.isNaN(lastUpdate) ? undefined : now.getTime() - lastUpdate;
}

export interface GcSelection {
  readonly expired: readonly {
    readonly name: string;
    readonly pullRequest: number;
    readonly ageMs: number;
  }[];
  readonly kept: readonly { readonly name: string; readonly ageMs: number }[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Which preview stacks gc destroys: those whose last update is more than `olderThanMs` ago. A stack
 * being updated right now, or without a last-update time, is left alone and reported. Other stacks
 * (dev, prod, anything not `pr-<n>`) are not considered at all.
 */
export function selectExpired(stacks: readonly StackSummary[], now: Date, olderThanMs: number): GcSelection {
  const expired: GcSelection["expired"][number][] = [];
  const kept: GcSelection["kept"][number][] = [];
  const skipped: GcSelection["skipped"][number][] = [];
  for (const { summary, pullRequest } of previewStacks(stacks)) {
    const ageMs = stackAgeMs(summary, now);
    if (summary.updateInProgress === true) {
      skipped.push({ name: summary.name, reason: "an update is in progress" });
    } else if (ageMs === undefined) {
      skipped.push({ name: summary.name, reason: "the backend reports no last update time" });
    } else if (ageMs > olderThanMs) {
      expired.push({ name: summary.name, pullRequest, ageMs });
    } else {
      kept.push({ name: summary.name, ageMs });
    }
  }
  return { expired, kept, skipped };
}

/**
 * Destroys the preview environments not updated for longer than `olderThanMs` (their time to live).
 * One failure does not stop the others; any failure makes the whole run fail at the end.
 */
export async function gcPreviews(
  context: PreviewToolContext,
  request: { readonly olderThanMs: number; readonly dryRun: boolean },
): Promise<GcSelection> {
  const workspace = await openReadyWorkspace(context, { aws: !request.dryRun });
  const selection = selectExpired(await workspace.listStacks(), context.now(), request.olderThanMs);
  for (const stack of selection.kept) {
    context.print(`keep ${stack.name}: last updated ${formatAge(stack.ageMs)} ago`);
  }
  for (const stack of selection.skipped) {
    context.print(`skip ${stack.name}: ${stack.reason}`);
  }
  const failed: string[] = [];
  for (const stack of selection.expired) {
    if (!(await collectOne(context, workspace, stack, request.dryRun))) {
      failed.push(stack.name);
    }
  }
  if (failed.length > 0) {
    throw failedError(
      `gc: ${failed.length} of ${selection.expired.length} expired previews were not destroyed: ${failed.join(", ")}`,
    );
  }
  return selection;
}

/** Destroys one expired preview (or says it would); false when it failed. A stack not ours is skipped. */
async function collectOne(
  context: PreviewToolContext,
  workspace: PreviewWorkspace,
  stack: GcSelection["expired"][number],
  dryRun: boolean,
): Promise<boolean> {
  let refusal: string | undefined;
  try {
    refusal = await notOurPreview(workspace, stack.name, stack.pullRequest);
  } catch (error) {
    context.print(`failed ${stack.name}: ${cliErrorDetail(error)}`);
    return false;
  }
  if (refusal !== undefined) {
    // Not created by the tool: reported, never destroyed, and no failure of the nightly run.
    context.print(`skip ${stack.name}: ${refusal}`);
    return true;
  }
  const age = `last updated ${formatAge(stack.ageMs)} ago`;
  if (dryRun) {
    context.print(`would destroy ${stack.name}: ${age}`);
    return true;
  }
  context.print(`destroy ${stack.name}: ${age}`);
  try {
    await destroyAndRemove(context, workspace, stack.name);
    return true;
  } catch (error) {
    context.print(`failed ${stack.name}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
