import { LAKEHOUSE_TABLES } from "../tables/seed-tables";
import { LANDING_PREFIX } from "./storage-layout";
import { MaintenanceAssignment, tablesMaintainedBy } from "./table-maintainers";

/** The key of the job that maintains the tables not maintained by Glue's optimizers. */
export const MAINTENANCE_JOB = "maintenance";

/** The jobs in `jobs/`, by key (`<key>.py` is each one's entry script). */
export type JobKey =
  "bronze_ingest" | "silver_orders" | "silver_customers" | "gold_daily_metrics" | "maintenance";

/** One Spark transform in `jobs/`: its entry script and exactly what it touches. */
export interface LakehouseJobDefinition {
  /** Job key, also the entry script's base name in `jobs/` (`<key>.py`). */
  readonly key: JobKey;
  readonly description: string;
  /** Tables it reads (Glue GetTable, S3 reads under their prefixes). */
  readonly readsTables: readonly string[];
  /** Tables it commits to (Glue UpdateTable, S3 writes and deletes under their prefixes). */
  readonly writesTables: readonly string[];
  /** Non-table folders of the data bucket it reads (landing files). */
  readonly readsPrefixes: readonly string[];
}

const allTables = LAKEHOUSE_TABLES.map((t) => t.name);

/**
 * Tables a job writes straight to main, never through an audit branch: what a job refused and what it
 * checked must stay visible when a run is stopped (jobs/lakehouse_jobs/publication.py).
 */
export const EVIDENCE_TABLES: readonly string[] = ["quarantine_records", "quality_results"];

/**
 * The tables a pipeline job publishes through an audit branch once its quality checks pass (write-audit-
 * publish): every table it writes but the evidence tables. Maintenance publishes nothing (none).
 */
export function publishedTables(job: LakehouseJobDefinition): string[] {
  return job.key === MAINTENANCE_JOB ? [] : job.writesTables.filter((t) => !EVIDENCE_TABLES.includes(t));
}

/** Every table a pipeline run can publish, and so roll back (`maintenance --mode rollback`). */
export function rollbackTables(): string[] {
  return [...new Set(LAKEHOUSE_JOBS.flatMap(publishedTables))].sort();
}

/**
 * The jobs of one stack. The maintenance job maintains only the tables it maintains (its `--tables`):
 * a table is never compacted and expired by both the job and Glue's optimizers, whose commits would
 * conflict. Its role also commits to the tables a pipeline run publishes, whoever maintains them: its
 * rollback mode moves them back to an earlier snapshot (a metadata commit). When the optimizers
 * maintain every table, there is no maintenance job (and no rollback on AWS).
 */
export function lakehouseJobs(config: MaintenanceAssignment): LakehouseJobDefinition[] {
  const byJob = tablesMaintainedBy(config, "job");
  const writes = [...new Set([...byJob, ...rollbackTables()])].sort();
  return LAKEHOUSE_JOBS.flatMap((job) =>
    job.key !== MAINTENANCE_JOB ? [job] : byJob.length === 0 ? [] : [{ ...job, writesTables: writes }],
  );
}

/**
 * The pipeline's jobs, in the order the state machine runs them. Every job but maintenance keeps its
 * progress in job_progress (bronze: ingestion_log), every job that refuses records writes them to
 * quarantine_records, and every job but maintenance writes its quality checks to quality_results. A
 * job's writesTables list its targets first and its bookkeeping last: the order it publishes them. What
 * each job is started with is ./job-parameters.
 */
export const LAKEHOUSE_JOBS: readonly LakehouseJobDefinition[] = [
  {
    key: "bronze_ingest",
    description: "Land customers, products and orders JSON into the raw_* tables, each landing file once",
    readsTables: [],
    writesTables: [
      "raw_customers",
      "raw_products",
      "raw_orders",
      "ingestion_log",
      "quarantine_records",
      "quality_results",
    ],
    readsPrefixes: [LANDING_PREFIX],
  },
  {
    key: "silver_orders",
    description: "One row per order with exact decimal amounts and customer fields (MERGE by order_id)",
    // raw_products: an order's products must have landed; raw_customers: the customer's name and email.
    readsTables: ["raw_orders", "raw_products", "raw_customers"],
    writesTables: ["curated_orders", "job_progress", "quarantine_records", "quality_results"],
    readsPrefixes: [],
  },
  {
    key: "silver_customers",
    description: "SCD type 2 customers with segment and lifetime value (MERGE INTO)",
    // curated_orders: lifetime value counts exactly the orders silver_orders accepted, kept per customer
    // in customer_counted_orders so that a run recounts only the days its changed orders touch.
    readsTables: ["raw_customers", "curated_orders"],
    writesTables: [
      "curated_customers",
      "customer_counted_orders",
      "job_progress",
      "quarantine_records",
      "quality_results",
    ],
    readsPrefixes: [],
  },
  {
    key: "gold_daily_metrics",
    description: "Daily revenue, revenue by customer segment and by product category for affected dates",
    // The line items come with each curated order; raw_products: the latest category of each product;
    // customer_counted_orders: the order dates a customer's new version can re-segment.
    readsTables: ["curated_orders", "curated_customers", "customer_counted_orders", "raw_products"],
    writesTables: ["agg_daily_metrics", "job_progress", "quality_results"],
    readsPrefixes: [],
  },
  {
    key: MAINTENANCE_JOB,
    description:
      "Expire snapshots, rewrite data files and manifests, remove orphan files, one table at a time",
    readsTables: [],
    writesTables: allTables,
    readsPrefixes: [],
  },
];
