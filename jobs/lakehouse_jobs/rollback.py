"""maintenance --mode rollback: put tables back to an earlier snapshot, and their bookkeeping with them,
so that the next run reprocesses what was rolled back exactly once.

- `--rollback-run <id>`: every table the run published goes back to its `pre-run-<id>` tag, its
  bookkeeping (`ingestion_log`, `job_progress`, published and tagged by the run like its targets)
  included, so every job's progress matches the tables again. Runs published after it are undone too
  (their tables hold what they added on top).
- `--rollback-table <t> --to-snapshot | --to-timestamp | --to-tag`: one data table. Its bookkeeping is
  shared, so it is rewound rather than restored: the job that writes the table goes back to how far it
  was when the restored snapshot was written (bronze: the files of the rows the table no longer holds
  leave `ingestion_log`), and every job that reads the table goes back to the highest sequence it
  still holds. A rewind is a new progress run, so sequences keep growing and the reprocessed rows are
  new to the readers. Tables downstream keep what they derived until those rows reach them again.
  Bookkeeping and evidence tables (`quality_results`, `quarantine_records`) are refused one by one.

Everything is checked before anything changes (a missing table, snapshot, tag or time is refused with
what exists); then bookkeeping moves first, tables second, so a rollback interrupted half way leaves
reprocessing to do, never rows the bookkeeping says were processed but that are gone. Each table moves
with Iceberg's `set_current_snapshot`; nothing is deleted (roll forward with `--to-snapshot` and the
previous snapshot the summary names, until snapshot expiry).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from .arguments import RollbackArguments
from .bronze import JOB as BRONZE
from .ingestion_log import INGESTION_LOG
from .progress import (
    SEQUENCE_COLUMNS,
    load_progress,
    progress_through_run,
    rewind_progress,
)
from .publication import BOOKKEEPING_TABLES, EVIDENCE_TABLES, WRITER_JOBS
from .report import JobReport
from .rollback_target import RollbackTarget, pre_run_tag
from .snapshots import JOB_PROPERTY, RUN_SEQ_PROPERTY, Lakehouse, commit_with_properties, current_snapshot_id

JOB = "maintenance"


class RollbackRefused(RuntimeError):
    """The rollback target does not exist or may not be rolled back alone; nothing was changed."""


@dataclass(frozen=True)
class Restore:
    table: str
    snapshot_id: int
    current: int | None


def _tables(spark: SparkSession, lakehouse: Lakehouse) -> list[str]:
    return sorted(
        r.tableName for r in spark.sql(f"SHOW TABLES IN {lakehouse.catalog}.{lakehouse.database}").collect()
    )


def _tags(spark: SparkSession, main: str) -> dict[str, int]:
    return {
        r.name: r.snapshot_id for r in spark.sql(f"SELECT * FROM {main}.refs WHERE type = 'TAG'").collect()
    }


def plan_run(spark: SparkSession, lakehouse: Lakehouse, run_id: str) -> list[Restore]:
    """Every table carrying the run's pre-run tag, bookkeeping first."""
    tag, restores, seen = pre_run_tag(run_id), [], set()
    for table in _tables(spark, lakehouse):
        main = lakehouse.main_table(table)
        tags = _tags(spark, main)
        seen.update(t for t in tags if t.startswith("pre-run-"))
        if tag in tags:
            restores.append(Restore(table, tags[tag], current_snapshot_id(spark, main)))
    if not restores:
        known = ", ".join(sorted(seen)[-5:]) or "none"
        raise RollbackRefused(
            f"[--rollback-run] no table of {lakehouse.database} carries tag {tag}: run {run_id} published "
            f"nothing, or its tags expired (rollback.runTagRetentionDays). Pre-run tags there (latest 5): "
            f"{known}. Nothing was changed"
        )
    return sorted(restores, key=lambda r: (r.table not in BOOKKEEPING_TABLES, r.table))


def _snapshot_at(spark: SparkSession, main: str, target: RollbackTarget) -> int:
    if target.snapshot_id is not None:
        known = spark.sql(f"SELECT snapshot_id FROM {main}.snapshots ORDER BY committed_at DESC").collect()
        if target.snapshot_id not in {r.snapshot_id for r in known}:
            latest = ", ".join(str(r.snapshot_id) for r in known[:5]) or "none"
            raise RollbackRefused(
                f"[--to-snapshot] {target.snapshot_id} is not a snapshot of {main} (never was, or expired); "
                f"its latest snapshots: {latest}. Nothing was changed"
            )
        return target.snapshot_id
    if target.tag is not None:
        tags = _tags(spark, main)
        if target.tag not in tags:
            raise RollbackRefused(
                f"[--to-tag] {main} has no tag {target.tag}; its tags: {', '.join(sorted(tags)) or 'none'}. "
                "Nothing was changed"
            )
        return tags[target.tag]
    history = spark.sql(f"SELECT made_current_at, snapshot_id FROM {main}.history ORDER BY made_current_at")
    then = history.where(F.col("made_current_at") <= F.lit(target.timestamp)).collect()
    if not then:
        first = history.first()
        since = f"since {first.made_current_at:%Y-%m-%dT%H:%M:%S.%fZ}" if first else "never"
        raise RollbackRefused(
            f"[--to-timestamp] {main} had no snapshot at {target.timestamp:%Y-%m-%dT%H:%M:%SZ}: it has "
            f"one {since}. Nothing was changed"
        )
    return then[-1].snapshot_id


