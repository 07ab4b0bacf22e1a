import { PartitionField } from "../../tables/table-definition";
import { LiveColumn, LiveTable } from "./live-table";
import { hasErrorName, namedError, NamedError } from "../../tables/named-error";
import { icebergLayout, IcebergLayout, liveSortOrder } from "./iceberg-layout";
import { describePartitionField } from "../../tables/partition-transforms";

/**
 * Reads a table's Iceberg metadata file (the JSON `metadata_location` points at) into a LiveTable:
 * the current schema, the default partition spec, the location and the properties. That file is what
 * Athena and Spark themselves read; the Glue column list keeps dropped columns and carries no
 * partition spec or Iceberg properties. Types map as in Athena's "Supported data types for Iceberg".
 */

type Json = Record<string, unknown>;

interface IcebergField {
  readonly id: number;
  readonly name: string;
  readonly type: unknown;
  readonly doc?: string;
}

const ICEBERG_TO_ATHENA: Readonly<Record<string, string>> = {
  boolean: "boolean",
  int: "int",
  long: "bigint",
  float: "float",
  double: "double",
  string: "string",
  binary: "binary",
  date: "date",
  timestamp: "timestamp",
};

/** A metadata file this reader cannot understand (a named error: see tables/named-error.ts). */
export type IcebergMetadataError = NamedError<"IcebergMetadataError">;

const icebergMetadataError = (message: string): IcebergMetadataError =>
  namedError("IcebergMetadataError", message);

export function isIcebergMetadataError(error: unknown): error is IcebergMetadataError {
  return hasErrorName(error, "IcebergMetadataError");
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Athena's text for an Iceberg type. Types Athena DDL cannot declare (timestamptz, time, uuid, fixed[L],
 * ...) keep their Iceberg name, so the planner sees them as opaque and refuses any change to them.
 */
export function athenaTypeOfIceberg(type: unknown): string {
  if (typeof type === "string") {
    const decimal = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type);
    return decimal === null ? (ICEBERG_TO_ATHENA[type] ?? type) : `decimal(${decimal[1]},${decimal[2]})`;
  }
  if (isObject(type)) {
    switch (type.type) {
      case "list":
        return `array<${athenaTypeOfIceberg(type.element)}>`;
      case "map":
        return `map<${athenaTypeOfIceberg(type.key)},${athenaTypeOfIceberg(type.value)}>`;
      case "struct":
        return `struct<${structFields(type)
          .map((f) => `${f.name}:${athenaTypeOfIceberg(f.type)}`)
          .join(",")}>`;
    }
  }
  throw icebergMetadataError(`unrecognised Iceberg type ${JSON.stringify(type)}`);
}

function structFields(struct: Json): IcebergField[] {
  if (!Array.isArray(struct.fields)) {
    throw icebergMetadataError("a struct without a fields list");
  }
  return struct.fields.map((field: unknown) => {
    if (!isObject(field) || typeof field.id !== "number" || typeof field.name !== "string") {
      throw icebergMetadataError(`a schema field without id and name: ${JSON.stringify(field)}`);
    }
    return {
      id: field.id,
      name: field.name,
      type: field.type,
      ...(typeof field.doc === "string" ? { doc: field.doc } : {}),
    };
  });
}

function currentSchema(metadata: Json): Json {
  if (Array.isArray(metadata.schemas)) {
    const schema = metadata.schemas.find(
      (s: unknown) => isObject(s) && s["schema-id"] === metadata["current-schema-id"],
    );
    if (isObject(schema)) {
      return schema;
    }
    throw icebergMetadataError(`no schema with current-schema-id ${String(metadata["current-schema-id"])}`);
  }
  if (isObject(metadata.schema)) {
    return metadata.schema; // format v1 without a schemas list
  }
  throw icebergMetadataError("no current schema");
}

