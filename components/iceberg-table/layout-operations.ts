import { formatRefusal } from "./evolution-planner";
import { glueIcebergUpdateRequest, updateActions } from "./glue-iceberg-update";
import { planLayoutChange } from "./layout-planner";
import { LiveTable } from "./live-table";
import { readLiveTable } from "./live-table-reader";
import { layoutChangeLines } from "./plan-report";
import { IcebergTableSpec } from "./spec";
import { OperationContext } from "./operation-context";

/**
 * Applies a table's declared partition spec and sort order through Glue's UpdateTable Iceberg update,
 * after the Athena DDL: re-reads the live table (its columns now have field ids), plans from that,
 * sends one request, then reads the table again to prove the change is there. A request whose answer
 * was lost, or an update interrupted before it, converges: the next read finds the change made (or
 * not) and plans only what is left. A commit made in between (Glue's optimistic lock: the request
 * carries the version it was planned at) is planned again from the new metadata, a few times.
 */

/** Tries of plan-and-send when another writer commits to the table in between. */
export const LAYOUT_UPDATE_ATTEMPTS = 3;

async function readTable(
  context: OperationContext,
  spec: IcebergTableSpec,
  label: string,
): Promise<LiveTable> {
  const live = await readLiveTable(context.clients, spec.database, spec.name);
  if (live === undefined) {
    throw new Error(`${label}: the table disappeared during the update; nothing more was changed`);
  }
  return live;
}

function layoutPlan(live: LiveTable, spec: IcebergTableSpec) {
  const plan = planLayoutChange(live, spec);
  if (plan.refusals.length > 0) {
    throw new Error(formatRefusal(spec.name, plan.refusals));
  }
  return plan.changes;
}

function errorText(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? "Error"}: ${message ?? String(error)}`;
}

export async function applyLayoutChanges(
  context: OperationContext,
  spec: IcebergTableSpec,
  label: string,
): Promise<void> {
  const { UpdateTableCommand } = await import("@aws-sdk/client-glue");
  for (let attempt = 1; ; attempt++) {
    const live = await readTable(context, spec, label);
    const changes = layoutPlan(live, spec);
    if (changes.length === 0) {
      return;
    }
    const request = glueIcebergUpdateRequest(live, changes);
    const summary = changes.flatMap(layoutChangeLines).join("\n  ");
    context.log.info(
      `${label}: applying through Glue UpdateTable (Iceberg update: ${updateActions(request).join(", ")}; Glue table version ${live.catalogVersionId ?? "unknown"}):\n  ${summary}`,
    );
    try {
      await context.clients.glue.send(new UpdateTableCommand(request));
    } catch (error) {
      const after = layoutPlan(await readTable(context, spec, label), spec);
      if (after.length === 0) {
        context.log.info(
          `${label}: Glue answered ${errorText(error)}, but the table already has the declared layout`,
        );
        return;
      }
      const conflict = (error as { name?: string }).name === "ConcurrentModificationException";
      if (conflict && attempt < LAYOUT_UPDATE_ATTEMPTS) {
        context.log.warn(
          `${label}: the table changed since it was read (${errorText(error)}); planning again`,
        );
        continue;
      }
      throw new Error(
        `${label}: Glue UpdateTable failed: ${errorText(error)}. The Athena DDL before it is applied; the partition spec and sort order are unchanged. The next update re-reads the table and applies what is left`,
      );
    }
    const left = layoutPlan(await readTable(context, spec, label), spec);
    if (left.length > 0) {
      throw new Error(
        `${label}: Glue accepted the Iceberg update, but the table read back still differs: ${left.map((c) => c.summary).join("; ")}`,
      );
    }
    context.log.info(`${label}: ${changes.map((c) => c.summary).join("; ")} applied`);
    return;
  }
}