def plan_table(spark: SparkSession, lakehouse: Lakehouse, target: RollbackTarget) -> Restore:
    table = target.table or ""
    if table not in _tables(spark, lakehouse):
        raise RollbackRefused(
            f"[--rollback-table] {lakehouse.database} has no table {table}; tables: "
            f"{', '.join(_tables(spark, lakehouse))}. Nothing was changed"
        )
    if table in BOOKKEEPING_TABLES or table in EVIDENCE_TABLES:
        why = (
            "is bookkeeping, rolled back with the tables it describes (--rollback-run, or roll back the "
            "data table: its bookkeeping is rewound to match)"
            if table in BOOKKEEPING_TABLES
            else "is evidence of what the jobs refused and checked, never rolled back"
        )
        raise RollbackRefused(f"[--rollback-table] {table} {why}. Nothing was changed")
    main = lakehouse.main_table(table)
    return Restore(table, _snapshot_at(spark, main, target), current_snapshot_id(spark, main))


def _writer_run_seq(spark: SparkSession, main: str, snapshot_id: int, writer: str) -> int | None:
    """The run of `writer` that wrote `snapshot_id` or its nearest ancestor (None: none left)."""
    rows = spark.sql(f"SELECT snapshot_id, parent_id, summary FROM {main}.snapshots").collect()
    snapshots = {r.snapshot_id: r for r in rows}
    current: int | None = snapshot_id
    while current in snapshots:
        summary = snapshots[current].summary or {}
        if summary.get(JOB_PROPERTY) == writer and RUN_SEQ_PROPERTY in summary:
            return int(summary[RUN_SEQ_PROPERTY])
        current = snapshots[current].parent_id
    return None


def rewind_bookkeeping(spark: SparkSession, lakehouse: Lakehouse, restore: Restore) -> list[str]:
    """Bookkeeping as it was when `restore.snapshot_id` was written (module docstring); what it did."""
    table, main = restore.table, lakehouse.main_table(restore.table)
    column = SEQUENCE_COLUMNS.get(table)
    top = None
    if column is not None:
        top = spark.read.option("snapshot-id", restore.snapshot_id).table(main).agg(F.max(column)).first()[0]
    done = []
    readers = spark.table(lakehouse.main_table("job_progress")).where(F.col("source_table") == table)
    for job in sorted({r.job_name for r in readers.select("job_name").distinct().collect()}):
        through = load_progress(spark, lakehouse, job).through.get(table)
        if column is not None and through is not None and (top is None or through > top):
            run = rewind_progress(spark, lakehouse, job, {table: top}, table)
            done.append(f"{job} reads {table} after {top or 0} (run {run})")
    writer = WRITER_JOBS[table]
    if writer == BRONZE:
        log = lakehouse.main_table(INGESTION_LOG)
        condition = f"source_table = '{table}' AND ingestion_id > {int(top or 0)}"
        forgotten = spark.table(log).where(condition).count()
        commit_with_properties(
            spark, {JOB_PROPERTY: JOB}, lambda: spark.sql(f"DELETE FROM {log} WHERE {condition}")
        )
        done.append(f"{INGESTION_LOG} forgets {forgotten} {table} file(s) after ingestion {int(top or 0)}")
    else:
        then = progress_through_run(
            spark, lakehouse, writer, _writer_run_seq(spark, main, restore.snapshot_id, writer)
        )
        if then:
            run = rewind_progress(spark, lakehouse, writer, then, table)
            reads = ", ".join(f"{source} after {seq or 0}" for source, seq in sorted(then.items()))
            done.append(f"{writer} reads {reads} (run {run})")
    return done


def _count(spark: SparkSession, main: str, snapshot_id: int | None) -> int:
    if snapshot_id is None:
        return 0
    return spark.read.option("snapshot-id", snapshot_id).table(main).count()


def run(spark: SparkSession, args: RollbackArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, {})
    target = args.rollback
    report.note("rollback", target.describe())
    if target.run_id is not None:
        restores = plan_run(spark, lakehouse, target.run_id)
    else:
        restores = [plan_table(spark, lakehouse, target)]
        report.note("rewound", "; ".join(rewind_bookkeeping(spark, lakehouse, restores[0])) or "nothing")
    for restore in restores:
        main = lakehouse.main_table(restore.table)
        before = _count(spark, main, restore.current)
        if restore.current != restore.snapshot_id:
            spark.sql(
                f"CALL {lakehouse.procedure('set_current_snapshot')}(table => "
                f"'{lakehouse.procedure_table(restore.table)}', snapshot_id => {restore.snapshot_id})"
            ).collect()
        after = _count(spark, main, restore.snapshot_id)
        report.rows_in += before
        report.rows_out += after
        report.note(
            restore.table, f"snapshot {restore.current} -> {restore.snapshot_id}, rows {before} -> {after}"
        )
