import { TableDefinition } from "./table-definition";
import { TableQuality } from "./table-quality";
import { INGESTION_LOG, JOB_PROGRESS, QUALITY_RESULTS, QUARANTINE_RECORDS } from "./bookkeeping-tables";
import { CUSTOMER_COUNTED_ORDERS } from "./derived-tables";

/*
 * The seed's six tables, plus what the jobs keep as data: the quarantine of refused records, the log of
 * every landing file bronze read, each job's progress (see jobs/README.md, "What survives maintenance")
 * and each customer's counted orders (derived-tables.ts).
 * Seed properties mapped to Athena's allow-list:
 *   write.format.default=parquet              -> format=parquet
 *   write.parquet.compression-codec=X         -> write_compression=X
 *   write.target-file-size-bytes=N            -> write_target_data_file_size_bytes=N
 *   history.expire.max-snapshot-age-ms=N      -> vacuum_max_snapshot_age_seconds=N/1000
 * Only Spark can apply (no Athena key; carried as Spark write options or left to maintenance):
 *   write.distribution-mode                   -> sparkWriteOptions["distribution-mode"]
 *   write.spark.advisory-partition-size-bytes -> sparkWriteOptions["advisory-partition-size"]
 *   metadata.delete-after-commit.*            -> metadata files are cleaned by expire_snapshots
 *   write.upsert.enabled                      -> Flink-only upsert switch; the jobs MERGE instead
 * Money is decimal everywhere; timestamps are UTC.
 */

const ingestion = { name: "_ingestion_timestamp", type: "timestamp", comment: "UTC time the row was landed" };
/**
 * Where bronze got a raw row: the bronze run (its watermark for every later job) and the landing file
 * and line (the last tie-breaker of the version order). Declared after `_ingestion_timestamp`.
 */
const landingOrigin = [
  {
    name: "_ingestion_id",
    type: "bigint",
    comment: "bronze run that appended the row (ingestion_log.ingestion_id)",
  },
  { name: "_source_file", type: "string", comment: "landing file the row was read from" },
  { name: "_source_line", type: "bigint", comment: "line of the row in that file (1 = first)" },
];
/**
 * Every raw row comes from one landing line, read once: bronze's own columns, never missing or repeated.
 * A line is checked against the run's own lines (`scope: batch`); that no earlier run read the same file
 * is ingestion_log's key (one row per file, a small table), since bronze reads a file only when the log
 * does not hold it and publishes its rows and its log row together. Checked against every raw row, the
 * key would read the whole raw table each run: its landing paths share their first 16 characters
 * (`s3://<bucket>`), all Iceberg's default column statistics keep of a string, so no file can be skipped.
 */
const landedOnce: TableQuality = {
  notNull: ["_ingestion_timestamp", "_ingestion_id", "_source_file", "_source_line"],
  unique: [{ columns: ["_source_file", "_source_line"], scope: "batch" }],
};
/**
 * A batch that repeats a record version (same key, same source update time) more than now and then is a
 * source sending twice; the version order would pick one, so it is caught here, not silently resolved.
 */
const repeatedVersions = (key: string) => ({
  columns: [key, "updated_at"],
  scope: "batch" as const,
  maxShare: 0.05,
});
const MONEY_NOT_NEGATIVE = { min: "0.00" };
const ORDER_STATUSES = ["pending", "processing", "shipped", "delivered", "cancelled"];

