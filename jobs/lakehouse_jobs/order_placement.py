"""The days of curated_orders a silver_orders batch can touch, so that its MERGE reads only their files.

An incoming order version replaces the row of its order wherever that row is. Almost always the row is
on the version's own order day; an order whose order date was corrected has its row on another day,
and only curated_orders knows which. So the MERGE's target is limited to:
1. the batch's own order days;
2. for the batch's orders not found on those days (new orders, or orders that moved): the days of
   every data file whose order_id bounds (Iceberg's column statistics, read from the `files` metadata
   table, not from the data) could hold one of them.
With order ids that grow with time (sequences, time-ordered ids: what the sample source sends) a new id
lies above every stored file's upper bound, so step 2 adds only the days moved orders came from. With
random ids (UUIDs) it adds every day, and the MERGE reads the whole table, as a MERGE on order_id alone
always did: correct either way, proportional with growing ids. Only day lists reach the driver.
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .date_filters import in_days
from .snapshots import split_ref


def _days(frame: DataFrame, column: str) -> list[date]:
    return sorted(r[0] for r in frame.select(column).distinct().collect() if r[0] is not None)


def _file_days(spark: SparkSession, target: str, order_ids: DataFrame) -> list[date]:
    """Days spanned by the data files whose order_id bounds could hold one of `order_ids`."""
    metrics = "readable_metrics"
    files = (
        spark.table(f"{split_ref(target)[0]}.files")  # metadata tables are the table's, never a branch's
        .where("content = 0")
        .select(
            F.col(f"{metrics}.order_id.lower_bound").alias("lo"),
            F.col(f"{metrics}.order_id.upper_bound").alias("hi"),
            F.to_date(F.col(f"{metrics}.order_date.lower_bound")).alias("first_day"),
            F.to_date(F.col(f"{metrics}.order_date.upper_bound")).alias("last_day"),
        )
    )
    ids = order_ids.select(F.col("order_id").alias("id"))
    could_hold = (F.col("lo").isNull() | (F.col("id") >= F.col("lo"))) & (
        F.col("hi").isNull() | (F.col("id") <= F.col("hi"))
    )
    candidates = F.broadcast(files).join(ids, could_hold).select("first_day", "last_day").distinct()
    spans = candidates.select(F.explode(F.sequence("first_day", "last_day")).alias("d"))
    return _days(spans, "d")


def merge_days(spark: SparkSession, target: str, stored: DataFrame, staged: DataFrame) -> list[date]:
    """Days whose files the MERGE of `staged` into `target` (read as `stored`) can touch."""
    batch_days = _days(staged.select(F.to_date("order_date").alias("d")), "d")
    found = stored.where(in_days("order_date", batch_days)).select("order_id")
    unplaced = staged.select("order_id").join(found, "order_id", "left_anti")
    if unplaced.isEmpty():
        return batch_days
    return sorted(set(batch_days) | set(_file_days(spark, target, unplaced)))
