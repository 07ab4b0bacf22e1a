"""Refused records go to `quarantine_records` with their reason; a job fails past its bad-record share.

Writes are idempotent (MERGE on source table, job, landing position and the record's payload): a rerun
over the same input never quarantines a record twice. The quarantine is written before the share is
checked, so a failed run leaves the evidence an operator needs; the failed run records no progress, so
the next run reads the same input again and fails again, until an operator decides (see
`bad_share_error`): land corrected records (they supersede the bad ones by the version order), then
accept what stays refused by running the job once with `--max-bad-record-share 1`. That run quarantines
nothing twice, processes the rest, and records its progress: the bad rows are not read again.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .snapshots import JOB_PROPERTY, Lakehouse, commit_with_properties

QUARANTINE_TABLE = "quarantine_records"


# Table timestamps are UTC wall-clock time (`timestamp_ntz`, as Athena's `timestamp` is in Iceberg):
# the payload says so explicitly, as the landing files did.
PAYLOAD_JSON_OPTIONS = {"timestampNTZFormat": "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"}


class BadRecordShareExceeded(RuntimeError):
    """More of a job's input was refused than `--max-bad-record-share` allows."""


def quarantine_rows(
    bad: DataFrame, source_table: str, key_column: str, payload_columns: Sequence[str], job: str
) -> DataFrame:
    """`bad` (raw rows) carries `_problems`; `payload_columns` are the source record's own columns."""
    return bad.select(
        F.lit(source_table).alias("source_table"),
        F.col(key_column).cast("string").alias("record_key"),
        F.col("_problems").alias("reason"),
        F.to_json(F.struct(*[F.col(c) for c in payload_columns]), PAYLOAD_JSON_OPTIONS).alias("payload"),
        F.lit(job).alias("job_name"),
        F.current_timestamp().cast("timestamp_ntz").alias("_quarantined_at"),
        F.col("_source_file").alias("source_file"),
        F.col("_source_line").alias("source_line"),
        F.col("_ingestion_id").alias("ingestion_id"),
    )


def write_quarantine(
    spark: SparkSession,
    lakehouse: Lakehouse,
    rows: DataFrame,
    job: str,
    source: tuple[str, int | None],
) -> None:
    """`source` is (the source table, the bronze run the rows come after, or None when they may come
    from any): the MERGE then reads only the quarantine files that can hold these rows (partition by
    source table, files by their ingestion_id bounds), not the whole quarantine."""
    source_table, after = source
    view = f"_quarantine_{job}"
    rows.createOrReplaceTempView(view)
    since = "" if after is None else f" AND q.ingestion_id > {int(after)}"
    merge = f"""
        MERGE INTO {lakehouse.table(QUARANTINE_TABLE)} q
        USING {view} s
        ON q.source_table = '{source_table}' AND q.job_name = '{job}'{since}
            AND q.source_table = s.source_table AND q.job_name = s.job_name AND q.payload = s.payload
            AND q.source_file <=> s.source_file AND q.source_line <=> s.source_line
        WHEN NOT MATCHED THEN INSERT *
    """
    commit_with_properties(spark, {JOB_PROPERTY: job}, lambda: spark.sql(merge))
    spark.catalog.dropTempView(view)


def quarantine_refused(
    spark: SparkSession,
    lakehouse: Lakehouse,
    checked: DataFrame,
    source: tuple[str, str, Sequence[str], int | None],
    job: str,
    max_share: float,
) -> tuple[int, int]:
    """Quarantines the rows of `checked` that carry `_problems`, then fails the job when their share
    is above `max_share`. `source` is (table, key column, the record's own columns, the bronze run the
    rows come after or None). Returns (rows in, rows quarantined)."""
    source_table, key_column, payload_columns, after = source
    counts = checked.agg(F.count("*"), F.count("_problems")).first()
    rows_in, quarantined = counts[0], counts[1]
    if quarantined > 0:
        bad = checked.where("_problems IS NOT NULL")
        rows = quarantine_rows(bad, source_table, key_column, payload_columns, job)
        write_quarantine(spark, lakehouse, rows, job, (source_table, after))
    check_bad_share(job, source_table, rows_in, quarantined, max_share)
    return rows_in, quarantined


def bad_share_error(job: str, source_table: str, rows_in: int, bad: int, max_share: float) -> str | None:
    """The failure message when `bad` of `rows_in` exceeds `max_share`, else None (pure)."""
    if rows_in == 0 or bad / rows_in <= max_share:
        return None
    return (
        f"{job}: {bad} of {rows_in} rows read from {source_table} ({bad / rows_in:.2%}) were quarantined, "
        f"above [--max-bad-record-share] {max_share}; see {QUARANTINE_TABLE} where job_name = '{job}'. "
        "The target table was not changed and the next run reads the same rows. To move past them: land "
        "corrected records if they can be corrected, then run this job once with "
        "--max-bad-record-share 1 to accept the rest as quarantined."
    )


def check_bad_share(job: str, source_table: str, rows_in: int, bad: int, max_share: float) -> None:
    message = bad_share_error(job, source_table, rows_in, bad, max_share)
    if message is not None:
        raise BadRecordShareExceeded(message)
