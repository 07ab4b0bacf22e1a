import { namedError } from "../../tables/named-error";
import { ResolvedSortField } from "./sort-order";

/**
 * Reads what a table's partition specs and sort orders are made of from its Iceberg metadata file:
 * the current schema's field ids, every partition spec with its field ids (the default one and those
 * older files still use), the last assigned partition field id, every sort order and the default one.
 * The layout planner assigns new ids from these exactly as Iceberg does. Only format version 2 is read:
 * it is the only version Athena operates on, and v1 evolves specs differently (void transforms).
 */

type Json = Record<string, unknown>;

/** A top-level field of the current schema, as Iceberg stores it (type as Iceberg's JSON). */
export interface IcebergSchemaField {
  readonly id: number;
  readonly name: string;
  readonly type: unknown;
  readonly required: boolean;
  readonly doc?: string;
}

export interface IcebergPartitionFieldMeta {
  readonly name: string;
  readonly fieldId: number;
  readonly sourceId: number;
  /** Iceberg's transform text: `identity`, `day`, `bucket[16]`, `truncate[4]`, `void`, ... */
  readonly transform: string;
}

export interface IcebergPartitionSpecMeta {
  readonly specId: number;
  readonly fields: readonly IcebergPartitionFieldMeta[];
}

export interface IcebergSortFieldMeta {
  readonly sourceId: number;
  readonly transform: string;
  readonly direction: "asc" | "desc";
  readonly nullOrder: "nulls-first" | "nulls-last";
}

export interface IcebergSortOrderMeta {
  readonly orderId: number;
  readonly fields: readonly IcebergSortFieldMeta[];
}

/** The ids and history the layout planner works from. */
export interface IcebergLayout {
  readonly location: string;
  readonly schemaId: number;
  readonly identifierFieldIds: readonly number[];
  readonly fields: readonly IcebergSchemaField[];
  readonly specs: readonly IcebergPartitionSpecMeta[];
  readonly defaultSpecId: number;
  readonly lastPartitionId: number;
  readonly sortOrders: readonly IcebergSortOrderMeta[];
  readonly defaultSortOrderId: number;
}

const layoutError = (message: string) => namedError("IcebergMetadataError", message);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function integer(object: Json, key: string, where: string): number {
  const value = object[key];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw layoutError(`${where} has no integer "${key}"`);
  }
  return value;
}

function list(object: Json, key: string, where: string): Json[] {
  const value = object[key];
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw layoutError(`${where} has no list of objects "${key}"`);
  }
  return value;
}

function text(object: Json, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== "string") {
    throw layoutError(`${where} has no text "${key}"`);
  }
  return value;
}

function schemaFields(metadata: Json): {
  schemaId: number;
  identifierFieldIds: number[];
  fields: IcebergSchemaField[];
} {
  const schemaId = integer(metadata, "current-schema-id", "the metadata");
  const schema = list(metadata, "schemas", "the metadata").find((s) => s["schema-id"] === schemaId);
  if (schema === undefined) {
    throw layoutError(`no schema with current-schema-id ${schemaId}`);
  }
  const where = `schema ${schemaId}`;
  const ids = schema["identifier-field-ids"];
  return {
    schemaId,
    identifierFieldIds: Array.isArray(ids) ? ids.filter((id): id is number => typeof id === "number") : [],
    fields: list(schema, "fields", where).map((field) => ({
      id: integer(field, "id", `a field of ${where}`),
      name: text(field, "name", `a field of ${where}`),
      type: field.type,
      required: field.required === true,
      ...(typeof field.doc === "string" ? { doc: field.doc } : {}),
    })),
  };
}

function partitionSpecs(metadata: Json): IcebergPartitionSpecMeta[] {
  return list(metadata, "partition-specs", "the metadata").map((spec) => {
    const specId = integer(spec, "spec-id", "a partition spec");
    const where = `partition spec ${specId}`;
    return {
      specId,
      fields: list(spec, "fields", where).map((field) => ({
        name: text(field, "name", `a field of ${where}`),
        fieldId: integer(field, "field-id", `a field of ${where}`),
        sourceId: integer(field, "source-id", `a field of ${where}`),
        transform: text(field, "transform", `a field of ${where}`),
      })),
    };
  });
}

