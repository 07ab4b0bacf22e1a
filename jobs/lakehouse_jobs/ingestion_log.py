"""`ingestion_log`: one row for every landing file bronze read, so each file is read exactly once.

A file is new when its path is not in the log. A logged path whose size, modification time or etag
changed is skipped and reported: landing files are immutable, new content lands as a new file. The log
is written after the raw rows; a run interrupted in between left raw rows (with their `_ingestion_id`
above the log's highest) whose files the log lacks, and the next run logs those files from the raw
rows instead of reading them again (`recover`). The log is ordinary Iceberg data: compaction and
snapshot expiry keep every row of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .landing import LandingFile, Skipped
from .snapshots import JOB_PROPERTY, Lakehouse, commit_with_properties

INGESTION_LOG = "ingestion_log"
INGESTION_ID_PROPERTY = "lakehouse.ingestion-id"


@dataclass(frozen=True)
class LoggedFile:
    path: str
    size: int | None
    modified_at: datetime | None
    etag: str | None


@dataclass(frozen=True)
class FileCounts:
    """What one file held, from the records read (landing_read.read_records)."""

    records: int | None  # None: not known (a file logged after an interrupted run)
    rows_ingested: int
    rows_quarantined: int | None
    undeclared_fields: Mapping[str, int]
    undeclared_sample: str | None


def logged_files(spark: SparkSession, lakehouse: Lakehouse, table_name: str) -> dict[str, LoggedFile]:
    rows = (
        spark.table(lakehouse.table(INGESTION_LOG))
        .where(F.col("source_table") == table_name)
        .select("file_path", "file_size", "file_modified_at", "file_etag")
        .collect()
    )
    return {r.file_path: LoggedFile(r.file_path, r.file_size, r.file_modified_at, r.file_etag) for r in rows}


def changed_since_logged(file: LandingFile, logged: LoggedFile) -> str | None:
    """Why a logged file is not the one that was read, or None when it is unchanged (pure)."""
    changes = []
    if logged.size is not None and logged.size != file.size:
        changes.append(f"size {logged.size} -> {file.size}")
    if logged.modified_at is not None and logged.modified_at != file.modified_at:
        changes.append(
            f"modified {logged.modified_at:%Y-%m-%dT%H:%M:%S} -> {file.modified_at:%Y-%m-%dT%H:%M:%S}"
        )
    if logged.etag is not None and file.etag is not None and logged.etag != file.etag:
        changes.append(f"etag {logged.etag} -> {file.etag}")
    if not changes:
        return None
    return (
        f"changed after it was ingested ({', '.join(changes)}); not read again: landing files are "
        "immutable, land new content as a new file"
    )


def new_files(
    files: Sequence[LandingFile], logged: Mapping[str, LoggedFile]
) -> tuple[list[LandingFile], list[Skipped]]:
    """The files never read, and the logged files that changed since (pure)."""
    unread, changed = [], []
    for file in files:
        if file.path not in logged:
            unread.append(file)
        else:
            reason = changed_since_logged(file, logged[file.path])
            if reason is not None:
                changed.append(Skipped(file.path, reason))
    return unread, changed


def highest_ingestion_id(spark: SparkSession, lakehouse: Lakehouse) -> int:
    top = spark.table(lakehouse.table(INGESTION_LOG)).agg(F.max("ingestion_id")).first()[0]
    return int(top or 0)


def file_counts(records: DataFrame) -> dict[str, FileCounts]:
    """Per `_source_file` of `records`: records, accepted, refused, undeclared fields and a sample."""
    undeclared = (
        records.select("_source_file", F.explode("_undeclared").alias("field"))
        .groupBy("_source_file", "field")
        .count()
        .groupBy("_source_file")
        .agg(F.map_from_entries(F.collect_list(F.struct("field", "count"))).alias("fields"))
    )
    counts = (
        records.groupBy("_source_file")
        .agg(
            F.count("*").alias("records"),
            F.count_if(F.col("_problems").isNull()).alias("ingested"),
            F.count_if(F.col("_problems").isNotNull()).alias("quarantined"),
            F.min_by("_line", F.when(F.size("_undeclared") > 0, F.col("_source_line"))).alias("sample"),
        )
        .join(undeclared, "_source_file", "left")
    )
    return {
        r._source_file: FileCounts(r.records, r.ingested, r.quarantined, dict(r.fields or {}), r.sample)
        for r in counts.collect()
    }


def log_rows(
    table_name: str, files: Iterable[LandingFile], counts: Mapping[str, FileCounts], ingestion_id: int
) -> list[tuple]:
    """Rows of the log for `files` read by run `ingestion_id` (a file without lines counts zero)."""
    empty = FileCounts(0, 0, 0, {}, None)
    return [
        _log_row(table_name, f.path, f, f.landed_at, ingestion_id, counts.get(f.path, empty)) for f in files
    ]


def _log_row(
    table_name: str,
    path: str,
    file: LandingFile | None,
    landed_at: datetime,
    ingestion_id: int,
    c: FileCounts,
) -> tuple:
    """One row of the log, in its column order (without `_ingested_at`)."""
    size, modified, etag = (file.size, file.modified_at, file.etag) if file else (None, None, None)
    return (
        *(table_name, path, size, modified, etag, landed_at, ingestion_id),
        *(c.records, c.rows_ingested, c.rows_quarantined, dict(c.undeclared_fields), c.undeclared_sample),
    )


def append_log(
    spark: SparkSession, lakehouse: Lakehouse, rows: list[tuple], job: str, ingestion_id: int
) -> None:
    table = lakehouse.table(INGESTION_LOG)
    columns = [f for f in spark.table(table).schema.fields if f.name != "_ingested_at"]
    frame = spark.createDataFrame(rows, ",".join(f"{f.name} {f.dataType.simpleString()}" for f in columns))
    frame = frame.withColumn("_ingested_at", F.current_timestamp().cast("timestamp_ntz"))
    properties = {JOB_PROPERTY: job, INGESTION_ID_PROPERTY: str(ingestion_id)}
    commit_with_properties(spark, properties, frame.writeTo(table).append)


def refuse_unlogged_rows(spark: SparkSession, lakehouse: Lakehouse, raw_tables: Sequence[str]) -> None:
    """With an empty log, raw rows without an `_ingestion_id` (appended by a bronze that did not log
    its files) cannot be traced to their files: reading the landing folder would append them again."""
    for table_name in raw_tables:
        if spark.table(lakehouse.table(table_name)).where(F.col("_ingestion_id").isNull()).limit(1).count():
            raise ValueError(
                f"[{INGESTION_LOG}] is empty but {table_name} holds rows appended before bronze_ingest "
                "logged the files it read (their _ingestion_id is null): reading the landing folder now "
                "would append them again. Log the landing files those rows came from (INSERT INTO "
                f"{INGESTION_LOG} one row per file: source_table, file_path, ingestion_id 0), then run "
                "again; no table was changed"
            )


def recover(
    spark: SparkSession,
    lakehouse: Lakehouse,
    raw_tables: Sequence[str],
    listing: Mapping[str, LandingFile],
    job: str,
) -> list[str]:
    """Logs the files whose raw rows an interrupted run appended without logging them (see the module
    docstring). Returns their paths. What the interrupted run counted is not known (records and
    rows_quarantined are null); a file no longer listed is logged without size and time."""
    through = highest_ingestion_id(spark, lakehouse)
    if spark.table(lakehouse.table(INGESTION_LOG)).limit(1).count() == 0:
        refuse_unlogged_rows(spark, lakehouse, raw_tables)
    rows, recovered_ids = [], set()
    for table_name in raw_tables:
        found = (
            spark.table(lakehouse.table(table_name))
            .where(F.col("_ingestion_id") > through)
            .groupBy("_source_file", "_ingestion_id", "_ingestion_timestamp")
            .count()
            .collect()
        )
        for r in found:
            counts = FileCounts(None, r["count"], None, {}, None)
            file = listing.get(r._source_file)
            rows.append(
                _log_row(table_name, r._source_file, file, r._ingestion_timestamp, r._ingestion_id, counts)
            )
            recovered_ids.add(r._ingestion_id)
    if rows:
        append_log(spark, lakehouse, rows, job, max(recovered_ids))
    return [r[1] for r in rows]
