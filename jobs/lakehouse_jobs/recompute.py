"""Full recomputations of what the jobs maintain incrementally, and their comparison with the tables.

The jobs update only what changed; these recompute everything from the curated tables with the same
definitions (gold_metrics.daily_metrics, customer_rules.order_metrics and segment). After any sequence
of runs, the tables must equal them: `differences` returns the rows that disagree (none when correct).
Used by the tests after every scenario, and meant for property tests over random batch sequences.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .customer_index import INDEX, TABLE
from .customer_rules import METRIC_COLUMNS, order_metrics, segment
from .gold_metrics import GoldInputs, daily_metrics
from .order_rules import is_revenue
from .snapshots import Lakehouse

GOLD_COLUMNS = (
    "metric_date",
    "metric_type",
    "dimension_key",
    "dimension_value",
    "metric_value",
    "metric_count",
)
CUSTOMER_COLUMNS = ("customer_id", "customer_segment", *METRIC_COLUMNS)


def full_daily_metrics(spark: SparkSession, lakehouse: Lakehouse) -> DataFrame:
    """agg_daily_metrics as a recomputation of every date from the tables as they are now."""
    inputs = GoldInputs(
        *(spark.table(lakehouse.table(t)) for t in ("curated_orders", "curated_customers", "raw_products"))
    )
    return daily_metrics(inputs, None).select(*GOLD_COLUMNS)


def full_customer_metrics(spark: SparkSession, lakehouse: Lakehouse) -> DataFrame:
    """Segment and order metrics of every current customer version, recomputed from curated_orders."""
    current = spark.table(lakehouse.table("curated_customers")).where("_is_current").select("customer_id")
    metrics = order_metrics(spark.table(lakehouse.table("curated_orders")))
    joined = current.join(metrics, "customer_id", "left")
    total = F.coalesce("total_orders", F.lit(0))
    value = F.coalesce("lifetime_value", F.lit(0).cast("decimal(12,2)"))
    return joined.select(
        "customer_id",
        segment(value, total).alias("customer_segment"),
        value.alias("lifetime_value"),
        "first_order_date",
        "last_order_date",
        total.alias("total_orders"),
        (total > 0).alias("is_active"),
    )


def differences(actual: DataFrame, expected: DataFrame) -> tuple[list[tuple], list[tuple]]:
    """(rows only in `actual`, rows only in `expected`), duplicates counted, sorted."""
    columns = expected.columns
    actual = actual.select(*columns)

    def rows(frame: DataFrame) -> list[tuple]:
        return sorted((tuple(r) for r in frame.collect()), key=repr)

    return rows(actual.exceptAll(expected)), rows(expected.exceptAll(actual))


def gold_differences(spark: SparkSession, lakehouse: Lakehouse) -> tuple[list[tuple], list[tuple]]:
    return differences(
        spark.table(lakehouse.table("agg_daily_metrics")), full_daily_metrics(spark, lakehouse)
    )


def customer_differences(spark: SparkSession, lakehouse: Lakehouse) -> tuple[list[tuple], list[tuple]]:
    current = spark.table(lakehouse.table("curated_customers")).where("_is_current")
    return differences(current, full_customer_metrics(spark, lakehouse))


def counted_order_differences(spark: SparkSession, lakehouse: Lakehouse) -> tuple[list[tuple], list[tuple]]:
    """Every customer's counted orders as customer_counted_orders keeps them (customer_index.py) against
    the counted orders of curated_orders, as (customer_id, order_date, net_amount) rows."""
    index = spark.table(lakehouse.table(TABLE))
    kept = index.select("customer_id", F.explode(INDEX).alias("e")).select(
        "customer_id", "e.order_date", "e.net_amount"
    )
    orders = spark.table(lakehouse.table("curated_orders")).where(is_revenue(F.col("order_status")))
    return differences(kept, orders.select("customer_id", "order_date", "net_amount"))
