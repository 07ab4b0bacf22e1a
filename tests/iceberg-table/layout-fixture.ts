import * as fs from "fs";
import * as path from "path";
import { liveTableFromIcebergMetadata } from "../../components/iceberg-table/iceberg-metadata";
import { LiveTable } from "../../components/iceberg-table/live-table";
import { IcebergTableSpec, specFromDefinition } from "../../components/iceberg-table/spec";
import { RAW_ORDERS } from "../../tables/seed-tables";
import { TableDefinition } from "../../tables/table-definition";

/**
 * raw_orders as the local Spark (3.5.4, Iceberg 1.7.1) wrote it, loaded (spec 0), and with the evolved
 * layout applied by Iceberg's own API (spec 1, sort order 1): the metadata files of
 * jobs/tests/layout_fixtures.py, which a Spark test holds equal to what Spark writes.
 */

/**
 * raw_orders as the seed first declared it, which the fixtures were created from: by order day and status,
 * snappy. A table created before raw_orders moved to landing day (tables/seed-tables.ts) still has it.
 */
export const FIRST_RAW_ORDERS: TableDefinition = {
  ...RAW_ORDERS,
  partitionBy: [
    { column: "order_date", transform: "day" },
    { column: "order_status", transform: "identity" },
  ],
  properties: { format: "parquet", write_compression: "snappy" },
};

/** The evolved declaration of those fixtures: day(order_date), identity(order_status) -> month(order_date), sorted by customer_id. */
export const EVOLVED_RAW_ORDERS: TableDefinition = {
  ...FIRST_RAW_ORDERS,
  partitionBy: [{ column: "order_date", transform: "month" }],
  sortOrder: [{ column: "customer_id" }],
};

export const LOCATION = "s3://lakehouse-data/raw/orders";

/** The fixture's metadata as it would be on S3 (the local path replaced by the table's S3 folder). */
export function fixtureMetadata(spec: 0 | 1): Record<string, unknown> {
  const file = path.join(__dirname, "fixtures", `raw_orders.spec-${spec}.metadata.json`);
  return { ...(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>), location: LOCATION };
}

export function fixtureLive(spec: 0 | 1, catalogVersionId = "7"): LiveTable {
  return {
    ...liveTableFromIcebergMetadata("ecommerce_lakehouse", "raw_orders", fixtureMetadata(spec)),
    catalogVersionId,
  };
}

export function declared(definition: TableDefinition): IcebergTableSpec {
  return specFromDefinition(definition, {
    database: "ecommerce_lakehouse",
    location: `${LOCATION}/`,
    workgroup: "lakehouse-athena",
    region: "eu-west-1",
  });
}

/** Athena's keys for the native ones Spark stored: the part of every plan from these files that is not layout. */
export const SET_PROPERTIES =
  "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` SET TBLPROPERTIES ('format'='parquet', 'write_compression'='snappy')";

/** raw_orders' current schema as Iceberg wrote it, as Glue's IcebergSchema (sent with every update). */
export const SCHEMA = {
  SchemaId: 0,
  Type: "struct",
  Fields: [
    { Id: 1, Name: "order_id", Type: "string", Required: false },
    { Id: 2, Name: "customer_id", Type: "string", Required: false },
    { Id: 3, Name: "order_status", Type: "string", Required: false },
    { Id: 4, Name: "order_date", Type: "timestamp", Required: false },
    { Id: 5, Name: "required_date", Type: "timestamp", Required: false },
    { Id: 6, Name: "shipped_date", Type: "timestamp", Required: false },
    {
      Id: 7,
      Name: "items",
      Type: {
        type: "list",
        "element-id": 15,
        element: {
          type: "struct",
          fields: [
            { id: 16, name: "product_id", required: false, type: "string" },
            { id: 17, name: "quantity", required: false, type: "int" },
            { id: 18, name: "unit_price", required: false, type: "decimal(10, 2)" },
            { id: 19, name: "discount", required: false, type: "decimal(5, 2)" },
          ],
        },
        "element-required": false,
      },
      Required: false,
      Doc: "discount is a fraction of the line price (0.15 = 15%)",
    },
    {
      Id: 8,
      Name: "shipping_address",
      Type: {
        type: "map",
        "key-id": 20,
        key: "string",
        "value-id": 21,
        value: "string",
        "value-required": false,
      },
      Required: false,
    },
    { Id: 9, Name: "total_amount", Type: "decimal(12, 2)", Required: false },
    {
      Id: 10,
      Name: "updated_at",
      Type: "timestamp",
      Required: false,
      Doc: "when the source last changed the order: its version",
    },
    {
      Id: 11,
      Name: "_ingestion_timestamp",
      Type: "timestamp",
      Required: false,
      Doc: "UTC time the row was landed",
    },
    {
      Id: 12,
      Name: "_ingestion_id",
      Type: "long",
      Required: false,
      Doc: "bronze run that appended the row (ingestion_log.ingestion_id)",
    },
    {
      Id: 13,
      Name: "_source_file",
      Type: "string",
      Required: false,
      Doc: "landing file the row was read from",
    },
    {
      Id: 14,
      Name: "_source_line",
      Type: "long",
      Required: false,
      Doc: "line of the row in that file (1 = first)",
    },
  ],
};

const MONTH_SPEC = {
  SpecId: 1,
  Fields: [{ SourceId: 4, Transform: "month", Name: "order_date_month", FieldId: 1002 }],
};
const CUSTOMER_ORDER = {
  OrderId: 1,
  Fields: [{ SourceId: 2, Transform: "identity", Direction: "asc", NullOrder: "nulls-first" }],
};
/** What the API requires in every update: the current schema and location (unchanged). */
export const COMMON = { Location: LOCATION, Schema: SCHEMA };

/** A Glue UpdateTable input on raw_orders at Glue table version 7 with these Iceberg updates. */
export function glueRequest(updates: readonly Record<string, unknown>[]) {
  return {
    DatabaseName: "ecommerce_lakehouse",
    Name: "raw_orders",
    VersionId: "7",
    UpdateOpenTableFormatInput: {
      UpdateIcebergInput: { UpdateIcebergTableInput: { Updates: [...updates] } },
    },
  };
}

/** The Glue UpdateTable input that takes the spec 0 file to EVOLVED_RAW_ORDERS. */
export const EVOLVED_REQUEST = glueRequest([
  { ...COMMON, Action: "add-spec", PartitionSpec: MONTH_SPEC },
  { ...COMMON, Action: "set-default-spec", PartitionSpec: MONTH_SPEC },
  { ...COMMON, Action: "add-sort-order", SortOrder: CUSTOMER_ORDER },
  { ...COMMON, Action: "set-default-sort-order", SortOrder: CUSTOMER_ORDER },
]);
