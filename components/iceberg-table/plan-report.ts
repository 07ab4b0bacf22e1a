import { formatRefusal, planTableChange, PlanOptions, PlannedStatement } from "./evolution-planner";
import { LayoutChange } from "./layout-planner";
import { LiveTable } from "./live-table";
import { IcebergTableSpec } from "./spec";

/**
 * A plan as text a person reviews before `pulumi up`: each statement numbered, with what it does and
 * its SQL (ready to paste into the Athena console, one at a time), then each partition spec or sort
 * order change Glue's Iceberg update makes, or the refusal.
 */
export interface PlanReport {
  readonly refused: boolean;
  readonly text: string;
  readonly statements: readonly PlannedStatement[];
  readonly layout: readonly LayoutChange[];
}

function counted(count: number, one: string, many: string): string {
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}

/** A layout change as report lines: the summary, then its details and how it is applied. */
export function layoutChangeLines(change: LayoutChange): string[] {
  const actions =
    change.kind === "partition-spec"
      ? change.spec?.exists
        ? "set-default-spec"
        : "add-spec, set-default-spec"
      : change.order?.exists
        ? "set-default-sort-order"
        : "add-sort-order, set-default-sort-order";
  return [
    change.summary,
    ...change.details.map((d) => `   ${d}`),
    `   (Glue UpdateTable, Iceberg update: ${actions})`,
  ];
}

export function planReport(
  live: LiveTable,
  desired: IcebergTableSpec,
  options: PlanOptions = {},
): PlanReport {
  const plan = planTableChange(live, desired, options);
  const table = `${desired.database}.${desired.name}`;
  if (!plan.ok) {
    return { refused: true, text: formatRefusal(desired.name, plan.refusals), statements: [], layout: [] };
  }
  const { statements, layout } = plan;
  if (statements.length === 0 && layout.length === 0) {
    return {
      refused: false,
      text: `-- ${table}: the live table matches the declaration; nothing to run`,
      statements,
      layout,
    };
  }
  const parts = [
    ...(statements.length === 0 ? [] : [counted(statements.length, "statement", "statements")]),
    ...(layout.length === 0 ? [] : [counted(layout.length, "Glue Iceberg update", "Glue Iceberg updates")]),
  ];
  return {
    refused: false,
    statements,
    layout,
    text: [
      `-- ${table}: ${parts.join(" and ")}, in this order (metadata only, no data file is rewritten)`,
      ...statements.map((s, i) => `\n-- ${i + 1}. ${s.summary}\n${s.sql};`),
      ...layout.map(
        (change, i) =>
          `\n${layoutChangeLines(change)
            .map((line, j) => (j === 0 ? `-- ${statements.length + i + 1}. ${line}` : `-- ${line}`))
            .join("\n")}`,
      ),
    ].join("\n"),
  };
}
