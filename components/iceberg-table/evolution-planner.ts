import {
  renderAddColumns,
  renderChangeColumn,
  renderDropColumn,
  renderRenameTable,
  renderSetProperties,
  renderUnsetProperties,
} from "./athena-ddl";
import { canonicalType } from "../../tables/athena-type";
import { ColumnContinuation, columnMoves, matchColumns } from "./column-evolution";
import { LayoutChange, planLayoutChange } from "./layout-planner";
import { LiveTable, sameLocation } from "./live-table";
import { IcebergTableSpec, SpecProblem } from "./spec";

/**
 * The evolution planner: from a table as it is (live) to the table as declared, the ordered Athena DDL
 * that gets there in place and, after it, the partition spec and sort order changes Glue's Iceberg
 * update makes (./layout-planner), or a refusal naming every change that cannot be made without
 * rewriting or replacing the table. Pure: the same inputs always give the same plan; nothing runs here.
 */

export interface PlannedStatement {
  /** One line for logs and previews: what the statement does. */
  readonly summary: string;
  readonly sql: string;
}

export type TablePlan =
  | {
      readonly ok: true;
      readonly statements: readonly PlannedStatement[];
      /** Partition spec and sort order changes, applied through Glue after the statements. */
      readonly layout: readonly LayoutChange[];
    }
  | { readonly ok: false; readonly refusals: readonly SpecProblem[] };

export interface PlanOptions {
  /**
   * Property keys the previous declaration set. A key removed from the declaration is unset only if we
   * set it: properties Athena or Iceberg add themselves are never touched. @default []
   */
  readonly previouslyManagedProperties?: readonly string[];
  /**
   * The live columns this plan may drop (with allowColumnDrops): the provider passes the names the
   * preview listed in the resource's `columnDrops` input, so no DROP COLUMN runs that the preview did not
   * show by name. @default any undeclared column (planning outside the engine: plan-table-change)
   */
  readonly droppableColumns?: readonly string[];
}

export function planTableChange(
  live: LiveTable,
  desired: IcebergTableSpec,
  options: PlanOptions = {},
): TablePlan {
  const refusals: SpecProblem[] = [...placementRefusals(live, desired)];
  const statements: PlannedStatement[] = [];
  const { database, name } = desired;
  if (live.name !== name && desired.renamedFrom === live.name) {
    statements.push({
      summary: `rename table ${live.name} to ${name}`,
      sql: renderRenameTable(database, live.name, name),
    });
  }

  const match = matchColumns(live.columns, desired.columns);
  refusals.push(...match.refusals);
  const renamedTo = new Map(match.continued.map((c) => [c.live.name, c.desired.name]));
  // Partition and sort sources are checked by the layout plan (every spec files were written with).
  const layout = planLayoutChange(live, desired, {
    renamedTo,
    added: match.added,
    dropped: desired.allowColumnDrops ? match.removed : [],
  });
  for (const column of match.removed) {
    if (!desired.allowColumnDrops) {
      refusals.push({
        field: "columns",
        message: `column "${column.name}" (${canonicalType(column.type)}) is not declared: dropping it is refused; declare it again, say renamedFrom: "${column.name}" on the column it became, or set allowColumnDrops: true`,
      });
    } else if (options.droppableColumns !== undefined && !options.droppableColumns.includes(column.name)) {
      refusals.push({
        field: "columns",
        message: `column "${column.name}" (${canonicalType(column.type)}) is in the live table but not in the columnDrops the preview showed (${options.droppableColumns.join(", ") || "none"}): the stack's state does not know it. Run pulumi refresh (it records the live columns), review the preview, then pulumi up`,
      });
    } else {
      statements.push({
        summary: `drop column ${column.name}`,
        sql: renderDropColumn(database, name, column.name),
      });
    }
  }

  // Renames cannot collide: validation refuses a rename from a declared name (chains and swaps take
  // two updates) and matching refuses a rename whose target already exists.
  const changes = match.continued.filter((c) => c.renamed || c.retyped || c.recommented);
  statements.push(...changes.map((change) => changeStatement(database, name, change)));

  if (match.added.length > 0) {
    statements.push({
      summary: `add columns ${match.added.map((c) => c.name).join(", ")}`,
      sql: renderAddColumns(database, name, match.added),
    });
  }

  refusals.push(...layout.refusals);

  const kept = live.columns.filter((c) => !match.removed.includes(c)).map((c) => c.name);
  const current = [...kept.map((n) => renamedTo.get(n) ?? n), ...match.added.map((c) => c.name)];
  const declared = new Map(desired.columns.map((c) => [c.name, c]));
  for (const move of columnMoves(
    current,
    desired.columns.map((c) => c.name),
  )) {
    const column = declared.get(move.column)!;
    statements.push({
      summary: `move column ${move.column} ${move.after === undefined ? "first" : `after ${move.after}`}`,
      sql: renderChangeColumn(
        database,
        name,
        move.column,
        column,
        move.after === undefined ? { first: true } : { after: move.after },
      ),
    });
  }

  statements.push(...propertyStatements(live, desired, options.previouslyManagedProperties ?? []));
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, statements, layout: layout.changes };
}

