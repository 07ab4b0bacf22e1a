"""bronze_ingest: landing JSON files -> raw_customers, raw_products, raw_orders (append), each file once.

Every landing file not yet in `ingestion_log` is read (landing.py: late batches and files added to a
batch already read included); a logged file that changed is skipped and reported (ingestion_log.py).
Each raw row gets `_ingestion_timestamp` = its batch's landed_at, `_ingestion_id` = this run's number
(one above the log's highest) and its landing position (`_source_file`, `_source_line`).

Order of work, so that a failure changes nothing or can be resumed:
1. list the landing files; log those an interrupted earlier run appended, from their raw rows (they
   are never read twice);
2. read every new file of every table; a line that is not JSON of the table's types fails the run,
   naming the file, before any table is changed;
3. quarantine the records with a refused decimal (exact_decimals) with the reason and the line as
   received, then fail if a table's refused share is above `--max-bad-record-share`;
4. append the accepted rows, one commit per table; 5. log the files.
Landing fields the table does not declare are counted per batch in the summary and per file in the log,
with a sample line. The JSON schema is the raw table's own schema, read from the catalog: a column
added to the table spec is read from the next file on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .arguments import BronzeIngestArguments
from .cost_metrics import TableCost
from .ingestion_log import (
    INGESTION_ID_PROPERTY,
    FileCounts,
    append_log,
    file_counts,
    highest_ingestion_id,
    log_rows,
    logged_files,
    new_files,
    recover,
)
from .landing import LandingFile, list_landing
from .landing_read import CORRUPT, raw_rows, read_records, source_schema
from .quarantine import check_bad_share, write_quarantine
from .report import JobReport
from .snapshots import JOB_PROPERTY, Lakehouse, commit_with_properties

JOB = "bronze_ingest"
LANDING_TABLES = {"customers": "raw_customers", "products": "raw_products", "orders": "raw_orders"}
KEYS = {"raw_customers": "customer_id", "raw_products": "product_id", "raw_orders": "order_id"}
LOG = logging.getLogger("lakehouse_jobs")


@dataclass
class TableRead:
    """One raw table's new files, their records and what each file held."""

    table_name: str
    files: list[LandingFile]
    records: DataFrame
    counts: dict[str, FileCounts]

    def total(self, field: str) -> int:
        return sum(getattr(c, field) or 0 for c in self.counts.values())


def check_no_corrupt_lines(records: DataFrame, table: str) -> None:
    corrupt = records.where(F.col(f"_record.{CORRUPT}").isNotNull()).select("_source_file", "_line").first()
    if corrupt is not None:
        raise ValueError(
            f"[--landing-uri] {corrupt['_source_file']}: a line is not valid JSON for {table}'s columns "
            f"(types or syntax): {corrupt['_line'][:200]!r}; no table was changed"
        )


def quarantined_records(records: DataFrame, table_name: str, ingestion_id: int) -> DataFrame:
    """Refused landing records as quarantine rows: the payload is the line exactly as received."""
    return records.where("_problems IS NOT NULL").select(
        F.lit(table_name).alias("source_table"),
        F.col(f"_record.{KEYS[table_name]}").cast("string").alias("record_key"),
        F.col("_problems").alias("reason"),
        F.col("_line").alias("payload"),
        F.lit(JOB).alias("job_name"),
        F.current_timestamp().cast("timestamp_ntz").alias("_quarantined_at"),
        F.col("_source_file").alias("source_file"),
        F.col("_source_line").alias("source_line"),
        F.lit(ingestion_id).cast("bigint").alias("ingestion_id"),
    )


def undeclared_by_batch(files: list[LandingFile], counts: dict[str, FileCounts]) -> dict[str, str]:
    """`{batch: "field:records,..."}` over the files of one table, for the batches that have any (pure)."""
    totals: dict[str, dict[str, int]] = {}
    for file in files:
        fields = counts[file.path].undeclared_fields if file.path in counts else {}
        for field, n in fields.items():
            batch = totals.setdefault(file.batch, {})
            batch[field] = batch.get(field, 0) + n
    return {
        batch: ",".join(f"{field}:{n}" for field, n in sorted(fields.items()))
        for batch, fields in sorted(totals.items())
    }


