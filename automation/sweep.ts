import { failedError } from "../cli/exit-codes";
import { PROJECT_NAME } from "../config/load";
import { openReadyWorkspace, previewStacks, PreviewToolContext } from "./context";
import { SWEPT_TYPES, SweptType, TaggedResource } from "./aws-sweeper";
import { pullRequestOfStack } from "./pull-request";

/**
 * The sweep: AWS resources a preview environment left behind after its stack was gone (a destroy that
 * failed half-way and a stack removed by hand, a create interrupted by a killed run, a lost state),
 * found by the tags every preview resource carries (`Project`, `Environment: preview`, `Stack`,
 * `PullRequest`, `ExpiresAt`; components/lakehouse.ts). A dry run by default; `--delete` deletes.
 *
 * What it may delete, and only when every condition holds: the resource is tagged as this project's,
 * `Environment` is `preview`, its `Stack` is the `pr-<n>` of its `PullRequest`, that stack no longer
 * exists in the backend, its `ExpiresAt` has passed, and it is of a type in SWEPT_TYPES. Everything
 * else that matches the project's preview tags but not those conditions is reported for a person.
 */

export type Verdict =
  | {
      readonly kind: "delete";
      readonly resource: TaggedResource;
      readonly type: SweptType;
      readonly why: string;
    }
  | { readonly kind: "report"; readonly resource: TaggedResource; readonly why: string }
  | { readonly kind: "keep"; readonly resource: TaggedResource; readonly why: string }
  /** Its stack exists: the stack's own destroy (or gc) removes it. Counted, not listed. */
  | { readonly kind: "live"; readonly resource: TaggedResource; readonly why: string };

/** `s3:bucket`, `kms:key`, `logs:log-group`, `glue:job`, ...: the service and resource type of an ARN. */
export function resourceTypeOf(arn: string): string {
  const [, , service = "", , , ...rest] = arn.split(":");
  const resource = rest.join(":");
  if (service === "s3") {
    return resource.includes("/") ? "s3:object" : "s3:bucket";
  }
  return `${service}:${resource.split(/[/:]/)[0]}`;
}

/** The verdict on one resource tagged as a preview of this project (see the module comment). */
export function judge(resource: TaggedResource, livePullRequests: ReadonlySet<number>, now: Date): Verdict {
  const { Stack: stack, PullRequest: pullRequest, ExpiresAt: expiresAt } = resource.tags;
  const pr = stack === undefined ? undefined : pullRequestOfStack(stack);
  if (pr === undefined || String(pr) !== pullRequest) {
    return {
      kind: "report",
      resource,
      why: `its tags disagree (Stack ${stack}, PullRequest ${pullRequest})`,
    };
  }
  if (livePullRequests.has(pr)) {
    return { kind: "live", resource, why: `stack ${stack} exists` };
  }
  const expiry = expiresAt === undefined ? NaN : Date.parse(expiresAt);
  if (Number.isNaN(expiry)) {
    return {
      kind: "report",
      resource,
      why: `stack ${stack} is gone, but ExpiresAt is ${JSON.stringify(expiresAt)}`,
    };
  }
  if (expiry > now.getTime()) {
    return { kind: "keep", resource, why: `stack ${stack} is gone; it expires at ${expiresAt}` };
  }
  const type = resourceTypeOf(resource.arn);
  const why = `stack ${stack} is gone, expired ${expiresAt}`;
  return (SWEPT_TYPES as readonly string[]).includes(type)
    ? { kind: "delete", resource, type: type as SweptType, why }
    : { kind: "report", resource, why: `${why}; the sweep does not delete ${type}: delete it by hand` };
}

/**
 * `sweep [--delete]`: finds what previews left behind; deletes what it may with `--delete`, otherwise
 * says what it would. Fails (exit 1) when a deletion failed; resources left for a person are reported.
 */
export async function sweepLeftovers(
  context: PreviewToolContext,
  request: { readonly delete: boolean },
): Promise<Verdict[]> {
  const { workspace } = await openReadyWorkspace(context, { aws: true });
  const live = new Set(previewStacks(await workspace.listStacks()).map((stack) => stack.pullRequest));
  const now = context.now();
  const verdicts = (await context.awsSweeper().findPreviewResources(PROJECT_NAME)).map((r) =>
    judge(r, live, now),
  );
  const toDelete = verdicts
    .filter((v): v is Extract<Verdict, { kind: "delete" }> => v.kind === "delete")
    .sort((a, b) => SWEPT_TYPES.indexOf(a.type) - SWEPT_TYPES.indexOf(b.type));
  for (const verdict of verdicts.filter((v) => v.kind === "keep" || v.kind === "report")) {
    context.print(
      `${verdict.kind === "keep" ? "keep" : "left for a person"}: ${verdict.resource.arn} (${verdict.why})`,
    );
  }
  const failed: string[] = [];
  for (const verdict of toDelete) {
    if (!request.delete) {
      context.print(`would delete ${verdict.type} ${verdict.resource.arn} (${verdict.why})`);
      continue;
    }
    try {
      const done = await context.awsSweeper().deleteResource(verdict.resource, verdict.type);
      context.print(`${verdict.type} ${verdict.resource.arn}: ${done} (${verdict.why})`);
    } catch (error) {
      failed.push(verdict.resource.arn);
      context.print(
        `failed ${verdict.resource.arn}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const count = (kind: Verdict["kind"]) => verdicts.filter((v) => v.kind === kind).length;
  context.print(
    `sweep: ${toDelete.length} left behind by previews whose stack is gone` +
      (request.delete
        ? `, ${toDelete.length - failed.length} deleted`
        : " (dry run: nothing deleted; --delete deletes)") +
      `, ${count("report")} left for a person, ${count("keep")} not expired yet, ${count("live")} of existing previews`,
  );
  if (failed.length > 0) {
    throw failedError(`sweep: ${failed.length} of ${toDelete.length} deletions failed: ${failed.join(", ")}`);
  }
  return verdicts;
}
