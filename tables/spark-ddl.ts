import { AthenaType, parseAthenaType } from "../components/iceberg-table/athena-type";
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

const SPARK_TRANSFORMS = { year: "years", month: "months", day: "days", hour: "hours" } as const;

export function sparkPartitionField(field: PartitionField): string {
  const column = `\`${field.column}\``;
  switch (field.transform) {
    case "identity":
      return column;
    case "bucket":
      return `bucket(${field.buckets}, ${column})`;
    case "truncate":
      return `truncate(${field.width}, ${column})`;
    default:
      return `${SPARK_TRANSFORMS[field.transform]}(${column})`;
  }
}

/**
 * The Spark type that makes the same Iceberg column as the Athena type. Athena's `timestamp` is Iceberg
 * `timestamp` (without zone) but Spark's `timestamp` is Iceberg `timestamptz`: Spark must say
 * `timestamp_ntz`, or local tables differ from the AWS ones. With `quoteFields` (DDL), struct field
 * names are backtick-quoted; without, the text equals Spark's `DataType.simpleString()` of the column.
 */
export function sparkType(athenaType: string, quoteFields = true): string {
  const render = (type: AthenaType): string => {
    switch (type.kind) {
      case "primitive":
        return type.name === "timestamp" ? "timestamp_ntz" : type.name;
      case "decimal":
        return `decimal(${type.precision},${type.scale})`;
      case "array":
        return `array<${render(type.element)}>`;
      case "map":
        return `map<${render(type.key)},${render(type.value)}>`;
      case "struct":
        return `struct<${type.fields.map((f) => `${quoteFields ? `\`${f.name}\`` : f.name}:${render(f.type)}`).join(",")}>`;
    }
  };
  return render(parseAthenaType(athenaType));
}

function sparkString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export function renderSparkCreateTable(table: TableDefinition, target: SparkTarget): string {
  const columns = table.columns
    .map(
      (c) =>
        `  \`${c.name}\` ${sparkType(c.type)}${c.comment === undefined ? "" : ` COMMENT ${sparkString(c.comment)}`}`,
    )
    .join(",\n");
  const lines = [
    `CREATE TABLE \`${target.catalog}\`.\`${target.database}\`.\`${table.name}\` (`,
    columns,
    ")",
    "USING iceberg",
  ];
  if (table.partitionBy.length > 0) {
    lines.push(`PARTITIONED BY (${table.partitionBy.map(sparkPartitionField).join(", ")})`);
  }
  if (target.location !== undefined) {
    lines.push(`LOCATION ${sparkString(target.location)}`);
  }
  if (table.comment !== undefined) {
    lines.push(`COMMENT ${sparkString(table.comment)}`);
  }
  const properties = sparkTableProperties(table);
  lines.push(
    `TBLPROPERTIES (${Object.entries(properties)
      .map(([k, v]) => `${sparkString(k)}=${sparkString(v)}`)
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
