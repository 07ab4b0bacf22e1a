"""gold_daily_metrics: curated_orders (+ curated_customers, raw_orders, raw_products) -> agg_daily_metrics.

Affected dates are the order dates of every curated_orders row changed since the last run (read from
the table's changelog, which covers MERGE rewrites). Only those dates are recomputed, and replaced in
one atomic overwrite, so a date whose orders all moved away loses its rows too. Metrics per date
(orders whose status is not cancelled, order_rules.NON_REVENUE_STATUSES):
- daily_revenue    (dimension all/all):                 sum of net_amount, count of orders
- segment_revenue  (dimension customer_segment/<seg>):  sum of net_amount, count of orders, by the
  segment of the customer's SCD2 version valid at order_date ("unknown" when none is)
- category_revenue (dimension category/<category>):     sum of line net amounts (quantity * unit_price
  minus the line discount; before tax and shipping), count of orders with such a line, by the
  product's latest category ("unknown" for none)
Line items are the raw_orders version that silver_orders turned into the curated row: the latest
valid one in the raw_orders snapshot silver_orders recorded, so gold and silver cannot disagree.
"""

from __future__ import annotations

from datetime import date, timedelta

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .arguments import JobArguments
from .frames import latest_by
from .order_rules import is_revenue, line_net, valid_latest_orders
from .report import JobReport
from .snapshots import (
    Lakehouse,
    commit_with_properties,
    lineage_properties,
    pinned_snapshot,
    read_as_of,
    read_increment,
    recorded_sources,
    source_property,
)

JOB = "gold_daily_metrics"
TARGET = "agg_daily_metrics"


def _in_dates(column: str, dates: list[date]) -> F.Column:
    """A range filter Iceberg can prune partitions with, plus the exact date list."""
    low, high = min(dates), max(dates) + timedelta(days=1)
    ts = F.col(column)
    return (
        (ts >= F.lit(low).cast("timestamp"))
        & (ts < F.lit(high).cast("timestamp"))
        & F.to_date(ts).isin(dates)
    )


def _metric(
    df: DataFrame, metric_type: str, dimension_key: str, dimension: F.Column, value: str, count: str
) -> DataFrame:
    return (
        df.groupBy(F.to_date("order_date").alias("metric_date"), dimension.alias("dimension_value"))
        .agg(
            F.sum(value).cast("decimal(15,2)").alias("metric_value"),
            F.countDistinct(count).cast("bigint").alias("metric_count"),
        )
        .select(
            "metric_date",
            F.lit(metric_type).alias("metric_type"),
            F.lit(dimension_key).alias("dimension_key"),
            "dimension_value",
            "metric_value",
            "metric_count",
        )
    )


def daily_metrics(
    orders: DataFrame, customers: DataFrame, raw_orders: DataFrame, products: DataFrame
) -> DataFrame:
    """All metrics of the dates in `orders` (curated rows, revenue orders only), no _computed_at."""
    daily = _metric(orders, "daily_revenue", "all", F.lit("all"), "net_amount", "order_id")
    versions = customers.select("customer_id", "customer_segment", "_valid_from", "_valid_to")
    as_of = (F.col("o.order_date") >= F.col("v._valid_from")) & (
        F.col("v._valid_to").isNull() | (F.col("o.order_date") < F.col("v._valid_to"))
    )
    segmented = (
        orders.alias("o")
        .join(versions.alias("v"), (F.col("o.customer_id") == F.col("v.customer_id")) & as_of, "left")
        .select("o.order_id", "o.order_date", "o.net_amount", "v.customer_segment")
    )
    segments = _metric(
        segmented,
        "segment_revenue",
        "customer_segment",
        F.coalesce("customer_segment", F.lit("unknown")),
        "net_amount",
        "order_id",
    )
    lines = (
        raw_orders.join(orders.select("order_id", "order_date"), ["order_id", "order_date"], "left_semi")
        .select("order_id", "order_date", F.explode("items").alias("item"))
        .select(
            "order_id",
            "order_date",
            F.col("item.product_id").alias("product_id"),
            line_net(F.col("item")).alias("line_net"),
        )
        .join(products, "product_id", "left")
    )
    categories = _metric(
        lines,
        "category_revenue",
        "category",
        F.coalesce("category", F.lit("unknown")),
        "line_net",
        "order_id",
    )
    return daily.unionByName(segments).unionByName(categories)


def run(spark: SparkSession, args: JobArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options)
    target = lakehouse.table(TARGET)
    changes = read_increment(
        spark, lakehouse, "curated_orders", recorded_sources(spark, target), changes=True
    )
    report.note("curated_orders", changes.describe())
    dates = sorted(
        r.d
        for r in changes.rows.select(F.to_date("order_date").alias("d")).distinct().collect()
        if r.d is not None
    )
    report.rows_in = len(dates)
    report.note("affected_dates", f"{dates[0]}..{dates[-1]}" if dates else "none")
    if not dates:
        return
    # The raw_orders and raw_products snapshots silver_orders built curated_orders from.
    silver = recorded_sources(spark, lakehouse.table("curated_orders"))
    if source_property("raw_orders") not in silver or source_property("raw_products") not in silver:
        raise RuntimeError(
            "curated_orders has no commit of silver_orders recording its raw_orders and raw_products "
            "snapshots; gold_daily_metrics reads line items from exactly those. Run silver_orders first."
        )
    raw_orders_snapshot = int(silver[source_property("raw_orders")])
    raw_products_snapshot = int(silver[source_property("raw_products")])
    customers_snapshot = pinned_snapshot(spark, lakehouse, "curated_customers")

    orders = read_as_of(spark, lakehouse.table("curated_orders"), changes.end_snapshot_id).where(
        _in_dates("order_date", dates) & is_revenue(F.col("order_status"))
    )
    raw_products = read_as_of(spark, lakehouse.table("raw_products"), raw_products_snapshot)
    raw_orders = valid_latest_orders(
        read_as_of(spark, lakehouse.table("raw_orders"), raw_orders_snapshot).where(
            _in_dates("order_date", dates)
        ),
        raw_products.select("product_id"),
    )
    products = latest_by(
        raw_products, "product_id", [F.col("_ingestion_timestamp").desc(), F.col("updated_at").desc()]
    )
    customers = read_as_of(spark, lakehouse.table("curated_customers"), customers_snapshot)
    metrics = (
        daily_metrics(orders, customers, raw_orders, products.select("product_id", "category"))
        .withColumn("_computed_at", F.current_timestamp())
        .persist()
    )
    report.rows_out = metrics.count()
    snapshots = {"curated_orders": changes.end_snapshot_id, "curated_customers": customers_snapshot}
    snapshots.update({"raw_orders": raw_orders_snapshot, "raw_products": raw_products_snapshot})
    writer = metrics.writeTo(target).options(**lakehouse.write_options.get(TARGET, {}))
    # One atomic replace of exactly the affected dates (identity partitions: whole partitions swap).
    replace = F.col("metric_date").isin(dates)
    commit_with_properties(spark, lineage_properties(JOB, snapshots), lambda: writer.overwrite(replace))
    metrics.unpersist()
