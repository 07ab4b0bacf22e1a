import { IcebergTableSpec } from "./spec";

/**
 * The columns an update drops, by name: the resource's `columnDrops` input, derived in `check` from the
 * previous inputs and the new declaration. As an input it is part of what `pulumi preview` shows in the
 * resource's detailed diff (`+ columnDrops: ["legacy_code"]`), and `update` drops no other column (see
 * PlanOptions.droppableColumns). Empty unless the declaration sets allowColumnDrops.
 */
export function declaredColumnDrops(
  previous: Pick<IcebergTableSpec, "columns"> | undefined,
  next: IcebergTableSpec,
): string[] {
  if (previous === undefined || !next.allowColumnDrops) {
    return [];
  }
  const kept = new Set(
    next.columns.flatMap((c) => [c.name, ...(c.renamedFrom === undefined ? [] : [c.renamedFrom])]),
  );
  return previous.columns.map((c) => c.name).filter((name) => !kept.has(name));
}

/** The `columnDrops` input of a resource's inputs: names only, anything else read as none. */
export function columnDropsOf(inputs: Record<string, unknown>): string[] {
  const drops = inputs.columnDrops;
  return Array.isArray(drops) ? drops.filter((d): d is string => typeof d === "string") : [];
}
