import { ColumnDefinition, PartitionField } from "../../tables/table-definition";
import { isTypeSyntaxError, parseAthenaType } from "../../tables/athena-type";
import { defaultSortOrder, defaultSpec, IcebergLayout } from "./iceberg-layout";
import { LiveColumn, LiveTable } from "./live-table";
import {
  describeStoredField,
  partitionSpecSummary,
  planPartitionSpec,
  PlannedPartitionSpec,
  SourceIdOf,
} from "./partition-spec-planner";
import {
  describePartitionField,
  describePartitioning,
  samePartitioning,
  transformProblem,
} from "../../tables/partition-transforms";
import { describeSortOrder, ResolvedSortField, sameSortOrder } from "./sort-order";
import { IcebergTableSpec, SpecProblem } from "./spec";

/**
 * The layout planner: partition spec and sort order changes, planned beside the Athena DDL from the live
 * Iceberg metadata (field ids, spec ids, last partition id, sort order ids), applied through Glue's
 * Iceberg update after the DDL (a new column must exist before a spec can use it). Existing files keep
 * the spec and order they were written with; nothing is rewritten. Refused, with the reason: what
 * Iceberg forbids, and any change on a table whose specs or sort orders cannot be read. Pure.
 */

export interface PlannedSortField {
  /** undefined for a column this update adds (no field id until Athena adds it). */
  readonly sourceId?: number;
  readonly transform: "identity";
  readonly direction: "asc" | "desc";
  readonly nullOrder: "nulls-first" | "nulls-last";
}

export interface PlannedSortOrder {
  readonly orderId: number;
  /** The order exists already (an earlier order comes back, or unsorted): only made the default. */
  readonly exists: boolean;
  readonly fields: readonly PlannedSortField[];
}

/** One change Glue's Iceberg update makes: what a preview shows, and the ids (with live metadata). */
export type LayoutChange =
  | {
      readonly kind: "partition-spec";
      readonly summary: string;
      readonly details: readonly string[];
      readonly spec?: PlannedPartitionSpec;
    }
  | {
      readonly kind: "sort-order";
      readonly summary: string;
      readonly details: readonly string[];
      readonly order?: PlannedSortOrder;
    };

export interface LayoutPlan {
  readonly changes: readonly LayoutChange[];
  readonly refusals: readonly SpecProblem[];
}

/** What the column plan does in the same update, which the layout must take into account. */
export interface ColumnChanges {
  /** Live column name -> declared name, for the columns this update renames. */
  readonly renamedTo: ReadonlyMap<string, string>;
  readonly added: readonly ColumnDefinition[];
  readonly dropped: readonly LiveColumn[];
}

export function planLayoutChange(
  live: LiveTable,
  desired: IcebergTableSpec,
  columns: ColumnChanges = { renamedTo: new Map(), added: [], dropped: [] },
): LayoutPlan {
  const rename = (column: string) => columns.renamedTo.get(column) ?? column;
  const livePartitioning = live.partitionBy.map((f) => ({ ...f, column: rename(f.column) }));
  const liveSorting = (live.sortOrder ?? []).map((f) => ({ ...f, column: rename(f.column) }));
  const refusals = droppedSourceRefusals(live, columns.dropped, desired.sortOrder);
  const changes: LayoutChange[] = [];
  const liveNameOf = (declared: string) =>
    [...columns.renamedTo].find(([, to]) => to === declared)?.[0] ?? declared;
  const sourceIdOf: SourceIdOf = (declared) =>
    columns.added.some((c) => c.name === declared)
      ? undefined
      : live.layout?.fields.find((f) => f.name === liveNameOf(declared))?.id;

  const partitionsChange =
    live.unrepresentablePartitioning !== undefined ||
    !samePartitioning(livePartitioning, desired.partitionBy);
  if (partitionsChange) {
    const from = live.unrepresentablePartitioning ?? describePartitioning(livePartitioning);
    const unchangeable = layoutRefusal(
      "partitionBy",
      `${from} -> ${describePartitioning(desired.partitionBy)}`,
      live,
    );
    if (unchangeable !== undefined) {
      refusals.push(unchangeable);
    } else {
      refusals.push(...transformRefusals(live, desired, liveNameOf));
      const planned = partitionChange(live.layout, livePartitioning, desired.partitionBy, sourceIdOf);
      refusals.push(...planned.problems.map((message) => ({ field: "partitionBy", message })));
      changes.push(planned.change);
    }
  }
  if (!sameSortOrder(liveSorting, desired.sortOrder) || live.unrepresentableSortOrder !== undefined) {
    const from = live.unrepresentableSortOrder ?? describeSortOrder(liveSorting);
    const unchangeable =
      live.unreadableLayout === undefined
        ? undefined
        : layoutRefusal("sortOrder", `${from} -> ${describeSortOrder(desired.sortOrder)}`, live);
    if (unchangeable !== undefined) {
      refusals.push(unchangeable);
    } else {
      changes.push(sortOrderChange(live.layout, from, desired.sortOrder, sourceIdOf));
    }
  }
  return { changes, refusals };
}

/** A live layout the provider does not change: unreadable metadata, or a spec it cannot read back. */
function layoutRefusal(field: string, change: string, live: LiveTable): SpecProblem | undefined {
  if (live.unreadableLayout !== undefined) {
    return {
      field,
      message: `${change} cannot be planned: the table's Iceberg metadata cannot be read (${live.unreadableLayout}); nothing is changed`,
    };
  }
  if (live.unrepresentablePartitioning !== undefined) {
    return {
      field,
      message: `the live spec ${change}: it has fields a declaration cannot express (a nested source column or a transform Athena does not know), and the provider does not replace what it cannot read back; change it from Spark (ALTER TABLE ... PARTITION FIELD), then declare it`,
    };
  }
  return undefined;
}