def list_all(spark: SparkSession, landing: str, report: JobReport) -> dict[str, list[LandingFile]]:
    listed = {}
    for entity, table_name in LANDING_TABLES.items():
        files, skipped = list_landing(spark, f"{landing}{entity}/")
        for item in skipped:
            LOG.warning("%s: skipped %s: %s", table_name, item.path, item.reason)
        report.note(f"{table_name}.files_outside_batches", len(skipped))
        listed[table_name] = files
    return listed


def read_new(
    spark: SparkSession, lakehouse: Lakehouse, report: JobReport, table_name: str, files: list[LandingFile]
) -> TableRead | None:
    unread, changed = new_files(files, logged_files(spark, lakehouse, table_name))
    for item in changed:
        LOG.warning("%s: skipped %s: %s", table_name, item.path, item.reason)
    report.note(f"{table_name}.new_files", len(unread))
    report.note(f"{table_name}.changed_files_skipped", len(changed))
    if not unread:
        return None
    schema = source_schema(spark.table(lakehouse.table(table_name)).schema)
    records = read_records(spark, unread, schema).persist()
    check_no_corrupt_lines(records, table_name)
    return TableRead(table_name, unread, records, file_counts(records))


def run(spark: SparkSession, args: BronzeIngestArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options, args.audit_branches)
    listed = list_all(spark, args.landing_uri, report)
    every_file = {f.path: f for files in listed.values() for f in files}
    recovered = recover(spark, lakehouse, list(LANDING_TABLES.values()), every_file, JOB)
    if recovered:
        LOG.warning(
            "logged %d file(s) an interrupted run had appended: %s", len(recovered), ", ".join(recovered)
        )
    reads = [r for t, files in listed.items() if (r := read_new(spark, lakehouse, report, t, files))]
    for read in reads:
        landing = TableCost(files_read=len(read.files), bytes_read=sum(f.size for f in read.files))
        report.add_cost(f"landing/{read.table_name.removeprefix('raw_')}", landing)
    ingestion_id = highest_ingestion_id(spark, lakehouse) + 1
    for read in reads:
        if read.total("rows_quarantined") > 0:
            rows = quarantined_records(read.records, read.table_name, ingestion_id)
            write_quarantine(spark, lakehouse, rows, JOB, (read.table_name, ingestion_id - 1))
    for read in reads:  # every table checked before any is written
        check_bad_share(
            JOB,
            read.table_name,
            read.total("records"),
            read.total("rows_quarantined"),
            args.max_bad_record_share,
        )
    log = []
    for read in reads:
        if read.total("rows_ingested") > 0:  # files without an accepted record are only logged
            table = lakehouse.table(read.table_name)
            rows = raw_rows(read.records, spark.table(table).schema, ingestion_id)
            writer = rows.writeTo(table).options(**lakehouse.write_options.get(read.table_name, {}))
            properties = {JOB_PROPERTY: JOB, INGESTION_ID_PROPERTY: str(ingestion_id)}
            commit_with_properties(spark, properties, writer.append)
        report.rows_in += read.total("records")
        report.quarantined += read.total("rows_quarantined")
        report.rows_out += read.total("rows_ingested")
        report.note(f"{read.table_name}.appended", read.total("rows_ingested"))
        undeclared = undeclared_by_batch(read.files, read.counts)
        for batch, fields in undeclared.items():  # per batch; per file in ingestion_log, with a sample
            report.note(f"{read.table_name}.undeclared_fields.{batch}", fields)
        if not undeclared:
            report.note(f"{read.table_name}.undeclared_fields", "none")
        log.extend(log_rows(read.table_name, read.files, read.counts, ingestion_id))
    if log:
        append_log(spark, lakehouse, log, JOB, ingestion_id)
    report.note("ingestion_id", ingestion_id if log else "none")
    for read in reads:
        read.records.unpersist()
