import type { TableQuality } from "./table-quality";

/**
 * The stack-independent half of an Iceberg table declaration: schema, partitioning, properties and
 * where under the data bucket it lives. A stack adds database, bucket and workgroup to make the full
 * IcebergTable spec; the local Spark harness adds a local warehouse. One declaration, every engine.
 */

/** One column. `type` is an Athena DDL type (`decimal(12,2)`, `array<struct<a:int>>`, ...). */
export interface ColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
  /** The column's previous name: tells a rename (CHANGE COLUMN) from a drop plus an add. */
  readonly renamedFrom?: string;
}

/** A partition field as a structured transform (rendered `day(c)` for Athena, `days(c)` for Spark). */
export type PartitionField =
  | { readonly column: string; readonly transform: "identity" | "year" | "month" | "day" | "hour" }
  | { readonly column: string; readonly transform: "bucket"; readonly buckets: number }
  | { readonly column: string; readonly transform: "truncate"; readonly width: number };

/**
 * One field of a table's sort order (Iceberg's write order): the column, its direction and where nulls
 * go. Spark writes and sort compaction order rows by it within each partition.
 */
export interface SortField {
  readonly column: string;
  /** @default "asc" */
  readonly direction?: "asc" | "desc";
  /** @default "first" with "asc", "last" with "desc" (Iceberg's and Spark's defaults) */
  readonly nulls?: "first" | "last";
}

export interface TableDefinition {
  readonly name: string;
  /**
   * The table's previous name: the IcebergTable provider renames it in place (`ALTER TABLE ... RENAME TO`)
   * instead of refusing a name change.
   */
  readonly renamedFrom?: string;
  /**
   * Table comment. Used by Spark (`COMMENT`) and the docs; Athena's Iceberg CREATE TABLE has no table
   * comment clause and `comment` is not an Athena table property, so Athena DDL does not carry it.
   */
  readonly comment?: string;
  /** Folder under the data bucket, ending in `/` (e.g. `raw/customers/`). */
  readonly prefix: string;
  readonly columns: readonly ColumnDefinition[];
  /**
   * What every run must leave in the table before it is published (checked on the run's audit branch;
   * tables/table-quality.ts). Not part of the table's DDL. @default no checks
   */
  readonly quality?: TableQuality;
  readonly partitionBy: readonly PartitionField[];
  /** The table's sort order, changed in place (Glue's Iceberg update). @default [] (unsorted) */
  readonly sortOrder?: readonly SortField[];
  /** Table properties from Athena's allow-list (`format`, `write_compression`, `vacuum_*`, ...). */
  readonly properties: Readonly<Record<string, string>>;
  /**
   * Iceberg write options Athena cannot store as table properties (Athena rejects native keys, and a
   * native key set by Spark breaks Athena's SHOW CREATE TABLE): the jobs pass these as write options.
   */
  readonly sparkWriteOptions?: Readonly<Record<string, string>>;
  /**
   * Let the IcebergTable provider drop live columns the declaration no longer lists (`DROP COLUMN`).
   * Without it a missing column is refused, so a typo or a forgotten rename never deletes a column.
   * @default false
   */
  readonly allowColumnDrops?: boolean;
}
