import { TableDefinition } from "./table-definition";

/*
 * The seed's six tables, plus the quarantine table the jobs write rejected records to.
 * Seed properties mapped to Athena's allow-list:
 *   write.format.default=parquet              -> format=parquet
 *   write.parquet.compression-codec=X         -> write_compression=X
 *   write.target-file-size-bytes=N            -> write_target_data_file_size_bytes=N
 *   history.expire.max-snapshot-age-ms=N      -> vacuum_max_snapshot_age_seconds=N/1000
 * Only Spark can apply (no Athena key; carried as Spark write options or left to maintenance):
 *   write.distribution-mode                   -> sparkWriteOptions["distribution-mode"]
 *   metadata.delete-after-commit.*            -> metadata files are cleaned by expire_snapshots
 *   write.upsert.enabled                      -> Flink-only upsert switch; the jobs MERGE instead
 * Money is decimal everywhere; timestamps are UTC.
 */

const ingestion = { name: "_ingestion_timestamp", type: "timestamp", comment: "UTC time the row was landed" };

export const RAW_CUSTOMERS: TableDefinition = {
  name: "raw_customers",
  comment: "Bronze: customers as received from the source systems",
  prefix: "raw/customers/",
  columns: [
    { name: "customer_id", type: "string" },
    { name: "email", type: "string" },
    { name: "first_name", type: "string" },
    { name: "last_name", type: "string" },
    { name: "phone", type: "string" },
    { name: "address", type: "map<string,string>" },
    { name: "created_at", type: "string", comment: "ISO-8601 text as sent by the source" },
    { name: "updated_at", type: "string", comment: "ISO-8601 text as sent by the source" },
    { name: "source_system", type: "string" },
    ingestion,
  ],
  partitionBy: [{ column: "_ingestion_timestamp", transform: "day" }],
  properties: {
    format: "parquet",
    write_compression: "snappy",
    write_target_data_file_size_bytes: "134217728",
    vacuum_max_snapshot_age_seconds: "604800",
  },
};

