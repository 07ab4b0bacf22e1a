"""gold_daily_metrics: curated_orders, curated_customers, raw_products -> agg_daily_metrics.

customer_counted_orders (silver_customers' index) gives the order dates of a customer's new version.

Runs after both silver jobs. Reads the rows above its progress in curated_orders, curated_customers and
raw_products (progress.py), finds the dates they can alter (gold_dates.py), recomputes exactly those
dates from the curated tables (gold_metrics.py), reading the orders of those dates only, and replaces
the months that hold them in one atomic overwrite (the table is partitioned by month): the other dates
of those months are carried over as they are, and a date whose orders all moved away loses its rows.
Every input is read from one pinned snapshot. The result equals a full recomputation (recompute.py),
which the tests check after every scenario.
"""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from . import customer_index
from .arguments import GoldDailyMetricsArguments
from .date_filters import in_days, in_runs, month_runs
from .gold_dates import affected_dates
from .gold_metrics import GoldInputs, daily_metrics
from .progress import read_sources, record_progress
from .report import JobReport
from .snapshots import Lakehouse, commit_run, current_snapshot_id, read_as_of

JOB = "gold_daily_metrics"
TARGET = "agg_daily_metrics"
SOURCES = ("curated_orders", "curated_customers", "raw_products")


def run(spark: SparkSession, args: GoldDailyMetricsArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options, args.audit_branches)
    target = lakehouse.table(TARGET)
    progress, read = read_sources(spark, lakehouse, JOB, SOURCES, report)
    orders, versions, products = (read[name] for name in SOURCES)
    if orders.is_empty and versions.is_empty and products.is_empty:
        report.note("affected_dates", "none")
        return
    # The customer dimension is read once and kept: its new versions and the segment of every order
    # come from it, and each MERGE of silver_customers rewrites it whole, so every other read of it
    # would read all of it again.
    customers = read_as_of(spark, lakehouse.table("curated_customers"), versions.snapshot_id).persist()
    versions = versions.within(customers)
    inputs = GoldInputs(
        curated_orders=read_as_of(spark, lakehouse.table("curated_orders"), orders.snapshot_id),
        curated_customers=customers,
        raw_products=read_as_of(spark, lakehouse.table("raw_products"), products.snapshot_id),
    )
    counted_orders = spark.table(lakehouse.table(customer_index.TABLE))
    dates = affected_dates(orders, versions, products, inputs, counted_orders)
    report.rows_in = len(dates)
    report.note("affected_dates", f"{dates[0]}..{dates[-1]} ({len(dates)})" if dates else "none")
    run_seq = progress.last_run_seq + 1
    written = None
    if dates:
        metrics = (
            daily_metrics(inputs, dates)
            .withColumn("_computed_at", F.current_timestamp().cast("timestamp_ntz"))
            .persist()
        )
        # The months holding an affected date are replaced whole (month partitions: whole files swap).
        months = in_runs("metric_date", month_runs(dates), timestamps=False)
        kept = read_as_of(spark, target, current_snapshot_id(spark, target)).where(
            months & ~in_days("metric_date", dates, timestamps=False)
        )
        replacement = metrics.unionByName(kept)
        report.rows_out = metrics.count()
        writer = replacement.writeTo(target).options(**lakehouse.write_options.get(TARGET, {}))
        written = commit_run(spark, target, JOB, run_seq, lambda: writer.overwrite(months))
        metrics.unpersist()
    customers.unpersist()
    record_progress(spark, lakehouse, JOB, run_seq, [orders, versions, products], (TARGET, written))
