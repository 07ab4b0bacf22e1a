"""silver_orders: raw_orders (+ raw_products, raw_customers) -> curated_orders, MERGE by order_id.

Reads only the raw_orders rows appended since its last run. Refused orders (order_rules) go to the
quarantine; of the valid ones, the latest ingestion of each order_id wins and replaces the curated row
(an upsert: never a second row for one order). Customer name and email come from the customer's latest
raw_customers record (not from curated_customers, so this job runs beside silver_customers); they are
null when that customer has not landed yet, and an invalid email is not copied.
`delivery_date` and `payment_method` are not in the source and stay null (the seed invented
"credit_card"; this job does not make data up).
"""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .arguments import JobArguments
from .customer_rules import full_name, is_valid_email, normalized_email
from .frames import latest_by
from .order_rules import with_amounts, with_order_problems
from .quarantine import quarantine_refused
from .report import JobReport
from .snapshots import (
    Lakehouse,
    commit_with_properties,
    lineage_properties,
    pinned_snapshot,
    read_as_of,
    read_increment,
    recorded_sources,
)

JOB = "silver_orders"
TARGET = "curated_orders"


def _customer_fields(raw_customers: DataFrame, customer_ids: DataFrame) -> DataFrame:
    latest = latest_by(
        raw_customers.join(customer_ids, "customer_id", "left_semi"),
        "customer_id",
        [F.col("_ingestion_timestamp").desc(), F.col("updated_at").desc()],
    )
    return latest.select(
        "customer_id",
        full_name(F.col("first_name"), F.col("last_name")).alias("customer_name"),
        F.when(is_valid_email(F.col("email")), normalized_email(F.col("email"))).alias("customer_email"),
    )


def curated_rows(orders: DataFrame, customers: DataFrame) -> DataFrame:
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
        F.lit(None).cast("timestamp").alias("delivery_date"),
        F.col("item_count").cast("int"),
        F.col("subtotal_amount").cast(money),
        F.col("total_amount").cast(money),
        F.col("discount_amount").cast(money),
        F.col("tax_amount").cast(money),
        F.col("shipping_cost").cast("decimal(10,2)"),
        F.col("net_amount").cast(money),
        F.col("shipping_address")["city"].alias("shipping_city"),
        F.col("shipping_address")["state"].alias("shipping_state"),
        F.col("shipping_address")["country"].alias("shipping_country"),
        F.lit(None).cast("string").alias("payment_method"),
        F.current_timestamp().alias("_processing_timestamp"),
    )


def run(spark: SparkSession, args: JobArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options)
    target = lakehouse.table(TARGET)
    orders = read_increment(spark, lakehouse, "raw_orders", recorded_sources(spark, target))
    products_snapshot = pinned_snapshot(spark, lakehouse, "raw_products")
    customers_snapshot = pinned_snapshot(spark, lakehouse, "raw_customers")
    report.note("raw_orders", orders.describe())

    raw_columns = orders.rows.columns
    product_ids = read_as_of(spark, lakehouse.table("raw_products"), products_snapshot).select("product_id")
    checked = with_order_problems(with_amounts(orders.rows), product_ids).persist()
    report.rows_in, report.quarantined = quarantine_refused(
        spark,
        lakehouse,
        checked,
        ("raw_orders", "order_id", raw_columns),
        JOB,
        args.max_bad_record_share or 0.0,
    )

    valid = latest_by(
        checked.where("_problems IS NULL"),
        "order_id",
        [F.col("_ingestion_timestamp").desc(), F.col("order_status").desc_nulls_last()],
    )
    raw_customers = read_as_of(spark, lakehouse.table("raw_customers"), customers_snapshot)
    staged = curated_rows(
        valid, _customer_fields(raw_customers, valid.select("customer_id").distinct())
    ).persist()
    report.rows_out = staged.count()
    report.note("superseded", report.rows_in - report.quarantined - report.rows_out)
    if report.rows_out > 0:
        view = "_staged_curated_orders"
        staged.createOrReplaceTempView(view)
        merge = f"""
            MERGE INTO {target} t USING {view} s ON t.order_id = s.order_id
            WHEN MATCHED THEN UPDATE SET *
            WHEN NOT MATCHED THEN INSERT *
        """
        snapshots = {
            "raw_orders": orders.end_snapshot_id,
            "raw_products": products_snapshot,
            "raw_customers": customers_snapshot,
        }
        commit_with_properties(spark, lineage_properties(JOB, snapshots), lambda: spark.sql(merge))
        spark.catalog.dropTempView(view)
    staged.unpersist()
    checked.unpersist()
