import { PartitionField } from "./table-definition";
import { AthenaType, renderType } from "./athena-type";
import { quoteIdentifier } from "./sql-text";

/**
 * Iceberg partition transforms as Athena declares them: which column types each accepts (Athena's
 * CREATE TABLE reference), their DDL text (`day(c)`, `bucket(16, c)`), and partition spec comparison.
 */

type TypeKind =
  "boolean" | "int" | "bigint" | "float" | "double" | "decimal" | "string" | "binary" | "date" | "timestamp";

const TRANSFORM_TYPES: Readonly<Record<PartitionField["transform"], readonly TypeKind[]>> = {
  identity: [
    "boolean",
    "int",
    "bigint",
    "float",
    "double",
    "decimal",
    "string",
    "binary",
    "date",
    "timestamp",
  ],
  year: ["date", "timestamp"],
  month: ["date", "timestamp"],
  day: ["date", "timestamp"],
  hour: ["timestamp"],
  bucket: ["int", "bigint", "decimal", "date", "timestamp", "string", "binary"],
  truncate: ["int", "bigint", "decimal", "string"],
};

const TIME_TRANSFORMS: readonly string[] = ["year", "month", "day", "hour"];

function typeKind(type: AthenaType): TypeKind | undefined {
  if (type.kind === "primitive") {
    return type.name;
  }
  return type.kind === "decimal" ? "decimal" : undefined;
}

/** `day(order_date)`, `bucket(16, id)`: how refusals and drift reports name a partition field. */
export function describePartitionField(field: PartitionField): string {
  switch (field.transform) {
    case "bucket":
      return `bucket(${field.buckets}, ${field.column})`;
    case "truncate":
      return `truncate(${field.width}, ${field.column})`;
    default:
      return `${field.transform}(${field.column})`;
  }
}

export function describePartitioning(fields: readonly PartitionField[]): string {
  return fields.length === 0 ? "(unpartitioned)" : fields.map(describePartitionField).join(", ");
}

/** Spark names the time transforms in the plural (`days(c)`); Athena in the singular (`day(c)`). */
const SPARK_TIME_TRANSFORMS = { year: "years", month: "months", day: "days", hour: "hours" } as const;

/** The field as a PARTITIONED BY clause takes it in Athena or Spark DDL (identity is the bare column). */
export function partitionFieldSql(field: PartitionField, dialect: "athena" | "spark" = "athena"): string {
  const column = quoteIdentifier(field.column);
  switch (field.transform) {
    case "identity":
      return column;
    case "bucket":
      return `bucket(${field.buckets}, ${column})`;
    case "truncate":
      return `truncate(${field.width}, ${column})`;
    default:
      return `${dialect === "spark" ? SPARK_TIME_TRANSFORMS[field.transform] : field.transform}(${column})`;
  }
}

/** Why a transform cannot apply to a column of this type, or undefined when it can. */
export function transformProblem(field: PartitionField, columnType: AthenaType): string | undefined {
  const accepted = TRANSFORM_TYPES[field.transform];
  const kind = typeKind(columnType);
  if (kind !== undefined && accepted.includes(kind)) {
    return undefined;
  }
  const transform = field.transform === "identity" ? "identity" : `${field.transform}()`;
  return `${transform} needs a ${accepted.join(", ")} column; "${field.column}" is ${renderType(columnType)}`;
}

/** Problems of a whole partition spec beyond single fields: repeated fields, two time transforms on a column. */
export function partitionSpecProblems(
  fields: readonly PartitionField[],
): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  fields.forEach((field, index) => {
    const earlier = fields.slice(0, index);
    if (earlier.some((f) => describePartitionField(f) === describePartitionField(field))) {
      problems.push({ index, message: `${describePartitionField(field)} is declared twice` });
    } else if (
      TIME_TRANSFORMS.includes(field.transform) &&
      earlier.some((f) => f.column === field.column && TIME_TRANSFORMS.includes(f.transform))
    ) {
      problems.push({
        index,
        message: `"${field.column}" already has a time transform; Iceberg allows one of year, month, day, hour per column`,
      });
    }
  });
  return problems;
}

/** Whether two partition specs are the same, field by field and in order. */
export function samePartitioning(a: readonly PartitionField[], b: readonly PartitionField[]): boolean {
  return (
    a.length === b.length &&
    a.every((field, i) => describePartitionField(field) === describePartitionField(b[i]))
  );
}

/** Iceberg's text of the field's transform, as metadata files store it (`day`, `bucket[16]`). */
export function icebergTransform(field: PartitionField): string {
  switch (field.transform) {
    case "bucket":
      return `bucket[${field.buckets}]`;
    case "truncate":
      return `truncate[${field.width}]`;
    default:
      return field.transform;
  }
}

/**
 * The name Iceberg gives a partition field added to an existing table (its UpdatePartitionSpec name
 * generator): the column for identity, `c_bucket_16`, `c_trunc_4`, `c_day`. A field created with the
 * table is named without the number (`c_bucket`) by the engine that created it.
 */
export function evolvedPartitionFieldName(field: PartitionField): string {
  switch (field.transform) {
    case "identity":
      return field.column;
    case "bucket":
      return `${field.column}_bucket_${field.buckets}`;
    case "truncate":
      return `${field.column}_trunc_${field.width}`;
    default:
      return `${field.column}_${field.transform}`;
  }
}
