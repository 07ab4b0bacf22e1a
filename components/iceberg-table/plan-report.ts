import { formatRefusal, planTableChange, PlanOptions, PlannedStatement } from "./evolution-planner";
import { LiveTable } from "./live-table";
import { IcebergTableSpec } from "./spec";

/**
 * A plan as text a person reviews before `pulumi up`: each statement numbered, with what it does and
 * its SQL (ready to paste into the Athena console, one at a time), or the refusal.
 */
export function planReport(
  live: LiveTable,
  desired: IcebergTableSpec,
  options: PlanOptions = {},
): { readonly refused: boolean; readonly text: string; readonly statements: readonly PlannedStatement[] } {
  const plan = planTableChange(live, desired, options);
  const table = `${desired.database}.${desired.name}`;
  if (!plan.ok) {
    return { refused: true, text: formatRefusal(desired.name, plan.refusals), statements: [] };
  }
  if (plan.statements.length === 0) {
    return {
      refused: false,
      text: `-- ${table}: the live table matches the declaration; nothing to run`,
      statements: [],
    };
  }
  const count = plan.statements.length === 1 ? "1 statement" : `${plan.statements.length} statements`;
  return {
    refused: false,
    statements: plan.statements,
    text: [
      `-- ${table}: ${count}, in this order (metadata only, no data file is rewritten)`,
      ...plan.statements.map((s, i) => `\n-- ${i + 1}. ${s.summary}\n${s.sql};`),
    ].join("\n"),
  };
}