/** The version order key of a source record (jobs/lakehouse_jobs/versions.py). */
const sourceVersion = {
  name: "_source_version",
  type: "struct<updated_at:timestamp,landed_at:timestamp,source_file:string,source_line:bigint>",
  comment: "version order key of the raw record this row holds: source update time, then landing position",
};

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
    ...landingOrigin,
  ],
  quality: { ...landedOnce, unique: [...landedOnce.unique!, repeatedVersions("customer_id")] },
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
    ...landingOrigin,
  ],
  quality: { ...landedOnce, unique: [...landedOnce.unique!, repeatedVersions("product_id")] },
  // By landing day only: a catalogue batch is one partition (category split each batch into a small file
  // per category), and readers take products whole or by `_ingestion_id`, never by category.
  partitionBy: [{ column: "_ingestion_timestamp", transform: "day" }],
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
    { name: "updated_at", type: "timestamp", comment: "when the source last changed the order: its version" },
    ingestion,
    ...landingOrigin,
  ],
  quality: {
    ...landedOnce,
    unique: [...landedOnce.unique!, repeatedVersions("order_id")],
    // Customers and products land in their own files, sometimes a batch after an order: a few misses
    // are normal (silver refuses an order whose products are missing), a batch of them is not.
    references: [
      { column: "customer_id", table: "raw_customers", tableColumn: "customer_id", maxShare: 0.05 },
      { column: "items.product_id", table: "raw_products", tableColumn: "product_id", maxShare: 0.05 },
    ],
    freshness: { column: "_ingestion_timestamp", maxAgeHours: 72 },
    volume: { maxRatio: 5, trailingRuns: 14, minRuns: 3 },
  },
  // By landing day only, like raw_customers and raw_products. Bronze appends one batch per landing; its one
  // reader, silver_orders, takes the rows above its progress by `_ingestion_id`, never by order day or
  // status, and date-range queries go to curated_orders.
  // day(order_date) x identity(order_status) split every batch into a small file per (day, status): in the
  // benchmark at the seed's volume (10x history), 544 files holding 1.16x the landing JSON. By landing day
  // with zstd: 5 files, 0.07x, and a day of 24 hourly landings (24 files in one partition) is compacted by
  // maintenance into 1 (bench/run_benchmark.py --scales 1).
  partitionBy: [{ column: "_ingestion_timestamp", transform: "day" }],
  properties: {
    format: "parquet",
    write_compression: "zstd",
    write_target_data_file_size_bytes: "134217728",
  },
  // A batch is one partition, so hash distribution gives it one writing task unless the task's share of
  // the shuffle is above the advisory size: Iceberg's default, derived from the target file size, kept a
  // 2-million-order history (390 MB shuffled) in one task, so one core wrote it as one 88 MB file and one
  // core read it in every later job. At 128 MB a task, Spark's adaptive execution splits a large batch
  // between the landing files' readers (bench: 4 files, every core writing and reading; maintenance
  // compacts them to the target); a daily batch (a few MB) stays one file.
  sparkWriteOptions: { "distribution-mode": "hash", "advisory-partition-size": "134217728" },
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
    {
      name: "_is_current",
      type: "boolean",
      comment: "true: current version; false: closed; null: orders of a customer whose record has not landed",
    },
    sourceVersion,
    { name: "_version_seq", type: "bigint", comment: "silver_customers run that created this version" },
  ],
  quality: {
    // Not `customer_segment` or `_is_current`: a pending row (orders of a customer whose record has not
    // landed, scd2.py) has neither until the record lands; acceptedValues leaves its null segment alone.
    notNull: ["customer_id", "_version_seq"],
    unique: [{ columns: ["customer_id"], where: "_is_current" }],
    acceptedValues: { customer_segment: ["new", "regular", "loyal", "vip"] },
    ranges: { lifetime_value: MONEY_NOT_NEGATIVE, total_orders: { min: "0" } },
  },
  // By `_is_current`: the daily MERGE reads and rewrites only current versions (and pending rows), one
  // per customer, never the closed versions, which only grow. By segment and country, every MERGE read
  // every file, and a segment change moved rows between partitions.
  partitionBy: [{ column: "_is_current", transform: "identity" }],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const CURATED_ORDERS: TableDefinition = {
  name: "curated_orders",
  comment: "Silver: one row per order (its latest valid version), amounts in exact decimals",
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
    {
      name: "items",
      type: "array<struct<product_id:string,quantity:int,unit_price:decimal(10,2),discount:decimal(5,2)>>",
      comment: "the line items the amounts were computed from (raw_orders row of _source_version)",
    },
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
    sourceVersion,
    {
      name: "_order_dates",
      type: "array<date>",
      comment: "every order date the order has had (gold recomputes each)",
    },
    { name: "_change_seq", type: "bigint", comment: "silver_orders run that last changed the row" },
    {
      name: "_order_customers",
      type: "array<string>",
      comment: "every customer the order has had (silver_customers recounts each)",
    },
  ],
  quality: {
    notNull: [
      "order_id",
      "customer_id",
      "order_status",
      "order_date",
      "item_count",
      "net_amount",
      "_change_seq",
    ],
    unique: [{ columns: ["order_id"] }],
    acceptedValues: { order_status: ORDER_STATUSES },
    ranges: {
      item_count: { min: "1" },
      subtotal_amount: MONEY_NOT_NEGATIVE,
      total_amount: MONEY_NOT_NEGATIVE,
      discount_amount: MONEY_NOT_NEGATIVE,
      tax_amount: MONEY_NOT_NEGATIVE,
      shipping_cost: MONEY_NOT_NEGATIVE,
      net_amount: MONEY_NOT_NEGATIVE,
    },
    references: [
      { column: "customer_id", table: "raw_customers", tableColumn: "customer_id", maxShare: 0.05 },
    ],
  },
  // By order day only: the grain gold recomputes and a date-range query prunes to, and what a daily MERGE
  // rewrites (the days its batch touches). shipping_country split each day into a small file per country
  // and no reader filtered by it.
  partitionBy: [{ column: "order_date", transform: "day" }],
  properties: { format: "parquet", write_compression: "zstd" },
  // Each write task sorts its rows by day and writes one day's file at a time. Iceberg's default for an
  // unsorted table is a fanout writer, a Parquet writer open per day in the task: a history's first load
  // (2 million orders over 100 days, 50 days a task) ran a 4 GB heap out of memory, outside what Spark's
  // memory manager can spill. The sort in the first load's plan: jobs/tests/test_writes_one_day_at_a_time.py.
  sparkWriteOptions: { "distribution-mode": "hash", "fanout-enabled": "false" },
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
  quality: {
    notNull: [
      "metric_date",
      "metric_type",
      "dimension_key",
      "dimension_value",
      "metric_value",
      "metric_count",
    ],
    unique: [{ columns: ["metric_date", "metric_type", "dimension_key", "dimension_value"] }],
    acceptedValues: {
      metric_type: ["daily_revenue", "segment_revenue", "category_revenue"],
      dimension_key: ["all", "customer_segment", "category"],
    },
    ranges: { metric_value: MONEY_NOT_NEGATIVE, metric_count: { min: "1" } },
  },
  // By month: a day holds a few dozen rows (15 with the sample data), so metric_type x metric_date made
  // three files of a few hundred bytes a day. gold replaces whole months that hold an affected date.
  partitionBy: [{ column: "metric_date", transform: "month" }],
  properties: { format: "parquet", write_compression: "zstd" },
  sparkWriteOptions: { "distribution-mode": "hash" },
};

export { CUSTOMER_COUNTED_ORDERS, INGESTION_LOG, JOB_PROGRESS, QUALITY_RESULTS, QUARANTINE_RECORDS };

export const LAKEHOUSE_TABLES: readonly TableDefinition[] = [
  RAW_CUSTOMERS,
  RAW_PRODUCTS,
  RAW_ORDERS,
  CURATED_CUSTOMERS,
  CUSTOMER_COUNTED_ORDERS,
  CURATED_ORDERS,
  AGG_DAILY_METRICS,
  QUARANTINE_RECORDS,
  INGESTION_LOG,
  JOB_PROGRESS,
  QUALITY_RESULTS,
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
