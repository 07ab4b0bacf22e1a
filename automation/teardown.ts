import type { Deployment } from "@pulumi/pulumi/automation";
import { failedError } from "../cli/exit-codes";
import { cliErrorDetail } from "../cli/pulumi-cli";
import {
  DESTROY_REQUESTED_TAG,
  openReadyWorkspace,
  previewRefusal,
  previewStacks,
  PreviewToolContext,
  requirePreviewStack,
  runOperation,
  stackAgeMs,
} from "./context";
import { formatAge } from "./durations";
import { EngineEventLog } from "./engine-events";
import { clearInterruptedRun, endLock, isStackLocked, requireStale } from "./interrupted-run";
import { previewStackName } from "./pull-request";
import { requireSecretsOfState } from "./secrets";
import type { PreviewStack, PreviewWorkspace, StackSummary } from "./workspace";

/** A stack about to be destroyed: selected, its state read and its secrets provider's needs checked. */
interface OpenedStack {
  readonly summary: StackSummary;
  readonly stack: PreviewStack;
  readonly state: Deployment;
}

async function openForDestroy(
  context: PreviewToolContext,
  workspace: PreviewWorkspace,
  summary: StackSummary,
): Promise<OpenedStack> {
  const stack = await workspace.selectStack(summary.name);
  const state = await stack.exportStack();
  requireSecretsOfState(summary.name, state, context.env);
  return { summary, stack, state };
}

/**
 * Destroys every resource of a stack, then removes the stack; never removes a stack that still has
 * resources. What a killed run left (a lock, pending operations) is cleared first, once stale.
 */
async function destroyAndRemove(
  context: PreviewToolContext,
  workspace: PreviewWorkspace,
  { summary, stack, state }: OpenedStack,
): Promise<void> {
  const now = context.now();
  for (const line of await clearInterruptedRun(stack, summary, now, state)) {
    context.print(line);
  }
  const log = new EngineEventLog(context.print);
  const options = { onEvent: log.onEvent, color: "never" as const };
  context.print(`pulumi destroy of ${summary.name}`);
  await runOperation({ command: "destroy", stack: summary.name }, log, async () => {
    try {
      return await stack.destroy(options);
    } catch (error) {
      if (!isStackLocked(error)) {
        throw error;
      }
      // Locked without pending operations: a run killed between two steps, or one still going.
      requireStale(summary, now, "is locked");
      (await endLock(stack)).forEach((line) => context.print(line));
      return stack.destroy(options);
    }
  });
  await workspace.removeStack(summary.name);
  context.print(`destroyed ${summary.name} and removed the stack`);
}

/**
 * Destroys the preview environment of a pull request and removes its stack. No stack: nothing to do.
 * The stack is first tagged as to be destroyed, so a destroy that fails (or a run that is killed) is
 * retried by the next `gc`, whatever the stack's age.
 */
export async function destroyPreview(
  context: PreviewToolContext,
  request: { readonly pullRequest: number },
): Promise<void> {
  const { workspace } = await openReadyWorkspace(context, { aws: true });
  const existing = previewStacks(await workspace.listStacks()).find(
    (stack) => stack.pullRequest === request.pullRequest,
  );
  if (existing === undefined) {
    context.print(`no stack ${previewStackName(request.pullRequest)}: nothing to destroy`);
    return;
  }
  await requirePreviewStack(workspace, existing.summary.name, request.pullRequest);
  const opened = await openForDestroy(context, workspace, existing.summary);
  await workspace.setTag(existing.summary.name, DESTROY_REQUESTED_TAG, context.now().toISOString());
  await destroyAndRemove(context, workspace, opened);
}

