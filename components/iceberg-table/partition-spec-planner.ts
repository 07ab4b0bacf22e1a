import { PartitionField } from "../../tables/table-definition";
import { IcebergLayout, IcebergPartitionFieldMeta, defaultSpec } from "./iceberg-layout";
import { partitionField } from "./iceberg-metadata";
import {
  describePartitionField,
  describePartitioning,
  evolvedPartitionFieldName,
  icebergTransform,
} from "../../tables/partition-transforms";

/**
 * The new partition spec of a table, with the ids Iceberg gives it (its UpdatePartitionSpec and
 * TableMetadata rules, format version 2): a field the default spec keeps keeps its field id and name; a
 * field an earlier spec had (same source column, same transform) comes back with that id and name; any
 * other field gets the next id after last-partition-id and Iceberg's generated name. A spec equal to an
 * earlier one is that spec again (same spec id); otherwise the new spec id is one more than the highest.
 * Fields are in declared order. Pure.
 */

/** A field of the planned spec; `sourceId` is undefined for a column this update adds (no id yet). */
export interface PlannedPartitionField {
  readonly name: string;
  readonly fieldId: number;
  readonly sourceId?: number;
  readonly transform: string;
}

export interface PlannedPartitionSpec {
  readonly specId: number;
  /** The spec exists already (an earlier spec comes back): only made the default again. */
  readonly exists: boolean;
  readonly fields: readonly PlannedPartitionField[];
}

export interface PartitionSpecPlan {
  readonly spec: PlannedPartitionSpec;
  /** What changes, field by field, in words. */
  readonly details: readonly string[];
  /** Why Iceberg would refuse the spec (a field name taken twice, or by a column). */
  readonly problems: readonly string[];
}

/** The live field id of a declared column (under its live name), or undefined for a column being added. */
export type SourceIdOf = (declaredColumn: string) => number | undefined;

function sameField(a: { sourceId?: number; transform: string }, b: IcebergPartitionFieldMeta): boolean {
  return a.sourceId !== undefined && a.sourceId === b.sourceId && a.transform === b.transform;
}

/** How a stored field reads in a declaration: `day(order_date)`, or its transform and source id. */
export function describeStoredField(layout: IcebergLayout, field: IcebergPartitionFieldMeta): string {
  const source = layout.fields.find((f) => f.id === field.sourceId);
  const declared = source === undefined ? undefined : partitionField(field.transform, source.name);
  return declared === undefined
    ? `${field.transform}(field id ${field.sourceId})`
    : describePartitionField(declared);
}

export function planPartitionSpec(
  layout: IcebergLayout,
  desired: readonly PartitionField[],
  sourceIdOf: SourceIdOf,
): PartitionSpecPlan {
  const current = defaultSpec(layout);
  const history = layout.specs.flatMap((s) => s.fields);
  let lastId = layout.lastPartitionId;
  const details: string[] = [];
  const fields = desired.map((declared): PlannedPartitionField => {
    const wanted = { sourceId: sourceIdOf(declared.column), transform: icebergTransform(declared) };
    const kept = current.fields.find((f) => sameField(wanted, f));
    if (kept !== undefined) {
      return { ...wanted, name: kept.name, fieldId: kept.fieldId };
    }
    const earlier = history.find((f) => sameField(wanted, f));
    if (earlier !== undefined) {
      details.push(
        `field ${earlier.fieldId} ${earlier.name}: ${describePartitionField(declared)} again, with the id it had in an earlier spec`,
      );
      return { ...wanted, name: earlier.name, fieldId: earlier.fieldId };
    }
    lastId += 1;
    const name = evolvedPartitionFieldName(declared);
    details.push(`new field ${lastId} ${name}: ${describePartitionField(declared)}`);
    return { ...wanted, name, fieldId: lastId };
  });
  const removed = current.fields.filter((f) => !fields.some((p) => p.fieldId === f.fieldId));
  if (removed.length > 0) {
    const listed = removed.map((f) => `${f.fieldId} ${f.name} (${describeStoredField(layout, f)})`);
    details.push(`no longer in the default spec: ${listed.join(", ")}`);
  }
  details.push(...resizedFields(layout, removed, fields, desired));
  const existing = layout.specs.find(
    (s) =>
      s.fields.length === fields.length &&
      s.fields.every((f, i) => sameField(fields[i], f) && f.name === fields[i].name),
  );
  const specId = existing?.specId ?? Math.max(...layout.specs.map((s) => s.specId)) + 1;
  return {
    spec: { specId, exists: existing !== undefined, fields },
    details,
    problems: nameProblems(layout, fields, desired),
  };
}

/**
 * A bucket count or truncate width change is a new field, never the old one changed in place: files
 * written so far stay divided the old way, and Iceberg gives the new field its own id.
 */
function resizedFields(
  layout: IcebergLayout,
  removed: readonly IcebergPartitionFieldMeta[],
  fields: readonly PlannedPartitionField[],
  desired: readonly PartitionField[],
): string[] {
  return fields.flatMap((field, i) => {
    const sized = /^(bucket|truncate)\[(\d+)\]$/.exec(field.transform);
    const before = removed.find(
      (r) => r.sourceId === field.sourceId && r.transform.startsWith(`${sized?.[1]}[`),
    );
    if (sized === null || before === undefined) {
      return [];
    }
    const unit = sized[1] === "bucket" ? "buckets" : "wide truncation";
    const old = /\[(\d+)\]$/.exec(before.transform)![1];
    return [
      `${describeStoredField(layout, before)} -> ${describePartitionField(desired[i])} is a new field ${field.fieldId}, not a change of field ${before.fieldId}: files written so far keep ${old} ${unit}`,
    ];
  });
}

/** Iceberg refuses a spec whose field names repeat, or name a column the field is not the identity of. */
function nameProblems(
  layout: IcebergLayout,
  fields: readonly PlannedPartitionField[],
  desired: readonly PartitionField[],
): string[] {
  return fields.flatMap((field, i) => {
    const column = layout.fields.find((f) => f.name === field.name);
    if (fields.findIndex((f) => f.name === field.name) !== i) {
      return [`two partition fields would be named "${field.name}"`];
    }
    if (column !== undefined && !(field.transform === "identity" && column.id === field.sourceId)) {
      return [
        `Iceberg would name the field for ${describePartitionField(desired[i])} "${field.name}", which is a column of the table; rename that column first`,
      ];
    }
    return [];
  });
}

/** `partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date)`. */
export function partitionSpecSummary(
  from: readonly PartitionField[],
  to: readonly PartitionField[],
  ids?: { from: number; to: number },
): string {
  const specs = ids === undefined ? "partition spec" : `partition spec ${ids.from} -> ${ids.to}`;
  return `${specs}: ${describePartitioning(from)} -> ${describePartitioning(to)}`;
}
