"""silver_orders: raw_orders (+ raw_products, raw_customers) -> curated_orders, MERGE by order_id.

Reads the raw_orders rows above its progress (progress.py). Refused orders (order_rules) go to the
quarantine; of the valid ones, the latest version of each order (versions.py) replaces the curated row
only when it is a later version than the one the row holds: a replayed or late older version changes
nothing. An upsert: never a second row for one order. `_order_dates` keeps every date the order has
had, so gold recomputes a date an order moved away from. Into a target without data (a first load) the
batch is appended instead: the rows the MERGE would insert, without its reads and join of the target.

Customer name and email come from the customer's latest raw_customers record (version order) when the
order version is processed; they are null when that customer has not landed yet, and an invalid email
is not copied. `delivery_date` and `payment_method` are not in the source and stay null (the seed
invented "credit_card"; this job does not make data up).
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .arguments import SilverOrdersArguments
from .customer_rules import full_name, is_valid_email, normalized_email
from .date_filters import in_days_sql
from .order_placement import merge_days
from .order_rules import COMPUTED_TOTAL, ITEMS_TYPE, checked_orders, product_arrivals, valid_latest_orders
from .progress import SEQUENCE_COLUMNS, next_run_seq, read_sources, record_progress
from .quarantine import quarantine_refused
from .report import JobReport
from .snapshots import Lakehouse, commit_run, current_snapshot_id, holds_no_data, read_as_of
from .versions import latest_versions, with_version

JOB = "silver_orders"
TARGET = "curated_orders"
SEQUENCE = SEQUENCE_COLUMNS[TARGET]


def customer_fields(raw_customers: DataFrame, customer_ids: DataFrame) -> DataFrame:
    """Name and valid email of each customer's latest raw record (version order)."""
    records = raw_customers.join(customer_ids, "customer_id", "left_semi")
    latest = latest_versions(with_version(records, F.col("updated_at").cast("timestamp")), "customer_id")
    return latest.select(
        "customer_id",
        full_name(F.col("first_name"), F.col("last_name")).alias("customer_name"),
        F.when(is_valid_email(F.col("email")), normalized_email(F.col("email"))).alias("customer_email"),
    )


# Up to this many customers (about 100 MB of ids, names and emails, by estimate), the orders take their
# customer fields through a broadcast join: the orders' rows are not shuffled by customer a second time
# after the latest-version window (1.5 GB for a 2-million-order history). Above it, a shuffle join.
MAX_BROADCAST_CUSTOMERS = 1_000_000


def customer_lookup(customers: DataFrame) -> DataFrame:
    """`customers` (persisted) marked for a broadcast join when they are few enough."""
    return F.broadcast(customers) if customers.count() <= MAX_BROADCAST_CUSTOMERS else customers


def curated_rows(orders: DataFrame, customers: DataFrame, run_seq: int) -> DataFrame:
    """The curated form of valid, deduplicated orders with their amounts (table types)."""
    money = "decimal(12,2)"
    return orders.join(customers, "customer_id", "left").select(
        "order_id",
        "customer_id",
        "customer_name",
        "customer_email",
        "order_status",
        "order_date",
        "shipped_date",
        F.lit(None).cast("timestamp_ntz").alias("delivery_date"),
        F.col("item_count").cast("int"),
        F.col("items").cast(ITEMS_TYPE).alias("items"),
        F.col("subtotal_amount").cast(money),
        F.col(COMPUTED_TOTAL).cast(money).alias("total_amount"),
        F.col("discount_amount").cast(money),
        F.col("tax_amount").cast(money),
        F.col("shipping_cost").cast("decimal(10,2)"),
        F.col("net_amount").cast(money),
        F.col("shipping_address")["city"].alias("shipping_city"),
        F.col("shipping_address")["state"].alias("shipping_state"),
        F.col("shipping_address")["country"].alias("shipping_country"),
        F.lit(None).cast("string").alias("payment_method"),
        F.current_timestamp().cast("timestamp_ntz").alias("_processing_timestamp"),
        "_source_version",
        F.array(F.to_date("order_date")).alias("_order_dates"),
        F.lit(run_seq).cast("bigint").alias(SEQUENCE),
        F.array("customer_id").alias("_order_customers"),
    )


# Every value the order has had, kept: gold recomputes each date, silver_customers recounts each customer.
_ACCUMULATED = ("_order_dates", "_order_customers")


