"""How far each job has processed each source, kept as data in `job_progress`, so that no maintenance
the stack allows can erase it (compaction rewrites files, never values; snapshot expiry removes
snapshots and their summaries, never rows of the current snapshot).

Every row a job reads carries a sequence that only grows: raw rows the `_ingestion_id` of the bronze
run that appended them, curated_orders rows the `_change_seq` of the silver_orders run that last
changed them, curated_customers versions the `_version_seq` of the silver_customers run that created
them. A run reads the rows of each source above the sequence it recorded last time (Iceberg prunes
files by the column's min/max), processes them, commits its target, then appends one progress row per
source: `through_seq` = the highest sequence it processed. A run interrupted between its target commit
and its progress reads the same rows again: every write is an idempotent MERGE or a replace of what it
recomputes, so that costs time, never a duplicate. With no progress recorded (a new job, or an
operator's `DELETE FROM job_progress WHERE job_name = '...'`) a job reads its sources whole: a full
reprocess, which gives the same rows as the incremental runs did.

Rows keep their run, the source snapshot read and the target snapshot written, so that a rollback of
a target can find the progress that matches a snapshot it restores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .report import JobReport
from .snapshots import Lakehouse, commit_run, current_snapshot_id, read_as_of

PROGRESS_TABLE = "job_progress"
# The sequence of each table a job reads incrementally (see the module docstring).
SEQUENCE_COLUMNS = {
    "raw_customers": "_ingestion_id",
    "raw_products": "_ingestion_id",
    "raw_orders": "_ingestion_id",
    "curated_orders": "_change_seq",
    "curated_customers": "_version_seq",
}


@dataclass(frozen=True)
class Progress:
    job: str
    last_run_seq: int  # 0: never recorded
    through: Mapping[str, int]  # source table -> highest sequence processed


def load_progress(spark: SparkSession, lakehouse: Lakehouse, job: str) -> Progress:
    """The job's progress: for each source, its row of the job's latest run that recorded it."""
    rows = (
        spark.table(lakehouse.table(PROGRESS_TABLE))
        .where(F.col("job_name") == job)
        .groupBy("source_table")
        .agg(F.max_by("through_seq", "run_seq").alias("through"), F.max("run_seq").alias("run_seq"))
        .collect()
    )
    last = max((r.run_seq for r in rows), default=0)
    return Progress(job, last, {r.source_table: r.through for r in rows})


def next_run_seq(spark: SparkSession, lakehouse: Lakehouse, progress: Progress, target: str) -> int:
    """This run's sequence: above the last recorded run and above any the target already holds (a run
    interrupted before its progress was recorded may have written its sequence)."""
    column = SEQUENCE_COLUMNS[target]
    in_target = spark.table(lakehouse.table(target)).agg(F.max(column)).first()[0]
    return max(progress.last_run_seq, int(in_target or 0)) + 1


@dataclass(frozen=True)
class Increment:
    """The rows of one source above the job's progress, read from one pinned snapshot."""

    rows: DataFrame
    table_name: str
    after: int | None  # None: no progress recorded, every row is read
    through: int  # the highest sequence among the rows (= after when there are none)
    snapshot_id: int | None
    is_empty: bool

    def within(self, stored: DataFrame) -> Increment:
        """The same increment taken from `stored`: this snapshot of the table, already read (kept)."""
        column = SEQUENCE_COLUMNS[self.table_name]
        rows = stored if self.after is None else stored.where(F.col(column) > self.after)
        return replace(self, rows=rows)

    def describe(self) -> str:
        if self.is_empty:
            return f"none after {self.after or 0}"
        mode = "full" if self.after is None else f"after {self.after}"
        return f"{mode} through {self.through}"


