import { PartitionField } from "../../tables/table-definition";
import { IcebergLayout } from "./iceberg-layout";
import { ResolvedSortField } from "./sort-order";
import { IcebergTableSpec } from "./spec";

/**
 * A table as it exists: what the planner evolves from. Read from the live catalog and Iceberg metadata
 * (live-table-reader.ts), or taken from the previous spec when planning a preview.
 */

export interface LiveColumn {
  readonly name: string;
  /** Athena type text; a type Athena DDL cannot declare keeps its Iceberg name (`timestamptz`, `uuid`). */
  readonly type: string;
  readonly comment?: string;
}

export interface LiveTable {
  readonly database: string;
  readonly name: string;
  readonly location: string;
  /** The current schema's columns, in order (dropped columns are not part of it). */
  readonly columns: readonly LiveColumn[];
  readonly partitionBy: readonly PartitionField[];
  /** Set when the live partition spec has fields a declaration cannot express (e.g. a nested source). */
  readonly unrepresentablePartitioning?: string;
  /** Every table property, including ones Athena or Iceberg set themselves. */
  readonly properties: Readonly<Record<string, string>>;
  /** The default sort order. @default [] (unsorted) */
  readonly sortOrder?: readonly ResolvedSortField[];
  /** Set when the live sort order has fields a declaration cannot express (a transform, a nested source). */
  readonly unrepresentableSortOrder?: string;
  /** Field, spec and sort order ids from the Iceberg metadata: absent when planning from a spec. */
  readonly layout?: IcebergLayout;
  /** Why the metadata's specs and sort orders cannot be read (then they are not changed). */
  readonly unreadableLayout?: string;
  /** The Glue table version the metadata was read at (Glue's optimistic lock for UpdateTable). */
  readonly catalogVersionId?: string;
}

/** The table a spec describes, as if it existed exactly so (for spec-to-spec planning at preview). */
export function liveTableFromSpec(spec: IcebergTableSpec): LiveTable {
  return {
    database: spec.database,
    name: spec.name,
    location: spec.location,
    columns: spec.columns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.comment === undefined ? {} : { comment: c.comment }),
    })),
    partitionBy: spec.partitionBy,
    properties: spec.properties,
    sortOrder: spec.sortOrder,
  };
}

/** Locations compare without trailing slashes: Iceberg stores `s3://b/p`, declarations say `s3://b/p/`. */
export function sameLocation(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}
