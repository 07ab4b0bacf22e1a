"""`quality_results`: every check of every audited run, written to main whether the run publishes or not
(the evidence of a stopped run must be visible), and the history the volume check compares with.

One row per run, job, table and check, appended (one small commit, whatever the table's size). A retried
attempt of the same run (Glue's retry runs the same Step Functions execution) appends its own rows: the
latest `checked_at` of a run and job is its result, as the named query and the volume history read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

from .quality_checks import CheckResult
from .quality_signals import VOLUME_CHECK
from .snapshots import JOB_PROPERTY, Lakehouse, commit_with_properties

QUALITY_RESULTS = "quality_results"
_COLUMNS = (
    "run_id string, job_name string, table_name string, check_name string, passed boolean, "
    "accepted boolean, observed bigint, unit string, checked bigint, threshold string, detail string, "
    "audit_branch string, audited_snapshot_id bigint, checked_at timestamp_ntz"
)


def write_results(
    spark: SparkSession,
    lakehouse: Lakehouse,
    job: str,
    run_id: str,
    results: Sequence[tuple[CheckResult, bool, str, int | None]],
    checked_at: datetime,
) -> None:
    """`results`: (result, accepted, audit branch, audited snapshot) of each check."""
    if not results:
        return
    rows = [
        (
            run_id,
            job,
            r.table,
            r.check,
            r.passed,
            accepted,
            r.observed,
            r.unit,
            r.checked,
            r.threshold,
            r.detail,
            branch,
            snapshot,
            checked_at,
        )
        for r, accepted, branch, snapshot in results
    ]
    table = lakehouse.main_table(QUALITY_RESULTS)
    writer = spark.createDataFrame(rows, _COLUMNS).writeTo(table)
    commit_with_properties(spark, {JOB_PROPERTY: job}, writer.append)


def published_volumes(spark: SparkSession, lakehouse: Lakehouse, table: str, runs: int) -> list[int]:
    """Rows added to `table` by its latest `runs` published runs that added any, newest first. A run
    published when no check of its job failed (or every failure was accepted)."""
    every = spark.table(lakehouse.main_table(QUALITY_RESULTS))
    attempt = F.max("checked_at").over(Window.partitionBy("run_id", "job_name"))
    results = every.withColumn("_latest", attempt).where("checked_at = _latest")  # a retry's rows count
    stopped = results.where("NOT passed AND NOT accepted").select("run_id", "job_name").distinct()
    volumes = (
        results.where((F.col("table_name") == table) & (F.col("check_name") == VOLUME_CHECK))
        .where("observed > 0")
        .join(stopped, ["run_id", "job_name"], "left_anti")
        .orderBy(F.desc("checked_at"))
        .limit(runs)
    )
    return [r.observed for r in volumes.collect()]
