"""The SCD type 2 decision of silver_customers, and the one MERGE that applies it.

For each affected customer, from its latest valid incoming record (if any), its order metrics and its
current version, one staged row with `_change`:
- "insert":      no current version yet (needs a record): the first version, valid from the
                 customer's created_at (or first order, if earlier)
- "new_version": a tracked attribute or the segment changed (customer_rules.TRACKED_COLUMNS): the
                 current version is closed and a new one opened
- "update":      only the order metrics, or the record's version, changed: the current version is
                 updated in place
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


def _differs(columns) -> Column:
    return F.greatest(*[~F.col(c).eqNullSafe(F.col(f"c_{c}")) for c in columns], F.lit(False))


def staged_changes(
    incoming: DataFrame, current: DataFrame, metrics: DataFrame, order_times: DataFrame, run_seq: int
) -> DataFrame:
    """`incoming`: latest valid records (customer_rules fields, `_source_version`); `current`: current
    versions; `metrics`: customer_rules.order_metrics; `order_times`: (customer_id,
    n_latest_order_date) of the changed orders."""
    inc = incoming.select(
        "customer_id",
        F.lit(True).alias("i_present"),
        *[F.col(f"_{c}").alias(f"i_{c}") for c in _ATTRIBUTES],
        F.col("_created_ts").alias("i_created"),
        F.col("_updated_ts").alias("i_updated"),
        F.col(VERSION_COLUMN).alias("i_version"),
    )
    cur = current.select(
        "customer_id", *[F.col(c).alias(f"c_{c}") for c in current.columns if c != "customer_id"]
    )
    joined = (
        inc.join(cur, "customer_id", "full_outer")
        .where("i_present OR c__is_current")
        .join(
            metrics.select("customer_id", *[F.col(c).alias(f"m_{c}") for c in metrics.columns[1:]]),
            "customer_id",
            "left",
        )
        .join(order_times, "customer_id", "left")
        .withColumn(
            "_applies",
            F.coalesce(
                F.col("i_present") & is_newer(F.col("i_version"), F.col(f"c_{VERSION_COLUMN}")), F.lit(False)
            ),
        )
    )
    applies = F.col("_applies")
    total_orders = F.coalesce("m_total_orders", F.lit(0))
    lifetime_value = F.coalesce("m_lifetime_value", F.lit(0).cast("decimal(12,2)"))
    state = joined.select(
        "customer_id",
        *[F.when(applies, F.col(f"i_{c}")).otherwise(F.col(f"c_{c}")).alias(c) for c in _ATTRIBUTES],
        segment(lifetime_value, total_orders).alias("customer_segment"),
        lifetime_value.alias("lifetime_value"),
        F.col("m_first_order_date").alias("first_order_date"),
        F.col("m_last_order_date").alias("last_order_date"),
        total_orders.alias("total_orders"),
        (total_orders > 0).alias("is_active"),
        F.when(applies, F.col("i_version")).otherwise(F.col(f"c_{VERSION_COLUMN}")).alias(VERSION_COLUMN),
        "i_created",
        F.when(applies, F.col("i_updated")).alias("i_updated"),
        "c__valid_from",
        F.col("c__is_current").isNotNull().alias("_has_current"),
        "n_latest_order_date",
        applies,
        *[F.col(f"c_{c}") for c in (*TRACKED_COLUMNS, *METRIC_COLUMNS)],
    )
    event_time = F.coalesce(F.greatest("i_updated", "n_latest_order_date"), F.col("c__valid_from"))
    change = (
        F.when(~F.col("_has_current"), "insert")
        .when(_differs(TRACKED_COLUMNS), "new_version")
        .when(_differs(METRIC_COLUMNS) | applies, "update")
        .otherwise("none")
    )
    valid_from = F.when(~F.col("_has_current"), F.least("i_created", "first_order_date")).otherwise(
        F.greatest(event_time, F.col("c__valid_from"))
    )
    return (
        state.withColumn("_change", change)
        .withColumn("_valid_from", valid_from)
        .withColumn("_valid_to", F.lit(None).cast("timestamp_ntz"))
        .withColumn("_is_current", F.lit(True))
        .withColumn("_version_seq", F.lit(run_seq).cast("bigint"))
        .where("_change <> 'none'")
    )


def merge_sql(target: str, view: str, columns: list[str]) -> str:
    """Closes and opens versions and updates in place in one MERGE (a new version's row enters twice:
    once to close the current version by customer_id, once, with a null key, to be inserted)."""
    in_place = ", ".join(f"t.{c} = s.{c}" for c in (*METRIC_COLUMNS, VERSION_COLUMN))
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
        WHEN MATCHED AND s._change = 'update' THEN UPDATE SET {in_place}
        WHEN NOT MATCHED AND s._change IN ('insert', 'new_version') THEN
            INSERT ({column_list}) VALUES ({values})
    """