def merge_sql(target: str, view: str, columns: list[str], days: list[date]) -> str:
    """Upsert by order_id; a matched row is replaced only by a later version (versions.is_newer). The
    target is read only on `days` (order_placement.merge_days), where every matching row lies."""
    updates = ", ".join(
        f"t.{c} = array_sort(array_union(coalesce(t.{c}, array()), s.{c}))"
        if c in _ACCUMULATED
        else f"t.{c} = s.{c}"
        for c in columns
    )
    return f"""
        MERGE INTO {target} t USING {view} s
        ON t.order_id = s.order_id AND {in_days_sql("t.order_date", days)}
        WHEN MATCHED AND (t._source_version IS NULL OR s._source_version > t._source_version)
            THEN UPDATE SET {updates}
        WHEN NOT MATCHED THEN INSERT *
    """


def merge_into(
    spark: SparkSession, target: str, before: int | None, staged: DataFrame, run_seq: int, report: JobReport
) -> int | None:
    """MERGEs `staged` into `target` (at snapshot `before`) as run `run_seq`; notes the days it read and
    sets the rows it changed. Returns the target's snapshot after it."""
    days = merge_days(spark, target, read_as_of(spark, target, before), staged)
    report.note("merge_days", len(days))
    view = "_staged_curated_orders"
    staged.createOrReplaceTempView(view)
    merge = merge_sql(target, view, spark.table(target).columns, days)
    after = commit_run(spark, target, JOB, run_seq, lambda: spark.sql(merge))
    spark.catalog.dropTempView(view)
    report.rows_out = spark.table(target).where(F.col(SEQUENCE) == run_seq).count()
    return after


def append_to_empty(spark: SparkSession, lakehouse: Lakehouse, staged: DataFrame, run_seq: int) -> int | None:
    """Writes `staged` into the target while it holds no data file (a first load, or a full reprocess
    of an emptied table): the MERGE would match no row and insert every staged row, one per order (its
    latest version) as they are, so an append writes the same rows without reading or joining the
    target. Committed as the MERGE is (run properties, audit branch). Returns the snapshot after it."""
    target = lakehouse.table(TARGET)
    writer = staged.writeTo(target).options(**lakehouse.write_options.get(TARGET, {}))
    return commit_run(spark, target, JOB, run_seq, writer.append)


def run(spark: SparkSession, args: SilverOrdersArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options, args.audit_branches)
    target = lakehouse.table(TARGET)
    progress, read = read_sources(spark, lakehouse, JOB, ("raw_orders",), report)
    orders = read["raw_orders"]
    if orders.is_empty:
        return
    run_seq = next_run_seq(spark, lakehouse, progress, TARGET)
    products = spark.table(lakehouse.table("raw_products"))
    raw_columns = orders.rows.columns
    checked = checked_orders(orders.rows, product_arrivals(products)).persist()
    report.rows_in, report.quarantined = quarantine_refused(
        spark,
        lakehouse,
        checked,
        ("raw_orders", "order_id", raw_columns, orders.after),
        JOB,
        args.max_bad_record_share,
    )
    # The customers of every valid version, a superset of the latest versions' ones: taken from the
    # checked rows, the latest versions' window is computed once (for the staged rows), not twice.
    customer_ids = checked.where("_problems IS NULL").select("customer_id").distinct()
    customers = customer_fields(spark.table(lakehouse.table("raw_customers")), customer_ids).persist()
    # Not persisted: it is read from `checked` and `customers` (persisted) through a broadcast join, and
    # the window runs only over repeated orders (versions.latest_versions_of_persisted), so computing it
    # for each use (an append; a MERGE's day list and its join) costs less than caching it (2 million
    # orders: 9 s). Nor counted: the versions it drops are counted with the repeated orders.
    latest = valid_latest_orders(checked)
    staged = curated_rows(latest.rows, customer_lookup(customers), run_seq)
    candidates = report.rows_in - report.quarantined - latest.superseded
    report.note("superseded", latest.superseded)
    if candidates > 0:
        before = current_snapshot_id(spark, target)
        if holds_no_data(spark, target, before):
            report.note("write", "append (the target held no data)")
            after = append_to_empty(spark, lakehouse, staged, run_seq)
            report.rows_out = candidates
        else:
            report.note("write", "merge")
            after = merge_into(spark, target, before, staged, run_seq, report)
        report.note("older_versions_ignored", candidates - report.rows_out)
        written = after if after != before else None
    else:
        written = None
    record_progress(spark, lakehouse, JOB, run_seq, [orders], (TARGET, written))
    customers.unpersist()
    checked.unpersist()
