import { SortField } from "../../tables/table-definition";
import { AthenaType, renderType } from "../../tables/athena-type";

/**
 * A table's declared sort order: its defaults (Iceberg's and Spark's: ascending with nulls first,
 * descending with nulls last), how plans and refusals name it, and what Iceberg accepts in one.
 */

/** A sort field with its direction and null order spelled out (what the spec holds). */
export type ResolvedSortField = Required<SortField>;

export function resolveSortField(field: SortField): ResolvedSortField {
  const direction = field.direction ?? "asc";
  return { column: field.column, direction, nulls: field.nulls ?? (direction === "asc" ? "first" : "last") };
}

/** `order_date desc nulls last`: how plans, refusals and drift reports name a sort field. */
export function describeSortField(field: ResolvedSortField): string {
  return `${field.column} ${field.direction} nulls ${field.nulls}`;
}

export function describeSortOrder(fields: readonly ResolvedSortField[]): string {
  return fields.length === 0 ? "(unsorted)" : fields.map(describeSortField).join(", ");
}

export function sameSortOrder(a: readonly ResolvedSortField[], b: readonly ResolvedSortField[]): boolean {
  return a.length === b.length && a.every((field, i) => describeSortField(field) === describeSortField(b[i]));
}

/**
 * Problems of a declared sort order against the declared columns: each field names a declared column
 * of a primitive type (Iceberg cannot sort by a struct, list or map), at most once.
 */
export function sortOrderProblems(
  fields: readonly SortField[],
  declared: readonly string[],
  types: ReadonlyMap<string, AthenaType>,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  fields.forEach((field, i) => {
    const type = types.get(field.column);
    if (!declared.includes(field.column)) {
      problems.push({
        field: `sortOrder[${i}].column`,
        message: `"${field.column}" is not a declared column; accepted: ${declared.join(", ")}`,
      });
    } else if (fields.findIndex((f) => f.column === field.column) !== i) {
      problems.push({
        field: `sortOrder[${i}].column`,
        message: `"${field.column}" is sorted by twice; accepted: each column once`,
      });
    } else if (type !== undefined && !["primitive", "decimal"].includes(type.kind)) {
      problems.push({
        field: `sortOrder[${i}].column`,
        message: `Iceberg sorts by primitive columns only; "${field.column}" is ${renderType(type)}`,
      });
    }
  });
  return problems;
}
