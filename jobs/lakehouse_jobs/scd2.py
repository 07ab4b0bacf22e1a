"""The SCD type 2 decision of silver_customers, and the one MERGE that applies it.

For each affected customer, from its latest valid incoming record (if any), the metrics of its counted
orders (customer_index) and its stored row (its current version, or its pending row), one staged row with
`_change`:
- "insert":      no current version yet (needs a record): the first version, valid from the
                 customer's created_at (or first order, if earlier); a pending row becomes it
- "new_version": a tracked attribute or the segment changed (customer_rules.TRACKED_COLUMNS): the
                 current version is closed and a new one opened
- "update":      only the order metrics or the record's version changed: the current version is
                 updated in place
- "pending":     orders but no record yet: a pending row (`_is_current` null, no attributes, no
                 validity, not a version) keeps the customer's order metrics until the record lands
- "none":        nothing changed (not staged)
An incoming record counts only when it is a later version (versions.py) than the record the current
version holds: a replayed or late older record changes nothing, so the current version is always the
latest by business time, whatever the arrival order. New versions start at the latest event that caused
them (the record's updated_at, or the newest changed order's order_date), never before the version they
replace (a late, older event closes that version with an empty interval; nothing is deleted). Several
changes of one customer between two runs collapse into one version.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .customer_rules import METRIC_COLUMNS, TRACKED_COLUMNS, segment
from .versions import VERSION_COLUMN, is_newer

_ATTRIBUTES = ("email", "full_name", "phone", "city", "state", "country")
# The rows a MERGE of silver_customers reads: current versions and pending rows (the `_is_current`
# partitions true and null), never closed versions.
LIVE_ROWS = "(_is_current IS NULL OR _is_current = true)"


def _differs(columns) -> Column:
    return F.greatest(*[~F.col(c).eqNullSafe(F.col(f"c_{c}")) for c in columns], F.lit(False))


def staged_changes(
    incoming: DataFrame, stored: DataFrame, counted: DataFrame, order_times: DataFrame, run_seq: int
) -> DataFrame:
    """`incoming`: latest valid records (customer_rules fields, `_source_version`); `stored`: the
    affected customers' live rows (LIVE_ROWS); `counted`: (customer_id, metrics) of every affected
    customer (customer_index); `order_times`: (customer_id, n_latest_order_date) of the
    changed orders."""
    inc = incoming.select(
        "customer_id",
        F.lit(True).alias("i_present"),
        *[F.col(f"_{c}").alias(f"i_{c}") for c in _ATTRIBUTES],
        F.col("_created_ts").alias("i_created"),
        F.col("_updated_ts").alias("i_updated"),
        F.col(VERSION_COLUMN).alias("i_version"),
    )
    cur = stored.select(
        "customer_id",
        F.lit(True).alias("c_present"),
        *[F.col(c).alias(f"c_{c}") for c in stored.columns if c != "customer_id"],
    )
    joined = (
        counted.join(inc, "customer_id", "left")
        .join(cur, "customer_id", "left")
        .join(order_times, "customer_id", "left")
        .withColumn("_has_current", F.coalesce(F.col("c__is_current"), F.lit(False)))
        .withColumn(
            "_applies",
            F.coalesce(
                F.col("i_present") & is_newer(F.col("i_version"), F.col(f"c_{VERSION_COLUMN}")), F.lit(False)
            ),
        )
    )
    applies, has_current = F.col("_applies"), F.col("_has_current")
    is_version = has_current | applies  # a version after this run (pending rows are not)
    state = joined.select(
        "customer_id",
        *[F.when(applies, F.col(f"i_{c}")).otherwise(F.col(f"c_{c}")).alias(c) for c in _ATTRIBUTES],
        F.when(is_version, segment(F.col("lifetime_value"), F.col("total_orders"))).alias("customer_segment"),
        "lifetime_value",
        "first_order_date",
        "last_order_date",
        "total_orders",
        (F.col("total_orders") > 0).alias("is_active"),
        F.when(applies, F.col("i_version")).otherwise(F.col(f"c_{VERSION_COLUMN}")).alias(VERSION_COLUMN),
        "i_created",
        F.when(applies, F.col("i_updated")).alias("i_updated"),
        "c__valid_from",
        "c_present",
        has_current,
        "n_latest_order_date",
        applies,
        *[F.col(f"c_{c}") for c in (*TRACKED_COLUMNS, *METRIC_COLUMNS)],
    )
    event_time = F.coalesce(F.greatest("i_updated", "n_latest_order_date"), F.col("c__valid_from"))
    counted_changed = _differs(METRIC_COLUMNS)
    change = (
        F.when(~has_current & applies, "insert")
        .when(~has_current & (F.col("c_present") | (F.col("total_orders") > 0)) & counted_changed, "pending")
        .when(~has_current, "none")
        .when(_differs(TRACKED_COLUMNS), "new_version")
        .when(counted_changed | applies, "update")
        .otherwise("none")
    )
    valid_from = (
        F.when(~has_current & applies, F.least("i_created", "first_order_date"))
        .when(has_current, F.greatest(event_time, F.col("c__valid_from")))
        .cast("timestamp_ntz")
    )
    return (
        state.withColumn("_change", change)
        .withColumn("_valid_from", valid_from)
        .withColumn("_valid_to", F.lit(None).cast("timestamp_ntz"))
        .withColumn("_is_current", F.when(is_version, F.lit(True)))
        .withColumn("_version_seq", F.lit(run_seq).cast("bigint"))
        .where("_change <> 'none'")
    )


def merge_sql(target: str, view: str, columns: list[str]) -> str:
    """Closes and opens versions, updates in place and keeps pending rows in one MERGE (a new version's
    row enters twice: once to close the current version by customer_id, once, with a null key, to be
    inserted). It reads only the live rows (LIVE_ROWS: partition pruning)."""
    in_place = ", ".join(f"t.{c} = s.{c}" for c in (*METRIC_COLUMNS, VERSION_COLUMN))
    every_column = ", ".join(f"t.{c} = s.{c}" for c in columns)
    column_list = ", ".join(columns)
    values = ", ".join(f"s.{c}" for c in columns)
    return f"""
        MERGE INTO {target} t
        USING (
            SELECT customer_id AS _merge_key, * FROM {view}
            UNION ALL
            SELECT CAST(NULL AS STRING) AS _merge_key, * FROM {view} WHERE _change = 'new_version'
        ) s
        ON t.customer_id = s._merge_key AND (t._is_current IS NULL OR t._is_current = true)
        WHEN MATCHED AND s._change = 'new_version' THEN
            UPDATE SET t._valid_to = s._valid_from, t._is_current = false
        WHEN MATCHED AND s._change IN ('update', 'pending') THEN UPDATE SET {in_place}
        WHEN MATCHED AND s._change = 'insert' THEN UPDATE SET {every_column}
        WHEN NOT MATCHED AND s._change IN ('insert', 'new_version', 'pending') THEN
            INSERT ({column_list}) VALUES ({values})
    """
