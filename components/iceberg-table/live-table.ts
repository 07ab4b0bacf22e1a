import { PartitionField } from "../../tables/table-definition";
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
  };
}

/** Locations compare without trailing slashes: Iceberg stores `s3://b/p`, declarations say `s3://b/p/`. */
export function sameLocation(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}
