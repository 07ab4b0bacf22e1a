import * as pulumi from "@pulumi/pulumi";
import { IcebergTableSpec, validateIcebergTableSpec } from "../../components/iceberg-table/spec";
import { ColumnDefinition } from "../../tables/table-definition";
import { LiveTableShape } from "../helpers/iceberg-fixture";

/** The IcebergTable provider as the tests hold it (either form, see helpers/serialized-provider). */
export type IcebergProvider = pulumi.dynamic.ResourceProvider<
  Record<string, unknown>,
  Record<string, unknown>
>;

/** The workgroup the provider tests create in moto. */
export const WORKGROUP = "lakehouse-athena";

/** The table the provider tests manage: sales.orders. */
export const ORDERS: IcebergTableSpec = validateIcebergTableSpec({
  name: "orders",
  database: "sales",
  location: "s3://lakehouse-data/curated/orders/",
  workgroup: WORKGROUP,
  region: "eu-west-1",
  columns: [
    { name: "order_id", type: "string" },
    { name: "qty", type: "int" },
    { name: "total", type: "decimal(12,2)", comment: "after discounts" },
    { name: "ordered_at", type: "timestamp" },
  ],
  partitionBy: [{ column: "ordered_at", transform: "day" }],
  properties: { format: "parquet", write_compression: "zstd" },
});

/** How every statement on it starts. */
export const ALTER_ORDERS = "ALTER TABLE `sales`.`orders`";

/** Fast polling; numbers only, so they may be captured into the serialized provider. */
export const FAST_POLLING = { initialPollDelayMs: 2, maxPollDelayMs: 10, timeoutMs: 10000 };

/** The live table exactly as Athena's CREATE TABLE of `s` leaves it. */
export const shapeOf = (
  s: IcebergTableSpec,
  columns: readonly ColumnDefinition[] = s.columns,
): LiveTableShape => ({
  database: s.database,
  name: s.name,
  location: s.location,
  columns,
  partitionBy: s.partitionBy,
  properties: s.properties,
});
