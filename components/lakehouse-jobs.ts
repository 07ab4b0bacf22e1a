import { LakehouseConfig } from "../config/stack-config";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";

/** The folder of landing JSON; a job that reads it gets `--landing-uri`. */
export const LANDING_PREFIX = "landing/";

/** One Spark transform in `jobs/`: its entry script and exactly what it touches. */
export interface LakehouseJobDefinition {
  /** Job key, also the entry script's base name in `jobs/` (`<key>.py`). */
  readonly key: string;
  readonly description: string;
  /** Tables it reads (Glue GetTable, S3 reads under their prefixes). */
  readonly readsTables: readonly string[];
  /** Tables it commits to (Glue UpdateTable, S3 writes and deletes under their prefixes). */
  readonly writesTables: readonly string[];
  /** Non-table folders of the data bucket it reads (landing files). */
  readonly readsPrefixes: readonly string[];
  /** The job's own `--key value` parameters from the stack configuration. @default none */
  readonly configParameters?: (config: LakehouseConfig) => Record<string, string>;
}

const qualityParameters = (config: LakehouseConfig) => ({
  "--max-bad-record-share": String(config.quality.maxBadRecordShare),
});

const allTables = LAKEHOUSE_TABLES.map((t) => t.name);

/**
 * The pipeline's jobs, in the order the state machine runs them. Every job but maintenance keeps its
 * progress in job_progress (bronze: ingestion_log), and every job that refuses records writes them to
 * quarantine_records.
 */
export const LAKEHOUSE_JOBS: readonly LakehouseJobDefinition[] = [
  {
    key: "bronze_ingest",
    description: "Land customers, products and orders JSON into the raw_* tables, each landing file once",
    readsTables: [],
    writesTables: ["raw_customers", "raw_products", "raw_orders", "quarantine_records", "ingestion_log"],
    readsPrefixes: [LANDING_PREFIX],
    configParameters: qualityParameters,
  },
  {
    key: "silver_orders",
    description: "One row per order with exact decimal amounts and customer fields (MERGE by order_id)",
    // raw_products: an order's products must have landed; raw_customers: the customer's name and email.
    readsTables: ["raw_orders", "raw_products", "raw_customers"],
    writesTables: ["curated_orders", "quarantine_records", "job_progress"],
    readsPrefixes: [],
    configParameters: qualityParameters,
  },
  {
    key: "silver_customers",
    description: "SCD type 2 customers with segment and lifetime value (MERGE INTO)",
    // curated_orders: lifetime value counts exactly the orders silver_orders accepted.
    readsTables: ["raw_customers", "curated_orders"],
    writesTables: ["curated_customers", "quarantine_records", "job_progress"],
    readsPrefixes: [],
    configParameters: qualityParameters,
  },
  {
    key: "gold_daily_metrics",
    description: "Daily revenue, revenue by customer segment and by product category for affected dates",
    readsTables: ["curated_orders", "curated_customers", "raw_orders", "raw_products"],
    writesTables: ["agg_daily_metrics", "job_progress"],
    readsPrefixes: [],
  },
  {
    key: "maintenance",
    description:
      "Expire snapshots, rewrite data files and manifests, remove orphan files, one table at a time",
    readsTables: [],
    writesTables: allTables,
    readsPrefixes: [],
    configParameters: ({ maintenance }) => ({
      "--snapshot-retention-days": String(maintenance.snapshotRetentionDays),
      "--snapshots-to-keep": String(maintenance.snapshotsToKeep),
      "--orphan-file-min-age-days": String(maintenance.orphanFileMinAgeDays),
      "--target-file-size-mb": String(maintenance.targetFileSizeMb),
    }),
  },
];
