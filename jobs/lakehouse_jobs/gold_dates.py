"""Which dates of agg_daily_metrics an input change can alter: the dates gold recomputes.

From the rows above gold's progress in each input (progress.py), each found without reading history:
- curated_orders rows changed by silver_orders: every date in their `_order_dates` (the date they
  have now and every date they had before: an order that moved leaves its old date);
- curated_customers versions created by silver_customers (a first version, or one that closed the
  previous): the dates of that customer's counted orders from the new version's `_valid_from` on,
  whose segment as of order time may have changed (a customer who lands after their order, a segment
  change), read from the customer's counted orders (customer_index.py: customer_counted_orders);
- raw_products rows: the dates of orders with a product whose latest category changed (by the version
  order, against the latest category among the rows gold had already seen). A new category changes
  the revenue of every date the product sold: those dates are found by reading the orders' items,
  only when a category did change (a re-delivered catalogue costs nothing), so the cost follows the
  change, not the batch.
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .customer_index import INDEX
from .gold_metrics import GoldInputs, latest_categories
from .progress import Increment


def _order_dates(changed_orders: DataFrame) -> DataFrame:
    return changed_orders.select(F.explode("_order_dates").alias("d"))


def _dimension_dates(new_versions: DataFrame, counted_orders: DataFrame) -> DataFrame:
    starts = (
        new_versions.where("_valid_from IS NOT NULL")
        .groupBy("customer_id")
        .agg(F.min("_valid_from").alias("_from"))
    )
    counted = counted_orders.select("customer_id", F.explode(INDEX).alias("e"))
    return (
        counted.join(starts, "customer_id")
        .where(F.col("e.order_date") >= F.col("_from"))
        .select(F.to_date("e.order_date").alias("d"))
    )


def _changed_categories(products: Increment, inputs: GoldInputs) -> DataFrame:
    changed_ids = products.rows.select("product_id").distinct()
    mine = inputs.raw_products.join(changed_ids, "product_id", "left_semi")
    now = latest_categories(mine)
    before = latest_categories(mine.where(F.col("_ingestion_id") <= (products.after or 0))).withColumnRenamed(
        "category", "_before"
    )
    changed = now.join(before, "product_id", "left").where(~F.col("category").eqNullSafe(F.col("_before")))
    return changed.select("product_id")


def _category_dates(changed: DataFrame, inputs: GoldInputs) -> DataFrame:
    return (
        inputs.curated_orders.select("order_date", F.explode("items.product_id").alias("product_id"))
        .join(F.broadcast(changed), "product_id", "left_semi")
        .select(F.to_date("order_date").alias("d"))
    )


def affected_dates(
    orders: Increment, versions: Increment, products: Increment, inputs: GoldInputs, counted_orders: DataFrame
) -> list[date]:
    """Sorted dates to recompute (`counted_orders`: customer_counted_orders). Only the date list reaches
    the driver (one value per day)."""
    parts = []
    if not orders.is_empty:
        parts.append(_order_dates(orders.rows))
    if not versions.is_empty:
        parts.append(_dimension_dates(versions.rows, counted_orders))
    if not products.is_empty and products.after is not None:
        changed = _changed_categories(products, inputs)
        if not changed.isEmpty():
            parts.append(_category_dates(changed, inputs))
    if not parts:
        return []
    found = parts[0]
    for part in parts[1:]:
        found = found.union(part)
    return sorted(r.d for r in found.distinct().collect() if r.d is not None)