function defaultSpecFields(metadata: Json): Json[] {
  if (Array.isArray(metadata["partition-specs"])) {
    const spec = metadata["partition-specs"].find(
      (s: unknown) => isObject(s) && s["spec-id"] === metadata["default-spec-id"],
    );
    if (!isObject(spec) || !Array.isArray(spec.fields)) {
      throw icebergMetadataError(
        `no partition spec with default-spec-id ${String(metadata["default-spec-id"])}`,
      );
    }
    return spec.fields.filter(isObject);
  }
  return Array.isArray(metadata["partition-spec"]) ? metadata["partition-spec"].filter(isObject) : [];
}

/** One Iceberg partition field as a declared PartitionField, or undefined when a declaration cannot say it. */
export function partitionField(transform: string, column: string): PartitionField | undefined {
  if (["identity", "year", "month", "day", "hour"].includes(transform)) {
    return { column, transform: transform as "identity" | "year" | "month" | "day" | "hour" };
  }
  const sized = /^(bucket|truncate)\[(\d+)\]$/.exec(transform);
  if (sized?.[1] === "bucket") {
    return { column, transform: "bucket", buckets: Number(sized[2]) };
  }
  return sized?.[1] === "truncate" ? { column, transform: "truncate", width: Number(sized[2]) } : undefined;
}

function partitioning(
  metadata: Json,
  fields: readonly IcebergField[],
): { partitionBy: PartitionField[]; unrepresentable?: string } {
  const partitionBy: PartitionField[] = [];
  const described: string[] = [];
  let representable = true;
  for (const field of defaultSpecFields(metadata)) {
    const transform = String(field.transform);
    if (transform === "void") {
      continue; // a partition field removed from a format v1 spec
    }
    const source = fields.find((f) => f.id === field["source-id"]);
    const column = source?.name ?? `(field id ${String(field["source-id"])}, not a top-level column)`;
    const declared = source === undefined ? undefined : partitionField(transform, source.name);
    described.push(declared === undefined ? `${transform}(${column})` : describePartitionField(declared));
    if (declared === undefined) {
      representable = false;
    } else {
      partitionBy.push(declared);
    }
  }
  return representable ? { partitionBy } : { partitionBy, unrepresentable: described.join(", ") };
}

/** The live table described by an Iceberg metadata file (format v1 or v2). */
export function liveTableFromIcebergMetadata(database: string, name: string, metadata: unknown): LiveTable {
  if (!isObject(metadata) || typeof metadata.location !== "string") {
    throw icebergMetadataError("not an Iceberg table metadata file (no location)");
  }
  const fields = structFields(currentSchema(metadata));
  const columns: LiveColumn[] = fields.map((f) => ({
    name: f.name,
    type: athenaTypeOfIceberg(f.type),
    ...(f.doc === undefined || f.doc === "" ? {} : { comment: f.doc }),
  }));
  const { partitionBy, unrepresentable } = partitioning(metadata, fields);
  const layout = readLayout(metadata);
  const properties = isObject(metadata.properties)
    ? Object.fromEntries(Object.entries(metadata.properties).map(([k, v]) => [k, String(v)]))
    : {};
  return {
    database,
    name,
    location: metadata.location,
    columns,
    partitionBy,
    ...(unrepresentable === undefined ? {} : { unrepresentablePartitioning: unrepresentable }),
    properties,
    ...layout,
  };
}

/** The specs, sort orders and ids the layout planner needs, or why they cannot be read. */
function readLayout(
  metadata: Json,
): Pick<LiveTable, "sortOrder" | "unrepresentableSortOrder" | "layout" | "unreadableLayout"> {
  let layout: IcebergLayout;
  try {
    layout = icebergLayout(metadata);
  } catch (error) {
    if (isIcebergMetadataError(error)) {
      return { sortOrder: [], unreadableLayout: error.message };
    }
    throw error;
  }
  const { sortOrder, unrepresentable } = liveSortOrder(layout);
  return {
    sortOrder,
    ...(unrepresentable === undefined ? {} : { unrepresentableSortOrder: unrepresentable }),
    layout,
  };
}
