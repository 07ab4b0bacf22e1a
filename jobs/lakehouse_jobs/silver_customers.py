"""silver_customers: raw_customers + raw_orders -> curated_customers, SCD type 2 with MERGE INTO.

A run touches only the customers that changed since its last run: those with a new raw record, and
those with new orders. For each, it rebuilds the curated state (latest valid record's attributes,
order metrics over the customer's whole valid order history, segment) and compares it with the current
version:
- no current version                -> insert the first version, valid from the customer's
                                       created_at (or first order, if earlier)
- a tracked attribute or segment
  changed (customer_rules.TRACKED_COLUMNS) -> close the current version and insert a new one
- only order metrics changed        -> update the current version in place
Versions are valid in business time: a new version starts at the latest event that caused it (the
record's updated_at, or the latest new order's order_date), never before the version it replaces
(a late, older event closes that version with an empty interval; nothing is deleted). Several changes
of one customer between two runs collapse into one version.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .arguments import JobArguments
from .customer_rules import (
    METRIC_COLUMNS,
    TRACKED_COLUMNS,
    segment,
    with_customer_fields,
    with_customer_problems,
)
from .frames import latest_by
from .order_rules import is_revenue, valid_latest_orders
from .quarantine import quarantine_refused
from .report import JobReport
from .snapshots import (
    Lakehouse,
    commit_with_properties,
    current_snapshot_id,
    lineage_properties,
    pinned_snapshot,
    read_as_of,
    read_increment,
    recorded_sources,
)

JOB = "silver_customers"
TARGET = "curated_customers"


def _order_metrics(orders: DataFrame) -> DataFrame:
    counted = orders.where(is_revenue(F.col("order_status")))
    return counted.groupBy("customer_id").agg(
        F.sum("net_amount").cast("decimal(12,2)").alias("m_lifetime_value"),
        F.count("*").cast("int").alias("m_total_orders"),
        F.min("order_date").alias("m_first_order_date"),
        F.max("order_date").alias("m_last_order_date"),
    )


def _staged_changes(
    incoming: DataFrame, current: DataFrame, metrics: DataFrame, new_order_times: DataFrame
) -> DataFrame:
    """One row per affected customer: the curated state and `_change` (insert/new_version/update/none)."""
    inc = incoming.select(
        "customer_id",
        F.lit(True).alias("i_present"),
        *[
            F.col(f"_{c}").alias(f"i_{c}")
            for c in ("email", "full_name", "phone", "city", "state", "country")
        ],
        F.col("_created_ts").alias("i_created"),
        F.col("_updated_ts").alias("i_updated"),
    )
    cur = current.select(
        "customer_id", *[F.col(c).alias(f"c_{c}") for c in current.columns if c != "customer_id"]
    )
    joined = (
        inc.join(cur, "customer_id", "full_outer")
        .where("i_present OR c__is_current")
        .join(metrics, "customer_id", "left")
        .join(new_order_times, "customer_id", "left")
    )
    attributes = {
        c: F.when(F.col("i_present"), F.col(f"i_{c}")).otherwise(F.col(f"c_{c}"))
        for c in ("email", "full_name", "phone", "city", "state", "country")
    }
    total_orders = F.coalesce("m_total_orders", F.lit(0))
    lifetime_value = F.coalesce("m_lifetime_value", F.lit(0).cast("decimal(12,2)"))
    state = joined.select(
        "customer_id",
        *[value.alias(name) for name, value in attributes.items()],
        segment(lifetime_value, total_orders).alias("customer_segment"),
        lifetime_value.alias("lifetime_value"),
        F.col("m_first_order_date").alias("first_order_date"),
        F.col("m_last_order_date").alias("last_order_date"),
        total_orders.alias("total_orders"),
        (total_orders > 0).alias("is_active"),
        "i_created",
        "i_updated",
        "c__valid_from",
        F.col("c__is_current").isNotNull().alias("_has_current"),
        "n_latest_order_date",
        *[F.col(f"c_{c}") for c in (*TRACKED_COLUMNS, *METRIC_COLUMNS)],
    )

    def differs(columns) -> F.Column:
        return F.greatest(*[~F.col(c).eqNullSafe(F.col(f"c_{c}")) for c in columns], F.lit(False))

    event_time = F.coalesce(F.greatest("i_updated", "n_latest_order_date"), F.col("c__valid_from"))
    change = (
        F.when(~F.col("_has_current"), "insert")
        .when(differs(TRACKED_COLUMNS), "new_version")
        .when(differs(METRIC_COLUMNS), "update")
        .otherwise("none")
    )
    valid_from = F.when(~F.col("_has_current"), F.least("i_created", "first_order_date")).otherwise(
        F.greatest(event_time, F.col("c__valid_from"))
    )
    return (
        state.withColumn("_change", change)
        .withColumn("_valid_from", valid_from)
        .withColumn("_valid_to", F.lit(None).cast("timestamp"))
        .withColumn("_is_current", F.lit(True))
        .where("_change <> 'none'")
    )


def _merge_sql(target: str, view: str, columns: list[str]) -> str:
    metric_updates = ", ".join(f"t.{c} = s.{c}" for c in METRIC_COLUMNS)
    column_list = ", ".join(columns)
    values = ", ".join(f"s.{c}" for c in columns)
    return f"""
        MERGE INTO {target} t
        USING (
            SELECT customer_id AS _merge_key, * FROM {view}
            UNION ALL
            SELECT CAST(NULL AS STRING) AS _merge_key, * FROM {view} WHERE _change = 'new_version'
        ) s
        ON t.customer_id = s._merge_key AND t._is_current
        WHEN MATCHED AND s._change = 'new_version' THEN
            UPDATE SET t._valid_to = s._valid_from, t._is_current = false
        WHEN MATCHED AND s._change = 'update' THEN UPDATE SET {metric_updates}
        WHEN NOT MATCHED AND s._change IN ('insert', 'new_version') THEN
            INSERT ({column_list}) VALUES ({values})
    """


def run(spark: SparkSession, args: JobArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options)
    target = lakehouse.table(TARGET)
    recorded = recorded_sources(spark, target)
    customers = read_increment(spark, lakehouse, "raw_customers", recorded)
    orders = read_increment(spark, lakehouse, "raw_orders", recorded)
    products_snapshot = pinned_snapshot(spark, lakehouse, "raw_products")
    report.note("raw_customers", customers.describe())
    report.note("raw_orders", orders.describe())

    raw_columns = customers.rows.columns
    checked = with_customer_problems(with_customer_fields(customers.rows)).persist()
    report.rows_in, report.quarantined = quarantine_refused(
        spark,
        lakehouse,
        checked,
        ("raw_customers", "customer_id", raw_columns),
        JOB,
        args.max_bad_record_share or 0.0,
    )

    incoming = latest_by(
        checked.where("_problems IS NULL"),
        "customer_id",
        [F.col("_ingestion_timestamp").desc(), F.col("_updated_ts").desc()],
    )
    new_order_keys = orders.rows.select("order_id", "customer_id").where("customer_id IS NOT NULL")
    affected = incoming.select("customer_id").union(new_order_keys.select("customer_id")).distinct().persist()
    # One pass over the affected customers' whole order history gives both their metrics and the
    # time of their newest new order; persisted so the plan below stays small.
    product_ids = read_as_of(spark, lakehouse.table("raw_products"), products_snapshot).select("product_id")
    history = read_as_of(spark, lakehouse.table("raw_orders"), orders.end_snapshot_id).join(
        affected, "customer_id", "left_semi"
    )
    valid_orders = (
        valid_latest_orders(history, product_ids)
        .select("order_id", "customer_id", "order_status", "order_date", "net_amount")
        .persist()
    )
    metrics = _order_metrics(valid_orders)
    new_order_times = (
        valid_orders.join(new_order_keys.select("order_id"), "order_id", "left_semi")
        .groupBy("customer_id")
        .agg(F.max("order_date").alias("n_latest_order_date"))
    )
    current = (
        read_as_of(spark, target, current_snapshot_id(spark, target))
        .where("_is_current")
        .join(affected, "customer_id", "left_semi")
    )
    staged = _staged_changes(incoming, current, metrics, new_order_times).persist()
    changes = {r["_change"]: r["count"] for r in staged.groupBy("_change").count().collect()}
    for change in ("insert", "new_version", "update"):
        report.note(change, changes.get(change, 0))
    report.rows_out = sum(changes.values())
    if report.rows_out > 0:
        view = "_staged_curated_customers"
        staged.createOrReplaceTempView(view)
        columns = spark.table(target).columns
        snapshots = {"raw_customers": customers.end_snapshot_id, "raw_orders": orders.end_snapshot_id}
        snapshots["raw_products"] = products_snapshot
        commit_with_properties(
            spark, lineage_properties(JOB, snapshots), lambda: spark.sql(_merge_sql(target, view, columns))
        )
        spark.catalog.dropTempView(view)
    for frame in (staged, valid_orders, affected, checked):
        frame.unpersist()
