"""Write-audit-publish of one pipeline job run: the quality gate between a job's writes and its readers.

1. open an audit branch of every table the job publishes (publication.py), at main;
2. run the job with its writes (and its reads of those tables) going to the branches;
3. check every table on its branch (quality_checks.py, quality_signals.py) and write every result to
   `quality_results`;
4. all passed: publish each table (audit_branches.publish: pre-run tag, fast-forward main), targets
   first, bookkeeping last. A check failed: publish nothing. Main is untouched, the branches stay for
   inspection (until their retention), the job fails naming every failed check, and since its
   bookkeeping (ingestion_log, job_progress) was on the branches too, the next run reads the same
   input again. An operator who reviewed a failure (a real spike in volume) reruns the job with
   `--accept-failed-checks <table>.<check>`: the failure is recorded as accepted and the run publishes.
A job that raises (a bad-record share above its limit, a broken file) drops its branches: nothing was
checked or published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from . import audit_branches as branches
from .arguments import PublishingArguments
from .audit_branches import AuditedTable
from .cost_metrics import last_execution
from .iceberg_tables import snapshot_summary
from .progress import SEQUENCE_COLUMNS
from .publication import PUBLISHED_TABLES
from .quality_checks import CheckResult, content_checks
from .quality_results import published_volumes, write_results
from .quality_signals import freshness_check, volume_check
from .quality_spec import Expectations
from .report import JobReport
from .rollback_target import pre_run_tag
from .snapshots import Lakehouse, read_as_of

Args = TypeVar("Args", bound=PublishingArguments)


class QualityGateFailed(RuntimeError):
    """A check of a table the job publishes failed: nothing was published."""


def _written_scope(spark: SparkSession, audited: AuditedTable, rows: DataFrame) -> DataFrame | None:
    """The rows this run wrote: above main's highest run sequence, where the table has one. None when
    they are every row of the table: it has no run sequence, or main held no row before the run."""
    column = SEQUENCE_COLUMNS.get(audited.name)
    if column is None or audited.main_before is None:
        return None
    top = read_as_of(spark, audited.main, audited.main_before).agg(F.max(column)).first()[0]
    return None if top is None else rows.where(F.col(column) > top)


def _live_rows(spark: SparkSession, table: str, snapshot_id: int | None) -> int:
    """Rows in the snapshot (0: none) less its position deletes, from its summary (no data read)."""
    summary = None if snapshot_id is None else snapshot_summary(spark, table, snapshot_id)
    if summary is None:
        return 0
    return int(summary["total-records"]) - int(summary.get("total-position-deletes") or 0)


def rows_added(spark: SparkSession, table: str, before: int | None, after: int | None) -> int:
    """Rows in snapshot `after` minus rows in `before`."""
    return _live_rows(spark, table, after) - _live_rows(spark, table, before)


def check_table(
    spark: SparkSession,
    lakehouse: Lakehouse,
    audited: AuditedTable,
    state: branches.AfterRun,
    expectations: Expectations,
    as_of: datetime,
) -> list[CheckResult]:
    """The table's checks on its branch; a table the run did not change gets its freshness only."""
    rows = spark.table(audited.branch_table)
    results = []
    if state.changed(audited):
        scope = _written_scope(spark, audited, rows)
        if scope is None:  # the run's rows are the table's: no look-up of the table beyond them
            results += content_checks(spark, lakehouse, audited.name, None, rows, expectations)
        else:
            results += content_checks(spark, lakehouse, audited.name, rows, scope, expectations)
        if expectations.volume is not None:
            added = rows_added(spark, audited.main, audited.main_before, state.head)
            if added > 0:
                history = published_volumes(spark, lakehouse, audited.name, expectations.volume.trailing_runs)
                results.append(volume_check(audited.name, added, history, expectations.volume))
    if expectations.freshness is not None:
        results.append(freshness_check(audited.name, rows, expectations.freshness, as_of))
    return results


def gate_failure(job: str, run_id: str, branch: str, failed: list[CheckResult]) -> str:
    """The job's failure message: every failed check, where to look, how to move past it (pure)."""
    return (
        f"{job}: {len(failed)} quality check(s) failed, nothing was published (main is unchanged; the "
        f"run's writes stay on branch {branch}, and the next run reads the same input): "
        f"{'; '.join(r.describe() for r in failed)}. See quality_results where run_id = '{run_id}'. "
        "After review, a run with --accept-failed-checks "
        f"{','.join(r.check_id for r in failed)} publishes despite them."
    )


def audited_run(
    spark: SparkSession, args: Args, report: JobReport, run: Callable[[SparkSession, Args, JobReport], None]
) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options)
    branch = branches.audit_branch_name(args.job, args.run_id)
    retain = args.run_tag_retention_days
    audited = [
        branches.open_branch(spark, lakehouse, name, branch, retain) for name in PUBLISHED_TABLES[args.job]
    ]
    routed = replace(args, audit_branches={a.name: a.branch for a in audited})
    try:
        run(spark, routed, report)
    except Exception:
        for table in audited:
            branches.drop(spark, table)
        raise
    routed_lakehouse = replace(lakehouse, audit_branches=routed.audit_branches)
    report.checks_after = last_execution(spark)  # the checks' reads are reported apart (cost_metrics)
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    results, states = [], {a.name: branches.after_run(spark, a) for a in audited}
    for a in audited:
        expectations = args.quality_expectations[a.name]
        for result in check_table(
            spark, routed_lakehouse, a, states[a.name], expectations, args.as_of or checked_at
        ):
            waived = not result.passed and result.check_id in args.accept_failed_checks
            results.append((result, waived, a.branch, states[a.name].head))
    write_results(spark, lakehouse, args.job, args.run_id, results, checked_at)
    failed = [r for r, waived, _, _ in results if not r.passed and not waived]
    waived = [r.check_id for r, was_waived, _, _ in results if was_waived]
    report.note("checks", f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if waived:
        report.note("accepted_failed_checks", ",".join(waived))
    if failed:
        report.note("failed_checks", ",".join(r.check_id for r in failed))
        raise QualityGateFailed(gate_failure(args.job, args.run_id, branch, failed))
    published = [
        a.name for a in audited if branches.publish(spark, lakehouse, a, states[a.name], args.run_id, retain)
    ]
    report.note("published", ",".join(published) if published else "nothing (no change)")
    if published:
        report.note("pre_run_tag", pre_run_tag(args.run_id))