function partitionChange(
  layout: IcebergLayout | undefined,
  from: readonly PartitionField[],
  to: readonly PartitionField[],
  sourceIdOf: SourceIdOf,
): { change: LayoutChange; problems: readonly string[] } {
  if (layout === undefined) {
    const details = [
      "existing files keep their spec; new writes use the new one; nothing is rewritten (ids from the live table's Iceberg metadata at update)",
    ];
    return {
      change: { kind: "partition-spec", summary: partitionSpecSummary(from, to), details },
      problems: [],
    };
  }
  const planned = planPartitionSpec(layout, to, sourceIdOf);
  const ids = { from: layout.defaultSpecId, to: planned.spec.specId };
  return {
    change: {
      kind: "partition-spec",
      summary: partitionSpecSummary(from, to, ids),
      details: [
        layout.specs.length === 1
          ? `existing files keep spec ${ids.from}; new writes use spec ${ids.to}; nothing is rewritten`
          : `existing files keep spec ${ids.from} (or the earlier spec they were written with); new writes use spec ${ids.to}; nothing is rewritten`,
        ...planned.details,
      ],
      spec: planned.spec,
    },
    problems: planned.problems,
  };
}

function sortOrderChange(
  layout: IcebergLayout | undefined,
  from: string,
  to: readonly ResolvedSortField[],
  sourceIdOf: SourceIdOf,
): LayoutChange {
  const details = [
    to.length === 0
      ? "files written so far keep their order; new writes and compaction no longer sort; nothing is rewritten"
      : "files written so far keep their order; new writes and sort compaction order rows by it; nothing is rewritten",
  ];
  const text = `${from} -> ${describeSortOrder(to)}`;
  if (layout === undefined) {
    return { kind: "sort-order", summary: `sort order: ${text}`, details };
  }
  const fields = to.map((f): PlannedSortField => ({
    sourceId: sourceIdOf(f.column),
    transform: "identity",
    direction: f.direction,
    nullOrder: f.nulls === "first" ? "nulls-first" : "nulls-last",
  }));
  const same = layout.sortOrders.find(
    (o) =>
      o.fields.length === fields.length &&
      o.fields.every(
        (f, i) =>
          fields[i].sourceId === f.sourceId &&
          f.transform === "identity" &&
          f.direction === fields[i].direction &&
          f.nullOrder === fields[i].nullOrder,
      ),
  );
  // Iceberg's ids: 0 is the unsorted order; a new order takes one more than the highest (at least 1).
  const orderId = same?.orderId ?? Math.max(0, ...layout.sortOrders.map((o) => o.orderId)) + 1;
  return {
    kind: "sort-order",
    summary: `sort order ${defaultSortOrder(layout).orderId} -> ${orderId}: ${text}`,
    details,
    order: { orderId, exists: same !== undefined, fields },
  };
}

/** Iceberg's transforms accept some types only: judged on the column as it is live (or as added). */
function transformRefusals(
  live: LiveTable,
  desired: IcebergTableSpec,
  liveNameOf: (declared: string) => string,
): SpecProblem[] {
  return desired.partitionBy.flatMap((field, i) => {
    const liveColumn = live.columns.find((c) => c.name === liveNameOf(field.column));
    if (liveColumn === undefined) {
      return []; // a column this update adds: its declared type was checked with the spec
    }
    try {
      const problem = transformProblem(field, parseAthenaType(liveColumn.type));
      return problem === undefined
        ? []
        : [{ field: `partitionBy[${i}]`, message: `${problem} in the live table` }];
    } catch (error) {
      if (!isTypeSyntaxError(error)) {
        throw error;
      }
      return [
        {
          field: `partitionBy[${i}]`,
          message: `${describePartitionField(field)}: "${field.column}" is ${liveColumn.type} in the live table, a type a declaration cannot state`,
        },
      ];
    }
  });
}

/**
 * A column being dropped that a partition spec (the default one or one files were written with) or the
 * sort order uses: Iceberg needs the column to read, prune and order those files.
 */
function droppedSourceRefusals(
  live: LiveTable,
  dropped: readonly LiveColumn[],
  desiredSort: readonly ResolvedSortField[],
): SpecProblem[] {
  const layout = live.layout;
  return dropped.flatMap((column): SpecProblem[] => {
    const id = layout?.fields.find((f) => f.name === column.name)?.id;
    const spec =
      layout === undefined
        ? live.partitionBy.some((f) => f.column === column.name)
          ? "the partition spec"
          : undefined
        : layout.specs
            .filter((s) => s.fields.some((f) => f.sourceId === id))
            .map((s) => {
              const used = s.fields
                .filter((f) => f.sourceId === id)
                .map((f) => describeStoredField(layout, f));
              return `spec ${s.specId} (${used.join(", ")})${s.specId === defaultSpec(layout).specId ? ", the default" : ""}`;
            })
            .join("; ") || undefined;
    if (spec !== undefined) {
      return [
        {
          field: "columns",
          message: `column "${column.name}" is a partition source of ${spec}; Iceberg needs it to read and prune the files written with that spec, so it cannot be dropped; declare it again`,
        },
      ];
    }
    const sorted = (live.sortOrder ?? []).some((f) => f.column === column.name);
    return sorted && !desiredSort.some((f) => f.column === column.name)
      ? [
          {
            field: "columns",
            message: `column "${column.name}" is in the live sort order: remove it from sortOrder first (one update), then drop it (the next)`,
          },
        ]
      : [];
  });
}