def read_increment(
    spark: SparkSession, lakehouse: Lakehouse, table_name: str, progress: Progress
) -> Increment:
    table, column = lakehouse.table(table_name), SEQUENCE_COLUMNS[table_name]
    snapshot_id = current_snapshot_id(spark, table)
    after = progress.through.get(table_name)
    stored = read_as_of(spark, table, snapshot_id)
    # The sequence only grows, so rows above `after` exist exactly when the table's highest is above it,
    # and that highest is theirs. Unfiltered, Iceberg answers max() from its files' column statistics
    # (aggregate push-down): no data file is read. Filtered first, it would read every file holding a
    # row above `after` (a dimension rewritten whole by each MERGE: all of it).
    top = stored.agg(F.max(column)).first()[0] if snapshot_id is not None else None
    found = top is not None and (after is None or top > after)
    rows = stored if after is None else stored.where(F.col(column) > after)
    through = int(top) if found else (after or 0)
    return Increment(rows, table_name, after, through, snapshot_id, not found)


def read_sources(
    spark: SparkSession, lakehouse: Lakehouse, job: str, sources: Sequence[str], report: JobReport
) -> tuple[Progress, dict[str, Increment]]:
    """The job's progress and, for each source, its rows above it (noted in the job's summary)."""
    progress = load_progress(spark, lakehouse, job)
    increments = {name: read_increment(spark, lakehouse, name, progress) for name in sources}
    for name, increment in increments.items():
        report.note(name, increment.describe())
    return progress, increments


def record_progress(
    spark: SparkSession,
    lakehouse: Lakehouse,
    job: str,
    run_seq: int,
    increments: Sequence[Increment],
    target: tuple[str, int | None],
) -> None:
    """Appends one row per source: how far this run got. `target` is (table, snapshot after the run,
    or None when the run left it unchanged)."""
    target_table, target_snapshot = target
    rows = [
        (job, run_seq, i.table_name, i.through, i.snapshot_id, target_table, target_snapshot)
        for i in increments
    ]
    _append(spark, lakehouse, job, run_seq, rows)


def progress_through_run(
    spark: SparkSession, lakehouse: Lakehouse, job: str, run_seq: int | None
) -> dict[str, int | None]:
    """For each source the job has progress on: how far it was after run `run_seq` (None: before its
    first run, or `run_seq` None)."""
    rows = spark.table(lakehouse.table(PROGRESS_TABLE)).where(F.col("job_name") == job)
    sources = [r.source_table for r in rows.select("source_table").distinct().collect()]
    then = load_progress_rows(rows.where(F.col("run_seq") <= (run_seq if run_seq is not None else 0)))
    return {source: then.get(source) for source in sources}


def load_progress_rows(rows: DataFrame) -> dict[str, int | None]:
    latest = rows.groupBy("source_table").agg(F.max_by("through_seq", "run_seq").alias("through")).collect()
    return {r.source_table: r.through for r in latest}


def rewind_progress(
    spark: SparkSession, lakehouse: Lakehouse, job: str, through: Mapping[str, int | None], target_table: str
) -> int:
    """Sets the job's progress on the given sources back (a rollback: None reads the source whole) with
    a new run of its own, so sequences keep growing: what the job writes next is new to its readers.
    Returns that run's number."""
    run_seq = load_progress(spark, lakehouse, job).last_run_seq + 1
    rows = [(job, run_seq, source, seq, None, target_table, None) for source, seq in sorted(through.items())]
    _append(spark, lakehouse, job, run_seq, rows)
    return run_seq


def _append(spark: SparkSession, lakehouse: Lakehouse, job: str, run_seq: int, rows: list[tuple]) -> None:
    schema = (
        "job_name string, run_seq bigint, source_table string, through_seq bigint, "
        "source_snapshot_id bigint, target_table string, target_snapshot_id bigint"
    )
    frame = spark.createDataFrame(rows, schema).withColumn(
        "_recorded_at", F.current_timestamp().cast("timestamp_ntz")
    )
    table = lakehouse.table(PROGRESS_TABLE)
    commit_run(spark, table, job, run_seq, frame.writeTo(table).append)
