"""silver_customers: raw_customers + curated_orders -> curated_customers, SCD type 2 with MERGE INTO.

Runs after silver_orders. A run touches only the customers that changed since its progress
(progress.py): those with a raw record above it, and those of a curated_orders row changed since. Their
order metrics come from their counted orders (customer_index.py: customer_counted_orders, which the run
replaces), recounted only on the days and for the customers the changed orders have had: never from the
rest of the order history, and always equal to a full recomputation from curated_orders, the orders
silver_orders accepted. The versioning decision and its MERGE are in scd2.py; the MERGE reads only
current versions and pending rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from . import customer_index, scd2
from .arguments import SilverCustomersArguments
from .customer_rules import with_customer_fields, with_customer_problems
from .progress import next_run_seq, read_sources, record_progress
from .quarantine import quarantine_refused
from .report import JobReport
from .snapshots import Lakehouse, commit_run, current_snapshot_id, holds_no_data, read_as_of
from .versions import latest_versions_of_persisted, with_version

JOB = "silver_customers"
TARGET = "curated_customers"


# Before a copy-on-write MERGE rewrites files, Spark reads them once to find which hold a matching row
# (the group filter), so that untouched files are not rewritten. The live versions are a few files, each
# holding customers of every kind, and a run touches customers across all of them: the search would
# read the whole live partition to find that every file is touched, then the rewrite reads it again.
GROUP_FILTER = "spark.sql.optimizer.runtime.rowLevelOperationGroupFilter.enabled"


@contextmanager
def _without_group_filter(spark: SparkSession) -> Iterator[None]:
    previous = spark.conf.get(GROUP_FILTER)
    spark.conf.set(GROUP_FILTER, "false")
    try:
        yield
    finally:
        spark.conf.set(GROUP_FILTER, previous)


def run(spark: SparkSession, args: SilverCustomersArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options, args.audit_branches)
    target = lakehouse.table(TARGET)
    progress, read = read_sources(spark, lakehouse, JOB, ("raw_customers", "curated_orders"), report)
    customers, orders = read["raw_customers"], read["curated_orders"]
    if customers.is_empty and orders.is_empty:
        return
    run_seq = next_run_seq(spark, lakehouse, progress, TARGET)

    raw_columns = customers.rows.columns
    checked = with_version(
        with_customer_problems(with_customer_fields(customers.rows)), F.col("_updated_ts")
    ).persist()
    report.rows_in, report.quarantined = quarantine_refused(
        spark,
        lakehouse,
        checked,
        ("raw_customers", "customer_id", raw_columns, customers.after),
        JOB,
        args.max_bad_record_share,
    )
    incoming = latest_versions_of_persisted(checked.where("_problems IS NULL"), "customer_id").rows
    index_table = lakehouse.table(customer_index.TABLE)
    index_before = current_snapshot_id(spark, index_table)
    curated_orders = read_as_of(spark, lakehouse.table("curated_orders"), orders.snapshot_id)
    # An index without data (a lake from before it, or emptied by an operator to rebuild it) is built
    # from every order, once; on a new lake the first run reads every order anyway.
    rebuilt = holds_no_data(spark, index_table, index_before)
    changed_orders = curated_orders if rebuilt else orders.rows
    pairs = customer_index.affected_pairs(changed_orders).persist()
    days = sorted(r.day for r in pairs.select("day").distinct().collect())
    report.note("recounted_days", len(days))
    affected = incoming.select("customer_id").union(pairs.select("customer_id")).distinct().persist()
    stored = (
        read_as_of(spark, target, current_snapshot_id(spark, target))
        .where(scd2.LIVE_ROWS)
        .join(affected, "customer_id", "left_semi")
        .persist()
    )
    stored_index = read_as_of(spark, index_table, index_before).persist()
    fresh = customer_index.recounted(curated_orders, pairs, days)
    index = customer_index.updated_index(stored_index, pairs, fresh, affected).persist()
    counted = index.select(
        "customer_id",
        *[c.alias(name) for name, c in customer_index.metrics(F.col(customer_index.INDEX)).items()],
    )
    order_times = (
        orders.rows.where("customer_id IS NOT NULL")
        .groupBy("customer_id")
        .agg(F.max("order_date").alias("n_latest_order_date"))
    )
    staged = scd2.staged_changes(incoming, stored, counted, order_times, run_seq).persist()
    changes = {r["_change"]: r["count"] for r in staged.groupBy("_change").count().collect()}
    for change in ("insert", "new_version", "update", "pending"):
        report.note(change, changes.get(change, 0))
    report.rows_out = sum(changes.values())
    written = None
    if report.rows_out > 0:
        view = "_staged_curated_customers"
        staged.createOrReplaceTempView(view)
        merge = scd2.merge_sql(target, view, spark.table(target).columns)
        with _without_group_filter(spark):
            written = commit_run(spark, target, JOB, run_seq, lambda: spark.sql(merge))
        spark.catalog.dropTempView(view)
    if days:  # changed orders: the index changed where they are (no recount, no change)
        # One write task: Iceberg gives an unpartitioned, unsorted table no write distribution, so each
        # partition of the union would write a file of its own (seven of 300 KB a day at 2 million
        # orders). One task still rolls a new file at the table's target size.
        whole = customer_index.whole_index(stored_index, index).repartition(1).writeTo(index_table)
        whole = whole.options(**lakehouse.write_options.get(customer_index.TABLE, {}))
        commit_run(spark, index_table, JOB, run_seq, lambda: whole.overwrite(F.lit(True)))
    record_progress(spark, lakehouse, JOB, run_seq, [customers, orders], (TARGET, written))
    for frame in (staged, index, stored_index, stored, affected, pairs, checked):
        frame.unpersist()
