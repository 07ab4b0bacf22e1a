import { renderCreateTable, renderDropTable } from "./athena-ddl";
import { runAthenaStatement } from "./athena-query-runner";
import {
  formatRefusal,
  planTableChange,
  PlannedStatement,
  PlanOptions,
  TablePlan,
} from "./evolution-planner";
import { applyLayoutChanges } from "./layout-operations";
import { LiveTable } from "./live-table";
import { readLiveTable } from "./live-table-reader";
import { OperationContext, tableLabel } from "./operation-context";
import { IcebergTableSpec } from "./spec";

/**
 * What the provider's create, update, read and delete do against AWS, given clients: read the live
 * table, plan, run the plan statement by statement (each one logged), or refuse before running anything.
 */

async function runStatements(
  context: OperationContext,
  spec: IcebergTableSpec,
  statements: readonly PlannedStatement[],
): Promise<void> {
  for (const statement of statements) {
    context.log.info(
      `${tableLabel(spec)}: running ${statement.summary} in workgroup ${spec.workgroup}:\n${statement.sql}`,
    );
    const id = await runAthenaStatement(context.clients.athena, statement.sql, spec, context.timing);
    context.log.info(`${tableLabel(spec)}: ${statement.summary} succeeded (query ${id})`);
  }
}

/** A plan's content as lines: the statements and layout changes it would make, or the refused changes. */
export function describePlan(plan: TablePlan): string[] {
  return plan.ok
    ? [
        ...plan.statements.map((s) => `would run: ${s.summary}`),
        ...plan.layout.map((c) => `would change ${c.summary}`),
      ]
    : plan.refusals.map((r) => `cannot apply [${r.field}]: ${r.message}`);
}

/** Creates the table, or adopts an existing one that already matches the spec exactly. */
export async function createTable(context: OperationContext, spec: IcebergTableSpec): Promise<void> {
  const { clients, log } = context;
  if (spec.renamedFrom !== undefined && (await readLiveTable(clients, spec.database, spec.renamedFrom))) {
    throw new Error(
      `${tableLabel(spec)}: its previous name ${spec.database}.${spec.renamedFrom} exists and this resource does not manage it yet; a new table would sit at the same data. Import the existing table into the stack first (or remove renamedFrom if it is another table)`,
    );
  }
  const live = await readLiveTable(clients, spec.database, spec.name);
  if (live === undefined) {
    await runStatements(context, spec, [{ summary: "create table", sql: renderCreateTable(spec) }]);
    if (spec.sortOrder.length > 0) {
      // Athena's CREATE TABLE declares no sort order: Glue's Iceberg update sets it.
      await applyLayoutChanges(context, spec, tableLabel(spec));
    }
    return;
  }
  const plan = planTableChange(live, spec);
  if (plan.ok && plan.statements.length === 0 && plan.layout.length === 0) {
    log.info(
      `${tableLabel(spec)}: the table already exists and matches the declaration; adopted without running DDL`,
    );
    return;
  }
  throw new Error(
    [
      `${tableLabel(spec)}: the table already exists and differs from the declaration; it was left unchanged. Make the declaration match it (then evolve it), or drop it yourself if it is disposable. Differences:`,
      ...describePlan(plan).map((line) => `  - ${line}`),
    ].join("\n"),
  );
}

/** The names an update's table may have: declared, previous (renamedFrom), or the one the state knows. */
export function liveTableNames(previous: IcebergTableSpec, spec: IcebergTableSpec): string[] {
  return [
    ...new Set([spec.name, spec.renamedFrom, previous.name].filter((n): n is string => n !== undefined)),
  ];
}

/**
 * Finds the live table an update starts from, under one of `liveTableNames`. Two of them existing at
 * once is ambiguous and refused.
 */
export async function findLiveTable(
  context: OperationContext,
  previous: IcebergTableSpec,
  spec: IcebergTableSpec,
): Promise<LiveTable> {
  const names = liveTableNames(previous, spec);
  const found: LiveTable[] = [];
  for (const name of names) {
    const live = await readLiveTable(context.clients, previous.database, name);
    if (live !== undefined) {
      found.push(live);
    }
  }
  if (found.length > 1) {
    throw new Error(
      `${tableLabel(spec)}: tables ${found.map((t) => `${t.database}.${t.name}`).join(" and ")} both exist; cannot tell which one this resource manages, nothing was run`,
    );
  }
  if (found.length === 0) {
    throw new Error(
      `${tableLabel(spec)}: no table ${names.map((n) => `${previous.database}.${n}`).join(" or ")} exists; it was dropped outside this stack. Run \`pulumi refresh\` to forget it, then \`pulumi up\` creates it again`,
    );
  }
  return found[0];
}

/**
 * Plans from the live table (not from the state), so an update that stopped half-way converges on the
 * next run; property keys the previous spec set and the new one dropped are unset. The Athena DDL runs
 * first, then the partition spec and sort order changes through Glue (./layout-operations).
 */
export async function updateTable(
  context: OperationContext,
  previous: IcebergTableSpec,
  spec: IcebergTableSpec,
  options: Pick<PlanOptions, "droppableColumns"> = {},
): Promise<void> {
  if (previous.region !== spec.region) {
    throw new Error(
      `${tableLabel(spec)}: [region] ${previous.region} -> ${spec.region} would be another table; refused`,
    );
  }
  const live = await findLiveTable(context, previous, spec);
  const plan = planTableChange(live, spec, {
    ...options,
    previouslyManagedProperties: Object.keys(previous.properties),
  });
  if (!plan.ok) {
    throw new Error(formatRefusal(spec.name, plan.refusals));
  }
  if (plan.statements.length === 0 && plan.layout.length === 0) {
    context.log.info(`${tableLabel(spec)}: the live table already matches the declaration; no DDL to run`);
  }
  await runStatements(context, spec, plan.statements);
  if (plan.layout.length > 0) {
    // After the DDL: a spec or sort order may use a column it added.
    await applyLayoutChanges(context, spec, tableLabel(spec));
  }
}

/** The live table and how it drifted from the spec (empty when it matches), or undefined when gone. */
export async function readTableDrift(
  context: OperationContext,
  spec: IcebergTableSpec,
): Promise<{ live: LiveTable; drift: string[] } | undefined> {
  const live = await readLiveTable(context.clients, spec.database, spec.name);
  if (live === undefined) {
    return undefined;
  }
  const drift = describePlan(planTableChange(live, spec));
  for (const line of drift) {
    context.log.warn(`${tableLabel(spec)}: drift: the live table differs from the declaration; ${line}`);
  }
  return { live, drift };
}

/** `retain` leaves the table and its data; `drop` runs DROP TABLE, which deletes the data with it. */
export async function deleteTable(context: OperationContext, spec: IcebergTableSpec): Promise<void> {
  if (spec.deletionPolicy === "retain") {
    context.log.info(
      `${tableLabel(spec)}: deletionPolicy "retain": the table and its data at ${spec.location} are left in place; only the stack forgets them`,
    );
    return;
  }
  await runStatements(context, spec, [
    {
      summary: "drop table and its data (deletionPolicy drop)",
      sql: renderDropTable(spec.database, spec.name),
    },
  ]);
}
