import { TableDefinition } from "./table-definition";

/**
 * The tables the jobs keep about their own work, declared like the data tables (seed-tables.ts lists
 * them all): what was refused (quarantine_records), what was ingested (ingestion_log), how far each job
 * got (job_progress) and what the quality checks found (quality_results).
 */

export const QUARANTINE_RECORDS: TableDefinition = {
  name: "quarantine_records",
  comment: "Records a job refused, with the reason, for inspection and replay",
  prefix: "quarantine/records/",
  columns: [
    { name: "source_table", type: "string" },
    { name: "record_key", type: "string" },
    { name: "reason", type: "string" },
    {
      name: "payload",
      type: "string",
      comment: "the refused record as JSON (bronze: the landing line as received)",
    },
    { name: "job_name", type: "string" },
    { name: "_quarantined_at", type: "timestamp" },
    { name: "source_file", type: "string", comment: "landing file of the record" },
    { name: "source_line", type: "bigint", comment: "line of the record in that file" },
    { name: "ingestion_id", type: "bigint", comment: "bronze run that read the record" },
  ],
  partitionBy: [
    { column: "source_table", transform: "identity" },
    { column: "_quarantined_at", transform: "day" },
  ],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const INGESTION_LOG: TableDefinition = {
  name: "ingestion_log",
  comment: "Every landing file bronze_ingest read, once: what it held and what became of it",
  prefix: "raw/ingestion_log/",
  columns: [
    { name: "source_table", type: "string", comment: "raw table the file was read into" },
    { name: "file_path", type: "string" },
    { name: "file_size", type: "bigint", comment: "bytes when it was read" },
    { name: "file_modified_at", type: "timestamp" },
    { name: "file_etag", type: "string", comment: "when the file system reports one (S3)" },
    {
      name: "landed_at",
      type: "timestamp",
      comment: "the batch folder's time (the rows' _ingestion_timestamp)",
    },
    { name: "ingestion_id", type: "bigint", comment: "bronze run that read it (the rows' _ingestion_id)" },
    { name: "records", type: "bigint", comment: "non-blank lines (null: rebuilt after an interrupted run)" },
    { name: "rows_ingested", type: "bigint" },
    { name: "rows_quarantined", type: "bigint", comment: "null: rebuilt after an interrupted run" },
    {
      name: "undeclared_fields",
      type: "map<string,bigint>",
      comment: "fields the table does not declare -> records carrying them",
    },
    {
      name: "undeclared_sample",
      type: "string",
      comment: "the first line carrying an undeclared field, as received",
    },
    { name: "_ingested_at", type: "timestamp" },
  ],
  quality: {
    notNull: ["source_table", "file_path", "ingestion_id"],
    unique: [{ columns: ["source_table", "file_path"] }],
  },
  partitionBy: [{ column: "source_table", transform: "identity" }],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const JOB_PROGRESS: TableDefinition = {
  name: "job_progress",
  comment: "How far each job has processed each source: watermarks kept as data, so maintenance keeps them",
  prefix: "curated/job_progress/",
  columns: [
    { name: "job_name", type: "string" },
    { name: "run_seq", type: "bigint", comment: "the job's run number" },
    { name: "source_table", type: "string" },
    { name: "through_seq", type: "bigint", comment: "highest sequence of the source processed" },
    { name: "source_snapshot_id", type: "bigint", comment: "source snapshot read (audit; may expire)" },
    { name: "target_table", type: "string" },
    {
      name: "target_snapshot_id",
      type: "bigint",
      comment: "target snapshot after the run (null: unchanged)",
    },
    { name: "_recorded_at", type: "timestamp" },
  ],
  quality: {
    notNull: ["job_name", "run_seq", "source_table"],
    unique: [{ columns: ["job_name", "run_seq", "source_table"] }],
  },
  partitionBy: [{ column: "job_name", transform: "identity" }],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const QUALITY_RESULTS: TableDefinition = {
  name: "quality_results",
  comment:
    "Every quality check of every audited job run, published or stopped (jobs/lakehouse_jobs/publish.py)",
  prefix: "curated/quality_results/",
  columns: [
    { name: "run_id", type: "string", comment: "pipeline run (Step Functions execution name)" },
    { name: "job_name", type: "string" },
    { name: "table_name", type: "string" },
    { name: "check_name", type: "string", comment: "e.g. unique:order_id, references:customer_id, volume" },
    { name: "passed", type: "boolean" },
    {
      name: "accepted",
      type: "boolean",
      comment: "failed, but accepted for this run (--accept-failed-checks)",
    },
    { name: "observed", type: "bigint", comment: "failing keys, values or rows; rows added; age in minutes" },
    { name: "unit", type: "string", comment: "what observed counts: rows, keys, values, minutes" },
    { name: "checked", type: "bigint", comment: "rows, keys or values the check looked at" },
    { name: "threshold", type: "string", comment: "what passes, as text" },
    { name: "detail", type: "string", comment: "a sample of failing values, or the history compared with" },
    { name: "audit_branch", type: "string", comment: "the Iceberg branch the run wrote and was checked on" },
    { name: "audited_snapshot_id", type: "bigint", comment: "that branch's snapshot when checked" },
    { name: "checked_at", type: "timestamp" },
  ],
  partitionBy: [{ column: "checked_at", transform: "day" }],
  properties: { format: "parquet", write_compression: "zstd" },
};

/** Every table the stack declares, in creation order. */
