"""Each customer's counted orders, kept in a table of their own, so that its metrics never re-read order
history.

`customer_counted_orders` holds, per customer, the (order_date, net_amount) of every counted order
(customer_rules: the curated_orders rows whose status is revenue), sorted; the order metrics are
functions of it (`metrics`). A silver_customers run changes it only where curated_orders changed since
its progress: every (customer, day) pair a changed order has ever had (`_order_customers` x
`_order_dates`, so an order that moved or changed customer leaves its old pair too) is recounted from
curated_orders on those days alone (a partition-pruned read), and those entries replace the pair's.

Why an index and not running sums: a sum can take back an order's old amount only if it knows it, and
a first or last order date cannot be taken back at all (which order is next?) without the customer's
other orders. With the index, each run is exact from what it reads: after every run, for every
customer and day, the entries are the counted orders curated_orders holds, so the metrics equal a full
recomputation (recompute.py; the property tests check it over random batch sequences).

Why a table of its own: it grows with the order history (one small entry per counted order), and on
the customers' rows every reader of the dimension (the MERGE, the checks, gold) read it too. Here one
read serves a silver_customers run, which replaces it whole (`whole_index`), and gold reads it only
for the customers with a new version. An index without data files (a lake from before it, or one an
operator emptied) is rebuilt from all of curated_orders by the next run (silver_customers).
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .date_filters import in_days
from .order_rules import is_revenue

TABLE = "customer_counted_orders"
INDEX = "counted_orders"
MONEY = "decimal(12,2)"


def affected_pairs(changed_orders: DataFrame) -> DataFrame:
    """(customer_id, day) of every customer and date the changed curated_orders rows have had."""
    return (
        changed_orders.select(
            F.explode(F.coalesce("_order_customers", F.array("customer_id"))).alias("customer_id"),
            F.coalesce("_order_dates", F.array(F.to_date("order_date"))).alias("_days"),
        )
        .select("customer_id", F.explode("_days").alias("day"))
        .where("customer_id IS NOT NULL AND day IS NOT NULL")
        .distinct()
    )


def recounted(curated_orders: DataFrame, pairs: DataFrame, days: list[date]) -> DataFrame:
    """(customer_id, order_date, net_amount) of the counted orders on `pairs`, read on `days` only."""
    counted = curated_orders.where(in_days("order_date", days) & is_revenue(F.col("order_status")))
    return (
        counted.withColumn("day", F.to_date("order_date"))
        .join(pairs, ["customer_id", "day"], "left_semi")
        .select("customer_id", "order_date", F.col("net_amount").cast(MONEY).alias("net_amount"))
    )


def updated_index(stored: DataFrame, pairs: DataFrame, fresh: DataFrame, customers: DataFrame) -> DataFrame:
    """(customer_id, INDEX) of `customers` (ids): their `stored` index (rows of TABLE) with every entry
    on `pairs` replaced by `fresh` (`recounted`). An empty index is null."""
    entries = (
        stored.join(customers, "customer_id", "left_semi")
        .select("customer_id", F.explode(INDEX).alias("e"))
        .select("customer_id", "e.order_date", "e.net_amount", F.to_date("e.order_date").alias("day"))
    )
    kept = entries.join(pairs, ["customer_id", "day"], "left_anti").drop("day")
    index = (
        kept.unionByName(fresh)
        .groupBy("customer_id")
        .agg(F.array_sort(F.collect_list(F.struct("order_date", "net_amount"))).alias(INDEX))
    )
    return customers.select("customer_id").distinct().join(index, "customer_id", "left")


def whole_index(stored: DataFrame, updated: DataFrame) -> DataFrame:
    """TABLE after a run: the `stored` rows of the customers `updated` does not hold, and the `updated`
    ones (`updated_index`) that still have counted orders."""
    kept = stored.join(updated.select("customer_id"), "customer_id", "left_anti")
    return kept.unionByName(updated.where(F.col(INDEX).isNotNull()))


def metrics(index: Column) -> dict[str, Column]:
    """The order metrics (customer_rules.METRIC_COLUMNS but is_active) of an index."""
    entries = F.coalesce(index, F.array().cast(f"array<struct<order_date:timestamp_ntz,net_amount:{MONEY}>>"))
    total = F.aggregate(entries, F.lit(0).cast("decimal(38,2)"), lambda acc, e: acc + e["net_amount"])
    dates = F.transform(entries, lambda e: e["order_date"])
    return {
        "lifetime_value": total.cast(MONEY),
        "total_orders": F.size(entries).cast("int"),
        "first_order_date": F.array_min(dates),
        "last_order_date": F.array_max(dates),
    }