function sortDirection(field: Json, where: string): "asc" | "desc" {
  const direction = text(field, "direction", where);
  if (direction !== "asc" && direction !== "desc") {
    throw layoutError(`${where} has direction ${JSON.stringify(direction)}; known: asc, desc`);
  }
  return direction;
}

function nullOrder(field: Json, where: string): "nulls-first" | "nulls-last" {
  const order = text(field, "null-order", where);
  if (order !== "nulls-first" && order !== "nulls-last") {
    throw layoutError(`${where} has null-order ${JSON.stringify(order)}; known: nulls-first, nulls-last`);
  }
  return order;
}

function sortOrders(metadata: Json): IcebergSortOrderMeta[] {
  return list(metadata, "sort-orders", "the metadata").map((order) => {
    const orderId = integer(order, "order-id", "a sort order");
    const where = `a field of sort order ${orderId}`;
    return {
      orderId,
      fields: list(order, "fields", `sort order ${orderId}`).map((field) => ({
        sourceId: integer(field, "source-id", where),
        transform: text(field, "transform", where),
        direction: sortDirection(field, where),
        nullOrder: nullOrder(field, where),
      })),
    };
  });
}

/** The layout of a format version 2 metadata file; an IcebergMetadataError says what it lacks. */
export function icebergLayout(metadata: unknown): IcebergLayout {
  if (!isObject(metadata)) {
    throw layoutError("not an Iceberg table metadata file");
  }
  const version = metadata["format-version"];
  if (version !== 2) {
    throw layoutError(
      `format-version ${JSON.stringify(version ?? null)}: partition specs and sort orders are changed on format-version 2 tables only (the only version Athena operates on)`,
    );
  }
  const specs = partitionSpecs(metadata);
  const defaultSpecId = integer(metadata, "default-spec-id", "the metadata");
  const orders = sortOrders(metadata);
  const defaultSortOrderId = integer(metadata, "default-sort-order-id", "the metadata");
  if (!specs.some((s) => s.specId === defaultSpecId)) {
    throw layoutError(`no partition spec with default-spec-id ${defaultSpecId}`);
  }
  if (!orders.some((o) => o.orderId === defaultSortOrderId)) {
    throw layoutError(`no sort order with default-sort-order-id ${defaultSortOrderId}`);
  }
  return {
    location: text(metadata, "location", "the metadata"),
    ...schemaFields(metadata),
    specs,
    defaultSpecId,
    lastPartitionId: integer(metadata, "last-partition-id", "the metadata"),
    sortOrders: orders,
    defaultSortOrderId,
  };
}

export function defaultSpec(layout: IcebergLayout): IcebergPartitionSpecMeta {
  return layout.specs.find((s) => s.specId === layout.defaultSpecId)!;
}

export function defaultSortOrder(layout: IcebergLayout): IcebergSortOrderMeta {
  return layout.sortOrders.find((o) => o.orderId === layout.defaultSortOrderId)!;
}

/** The default sort order as a declaration says it, or the text of one a declaration cannot say. */
export function liveSortOrder(layout: IcebergLayout): {
  sortOrder: ResolvedSortField[];
  unrepresentable?: string;
} {
  const sortOrder: ResolvedSortField[] = [];
  const described: string[] = [];
  for (const field of defaultSortOrder(layout).fields) {
    const source = layout.fields.find((f) => f.id === field.sourceId);
    const nulls = field.nullOrder === "nulls-first" ? "first" : "last";
    if (source !== undefined && field.transform === "identity") {
      sortOrder.push({ column: source.name, direction: field.direction, nulls });
    }
    const column = source?.name ?? `(field id ${field.sourceId}, not a top-level column)`;
    const term = field.transform === "identity" ? column : `${field.transform}(${column})`;
    described.push(`${term} ${field.direction} nulls ${nulls}`);
  }
  return sortOrder.length === described.length
    ? { sortOrder }
    : { sortOrder, unrepresentable: described.join(", ") };
}