export interface GcSelection {
  readonly expired: readonly {
    readonly summary: StackSummary;
    readonly pullRequest: number;
    /** Why: `last updated 3d ago`, or `destroy requested at <time>`. */
    readonly reason: string;
  }[];
  readonly kept: readonly { readonly name: string; readonly ageMs: number }[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Which preview stacks gc destroys: those whose destroy was requested (a failed or interrupted
 * `destroy`), and those whose last update is more than `olderThanMs` ago. A stack being updated right
 * now, or without a last-update time, is left alone and reported. Other stacks (dev, prod, anything not
 * `pr-<n>`) are not considered at all. `tags` holds the stack tags of the preview stacks.
 */
export function selectExpired(
  stacks: readonly StackSummary[],
  now: Date,
  olderThanMs: number,
  tags: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map(),
): GcSelection {
  const expired: GcSelection["expired"][number][] = [];
  const kept: GcSelection["kept"][number][] = [];
  const skipped: GcSelection["skipped"][number][] = [];
  for (const { summary, pullRequest } of previewStacks(stacks)) {
    const ageMs = stackAgeMs(summary, now);
    const destroyRequested = tags.get(summary.name)?.[DESTROY_REQUESTED_TAG];
    if (summary.updateInProgress === true) {
      skipped.push({ name: summary.name, reason: "an update is in progress" });
    } else if (destroyRequested !== undefined) {
      expired.push({ summary, pullRequest, reason: `destroy requested at ${destroyRequested}` });
    } else if (ageMs === undefined) {
      skipped.push({ name: summary.name, reason: "the backend reports no last update time" });
    } else if (ageMs > olderThanMs) {
      expired.push({ summary, pullRequest, reason: `last updated ${formatAge(ageMs)} ago` });
    } else {
      kept.push({ name: summary.name, ageMs });
    }
  }
  return { expired, kept, skipped };
}

/**
 * Destroys the preview environments not updated for longer than `olderThanMs` (their time to live) and
 * those whose destroy failed before. One failure does not stop the others; any failure makes the whole
 * run fail at the end.
 */
export async function gcPreviews(
  context: PreviewToolContext,
  request: { readonly olderThanMs: number; readonly dryRun: boolean },
): Promise<GcSelection> {
  const { workspace } = await openReadyWorkspace(context, { aws: !request.dryRun });
  const stacks = await workspace.listStacks();
  const tags = new Map<string, Readonly<Record<string, string>>>();
  const failed: string[] = [];
  for (const { summary } of previewStacks(stacks)) {
    try {
      tags.set(summary.name, await workspace.listTags(summary.name));
    } catch (error) {
      // Unreadable tags: neither its expiry nor whether the tool made it can be known; counted as failed.
      context.print(`failed ${summary.name}: ${cliErrorDetail(error)}`);
      failed.push(summary.name);
    }
  }
  const readable = stacks.filter((summary) => !failed.includes(summary.name));
  const selection = selectExpired(readable, context.now(), request.olderThanMs, tags);
  for (const stack of selection.kept) {
    context.print(`keep ${stack.name}: last updated ${formatAge(stack.ageMs)} ago`);
  }
  for (const stack of selection.skipped) {
    context.print(`skip ${stack.name}: ${stack.reason}`);
  }
  const considered = failed.length + selection.expired.length;
  for (const stack of selection.expired) {
    if (!(await collectOne(context, workspace, stack, tags.get(stack.summary.name) ?? {}, request.dryRun))) {
      failed.push(stack.summary.name);
    }
  }
  if (failed.length > 0) {
    throw failedError(
      `gc: ${failed.length} of ${considered} expired previews were not destroyed: ${failed.join(", ")}`,
    );
  }
  return selection;
}

/** Destroys one expired preview (or says it would); false when it failed. A stack not ours is skipped. */
async function collectOne(
  context: PreviewToolContext,
  workspace: PreviewWorkspace,
  stack: GcSelection["expired"][number],
  tags: Readonly<Record<string, string>>,
  dryRun: boolean,
): Promise<boolean> {
  const { name } = stack.summary;
  const refusal = previewRefusal(name, stack.pullRequest, tags);
  if (refusal !== undefined) {
    // Not created by the tool: reported, never destroyed, and no failure of the nightly run.
    context.print(`skip ${name}: ${refusal}`);
    return true;
  }
  if (dryRun) {
    context.print(`would destroy ${name}: ${stack.reason}`);
    return true;
  }
  context.print(`destroy ${name}: ${stack.reason}`);
  try {
    await destroyAndRemove(context, workspace, await openForDestroy(context, workspace, stack.summary));
    return true;
  } catch (error) {
    context.print(`failed ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