function placementRefusals(live: LiveTable, desired: IcebergTableSpec): SpecProblem[] {
  const refusals: SpecProblem[] = [];
  if (live.database !== desired.database) {
    refusals.push({
      field: "database",
      message: `"${live.database}" -> "${desired.database}": a table is not moved between databases; declare a new table and copy the data`,
    });
  }
  if (live.name !== desired.name && desired.renamedFrom !== live.name) {
    refusals.push({
      field: "name",
      message: `"${live.name}" -> "${desired.name}" would replace the table; to rename it in place, set renamedFrom: "${live.name}"`,
    });
  }
  if (!sameLocation(live.location, desired.location)) {
    refusals.push({
      field: "location",
      message: `${live.location} -> ${desired.location}: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead`,
    });
  }
  return refusals;
}

function changeStatement(database: string, table: string, change: ColumnContinuation): PlannedStatement {
  const what = [
    change.renamed ? `rename to ${change.desired.name}` : "",
    change.retyped
      ? `promote ${canonicalType(change.live.type)} -> ${canonicalType(change.desired.type)}`
      : "",
    change.recommented ? "set comment" : "",
  ].filter(Boolean);
  return {
    summary: `change column ${change.live.name}: ${what.join(", ")}`,
    // A removed comment is set to '' explicitly: CHANGE COLUMN without COMMENT may keep the old one.
    sql: renderChangeColumn(database, table, change.live.name, {
      ...change.desired,
      ...(change.recommented && change.desired.comment === undefined ? { comment: "" } : {}),
    }),
  };
}

function propertyStatements(
  live: LiveTable,
  desired: IcebergTableSpec,
  previouslyManaged: readonly string[],
): PlannedStatement[] {
  const statements: PlannedStatement[] = [];
  const unset = previouslyManaged.filter((k) => !(k in desired.properties) && k in live.properties);
  if (unset.length > 0) {
    statements.push({
      summary: `unset properties ${[...unset].sort().join(", ")}`,
      sql: renderUnsetProperties(desired.database, desired.name, unset),
    });
  }
  const set = Object.fromEntries(
    Object.entries(desired.properties).filter(([k, v]) => live.properties[k] !== v),
  );
  if (Object.keys(set).length > 0) {
    statements.push({
      summary: `set properties ${Object.keys(set).sort().join(", ")}`,
      sql: renderSetProperties(desired.database, desired.name, set),
    });
  }
  return statements;
}

/** A refused plan as one error message: the table, then each refused change with its field. */
export function formatRefusal(table: string, refusals: readonly SpecProblem[]): string {
  return [
    `IcebergTable "${table}": the change cannot be applied in place and was refused (nothing was run):`,
    ...refusals.map((r) => `  - [${r.field}] ${r.message}`),
  ].join("\n");
}
