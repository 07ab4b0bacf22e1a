import { parseAthenaType, renderType } from "./athena-type";
import { partitionFieldSql } from "./partition-transforms";
// Spark SQL escapes string literals and quotes identifiers as Athena's DDL does.
import { quoteIdentifier, sqlString } from "./sql-text";
import { nativeIcebergProperties } from "./athena-properties";
import { PartitionField, TableDefinition } from "./table-definition";

/**
 * Spark SQL (Iceberg extensions) rendering of a table definition, for the local Spark harness and EMR.
 * Athena's DDL types are Spark SQL types except `timestamp` (see sparkType); partition transforms
 * differ in name (Athena `day(c)`, Spark `days(c)`).
 */

export interface SparkTarget {
  readonly catalog: string;
  readonly database: string;
  /** Table location; omitted for catalogs that place tables under their warehouse (Hadoop catalog). */
  readonly location?: string;
}

/** A partition field in Spark's PARTITIONED BY (`days(c)` where Athena says `day(c)`). */
export function sparkPartitionField(field: PartitionField): string {
  return partitionFieldSql(field, "spark");
}

/**
 * The Spark type that makes the same Iceberg column as the Athena type. Athena's `timestamp` is Iceberg
 * `timestamp` (without zone) but Spark's `timestamp` is Iceberg `timestamptz`: Spark must say
 * `timestamp_ntz`, or local tables differ from the AWS ones. With `quoteFields` (DDL), struct field
 * names are backtick-quoted; without, the text equals Spark's `DataType.simpleString()` of the column.
 */
export function sparkType(athenaType: string, quoteFields = true): string {
  return renderType(parseAthenaType(athenaType), quoteFields, (name) =>
    name === "timestamp" ? "timestamp_ntz" : name,
  );
}

export function renderSparkCreateTable(table: TableDefinition, target: SparkTarget): string {
  const columns = table.columns
    .map(
      (c) =>
        `  ${quoteIdentifier(c.name)} ${sparkType(c.type)}${c.comment === undefined ? "" : ` COMMENT ${sqlString(c.comment)}`}`,
    )
    .join(",\n");
  const lines = [
    `CREATE TABLE ${[target.catalog, target.database, table.name].map(quoteIdentifier).join(".")} (`,
    columns,
    ")",
    "USING iceberg",
  ];
  if (table.partitionBy.length > 0) {
    lines.push(`PARTITIONED BY (${table.partitionBy.map(sparkPartitionField).join(", ")})`);
  }
  if (target.location !== undefined) {
    lines.push(`LOCATION ${sqlString(target.location)}`);
  }
  if (table.comment !== undefined) {
    lines.push(`COMMENT ${sqlString(table.comment)}`);
  }
  const properties = sparkTableProperties(table);
  lines.push(
    `TBLPROPERTIES (${Object.entries(properties)
      .map(([k, v]) => `${sqlString(k)}=${sqlString(v)}`)
      .join(", ")})`,
  );
  return lines.join("\n");
}

/**
 * Table properties of the local Spark table: format version 2 (all Athena reads) and the native Iceberg
 * equivalents of the declared Athena properties, so a local table compresses, sizes files and expires
 * snapshots as the Athena-created one on AWS does.
 */
export function sparkTableProperties(table: TableDefinition): Record<string, string> {
  return { "format-version": "2", ...nativeIcebergProperties(table.properties) };
}