export const RAW_PRODUCTS: TableDefinition = {
  name: "raw_products",
  comment: "Bronze: product catalogue as received",
  prefix: "raw/products/",
  columns: [
    { name: "product_id", type: "string" },
    { name: "sku", type: "string" },
    { name: "name", type: "string" },
    { name: "description", type: "string" },
    { name: "category", type: "string" },
    { name: "subcategory", type: "string" },
    { name: "price", type: "decimal(10,2)" },
    { name: "cost", type: "decimal(10,2)" },
    { name: "stock_quantity", type: "int" },
    { name: "attributes", type: "map<string,string>" },
    { name: "created_at", type: "timestamp" },
    { name: "updated_at", type: "timestamp" },
    ingestion,
  ],
  partitionBy: [
    { column: "category", transform: "identity" },
    { column: "_ingestion_timestamp", transform: "day" },
  ],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const RAW_ORDERS: TableDefinition = {
  name: "raw_orders",
  comment: "Bronze: orders with their line items as received",
  prefix: "raw/orders/",
  columns: [
    { name: "order_id", type: "string" },
    { name: "customer_id", type: "string" },
    { name: "order_status", type: "string" },
    { name: "order_date", type: "timestamp" },
    { name: "required_date", type: "timestamp" },
    { name: "shipped_date", type: "timestamp" },
    {
      name: "items",
      type: "array<struct<product_id:string,quantity:int,unit_price:decimal(10,2),discount:decimal(5,2)>>",
      comment: "discount is a fraction of the line price (0.15 = 15%)",
    },
    { name: "shipping_address", type: "map<string,string>" },
    { name: "total_amount", type: "decimal(12,2)" },
    ingestion,
  ],
  partitionBy: [
    { column: "order_date", transform: "day" },
    { column: "order_status", transform: "identity" },
  ],
  properties: { format: "parquet", write_compression: "snappy" },
  sparkWriteOptions: { "distribution-mode": "hash" },
};

export const CURATED_CUSTOMERS: TableDefinition = {
  name: "curated_customers",
  comment: "Silver: customers with history (SCD type 2)",
  prefix: "curated/customers/",
  columns: [
    { name: "customer_id", type: "string" },
    { name: "email", type: "string" },
    { name: "full_name", type: "string" },
    { name: "phone", type: "string" },
    { name: "city", type: "string" },
    { name: "state", type: "string" },
    { name: "country", type: "string" },
    { name: "customer_segment", type: "string" },
    { name: "lifetime_value", type: "decimal(12,2)" },
    { name: "first_order_date", type: "timestamp" },
    { name: "last_order_date", type: "timestamp" },
    { name: "total_orders", type: "int" },
    { name: "is_active", type: "boolean" },
    { name: "_valid_from", type: "timestamp" },
    { name: "_valid_to", type: "timestamp" },
    { name: "_is_current", type: "boolean" },
  ],
  partitionBy: [
    { column: "customer_segment", transform: "identity" },
    { column: "country", transform: "identity" },
  ],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const CURATED_ORDERS: TableDefinition = {
  name: "curated_orders",
  comment: "Silver: one row per order (latest ingestion wins), amounts in exact decimals",
  prefix: "curated/orders/",
  columns: [
    { name: "order_id", type: "string" },
    { name: "customer_id", type: "string" },
    { name: "customer_name", type: "string" },
    { name: "customer_email", type: "string" },
    { name: "order_status", type: "string" },
    { name: "order_date", type: "timestamp" },
    { name: "shipped_date", type: "timestamp" },
    { name: "delivery_date", type: "timestamp" },
    { name: "item_count", type: "int" },
    { name: "subtotal_amount", type: "decimal(12,2)", comment: "sum of quantity * unit_price" },
    { name: "total_amount", type: "decimal(12,2)", comment: "subtotal after line discounts" },
    { name: "discount_amount", type: "decimal(12,2)" },
    { name: "tax_amount", type: "decimal(12,2)" },
    { name: "shipping_cost", type: "decimal(10,2)" },
    { name: "net_amount", type: "decimal(12,2)", comment: "total + tax + shipping" },
    { name: "shipping_city", type: "string" },
    { name: "shipping_state", type: "string" },
    { name: "shipping_country", type: "string" },
    { name: "payment_method", type: "string" },
    { name: "_processing_timestamp", type: "timestamp" },
  ],
  partitionBy: [
    { column: "order_date", transform: "day" },
    { column: "shipping_country", transform: "identity" },
  ],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const AGG_DAILY_METRICS: TableDefinition = {
  name: "agg_daily_metrics",
  comment: "Gold: daily revenue, revenue by customer segment and by product category",
  prefix: "aggregated/daily_metrics/",
  columns: [
    { name: "metric_date", type: "date" },
    { name: "metric_type", type: "string" },
    { name: "dimension_key", type: "string" },
    { name: "dimension_value", type: "string" },
    { name: "metric_value", type: "decimal(15,2)" },
    { name: "metric_count", type: "bigint" },
    { name: "_computed_at", type: "timestamp" },
  ],
  partitionBy: [
    { column: "metric_type", transform: "identity" },
    { column: "metric_date", transform: "identity" },
  ],
  properties: { format: "parquet", write_compression: "zstd" },
  sparkWriteOptions: { "distribution-mode": "range" },
};

export const QUARANTINE_RECORDS: TableDefinition = {
  name: "quarantine_records",
  comment: "Records a job refused, with the reason, for inspection and replay",
  prefix: "quarantine/records/",
  columns: [
    { name: "source_table", type: "string" },
    { name: "record_key", type: "string" },
    { name: "reason", type: "string" },
    { name: "payload", type: "string", comment: "the refused record as JSON" },
    { name: "job_name", type: "string" },
    { name: "_quarantined_at", type: "timestamp" },
  ],
  partitionBy: [
    { column: "source_table", transform: "identity" },
    { column: "_quarantined_at", transform: "day" },
  ],
  properties: { format: "parquet", write_compression: "zstd" },
};

/** Every table the stack declares, in creation order. */
export const LAKEHOUSE_TABLES: readonly TableDefinition[] = [
  RAW_CUSTOMERS,
  RAW_PRODUCTS,
  RAW_ORDERS,
  CURATED_CUSTOMERS,
  CURATED_ORDERS,
  AGG_DAILY_METRICS,
  QUARANTINE_RECORDS,
];

/** Folders of the data bucket that hold live Iceberg tables (no expiry, no archive there). */
export const LIVE_TABLE_ZONES = ["raw/", "curated/", "aggregated/", "quarantine/", "warehouse/"] as const;

export function tableDefinition(name: string): TableDefinition {
  const table = LAKEHOUSE_TABLES.find((t) => t.name === name);
  if (table === undefined) {
    throw new Error(
      `unknown table "${name}"; declared tables: ${LAKEHOUSE_TABLES.map((t) => t.name).join(", ")}`,
    );
  }
  return table;
}
