"""The one way a job starts, on Glue, EMR or a local Spark: parse, validate, run, log one summary line.

On Glue and EMR the SparkSession is already configured (catalog, warehouse, extensions) by `--conf`;
locally `lakehouse_jobs.local` creates it first. `getOrCreate` returns whichever exists, so the job
code never knows where it runs.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pyspark.sql import SparkSession

from . import bronze, gold, maintenance, rollback, silver_customers, silver_orders
from .arguments import (
    JobArguments,
    MaintenanceArguments,
    PublishingArguments,
    RollbackArguments,
    parse_job_arguments,
)
from .cost_metrics import CostMeter
from .java_names import import_pyspark_classes
from .publish import audited_run
from .report import JobReport
from .vectorized_reads import guard_vectorized_reads

LOG = logging.getLogger("lakehouse_jobs")
# The jobs persist a batch between their passes over it (checks, quarantine, write). Compressing the
# cached columns cost more than it saved: silver_orders' 2 million checked orders took 12.7 s to cache
# compressed and 8.9 s uncompressed, about what computing them costs, in 1.26 GB against 1.53 GB (their
# items and addresses compress little). The cache spills to disk when memory is short.
CACHE_COMPRESSION = "spark.sql.inMemoryColumnarStorage.compressed"
# The pipeline jobs, each run with its own argument type (arguments.py) through the quality gate.
PIPELINE_JOBS: Mapping[str, Callable[[SparkSession, Any, JobReport], None]] = {
    "bronze_ingest": bronze.run,
    "silver_customers": silver_customers.run,
    "silver_orders": silver_orders.run,
    "gold_daily_metrics": gold.run,
}


def _run(spark: SparkSession, args: JobArguments, report: JobReport) -> None:
    # write-audit-publish: a pipeline job's writes reach readers only if its checks pass
    if isinstance(args, PublishingArguments):
        audited_run(spark, args, report, PIPELINE_JOBS[args.job])
    elif isinstance(args, RollbackArguments):
        rollback.run(spark, args, report)
    elif isinstance(args, MaintenanceArguments):
        maintenance.run(spark, args, report)
    else:
        raise TypeError(f"{args.job}: no run for arguments of type {type(args).__name__}")


def run_job(spark: SparkSession, job: str, argv: Sequence[str]) -> JobReport:
    """Runs one job with AWS-shaped arguments; raises (after logging the summary) when it fails."""
    args = parse_job_arguments(job, argv)  # every argument checked before anything is read or written
    # Timestamps are UTC everywhere; Glue's JVM runs in UTC already, a laptop may not.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set(CACHE_COMPRESSION, "false")
    import_pyspark_classes(spark)
    LOG.info("%s: %s", job, guard_vectorized_reads(spark).describe())  # before anything is read
    report = JobReport(job)
    report.note("run_id", args.run_id)
    started = time.monotonic()
    meter = CostMeter(spark, args.catalog, args.database)
    try:
        _run(spark, args, report)
    except Exception as error:
        report.record_cost(meter.finish(report.checks_after))
        LOG.error(
            "%s", report.summary(f"FAILED ({type(error).__name__}: {error})", time.monotonic() - started)
        )
        raise
    report.record_cost(meter.finish(report.checks_after))
    LOG.info("%s", report.summary("ok", time.monotonic() - started))
    return report


def main(job: str, argv: Sequence[str] | None = None) -> None:
    """Entry point of `jobs/<job>.py`."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stdout
    )
    spark = SparkSession.builder.getOrCreate()
    run_job(spark, job, sys.argv[1:] if argv is None else argv)
