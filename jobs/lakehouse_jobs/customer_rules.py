"""Customer rules: validity, normalisation, segment. Named constants, one place.

Counted orders are the rows of curated_orders (the orders silver_orders accepted: one definition of a
valid order) whose status is revenue (order_rules.is_revenue). Segment, from the counted orders:
- "new":     no counted order yet
- "vip":     lifetime value >= VIP_LIFETIME_VALUE
- "loyal":   lifetime value >= LOYAL_LIFETIME_VALUE
- "regular": any other customer with orders
`is_active` is true when the customer has at least one counted order.
"""

from __future__ import annotations

from decimal import Decimal

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .frames import problems_column
from .order_rules import is_revenue

# Deliberately simple: one "@", no spaces, a dot in the domain. Catches typos, not deliverability.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
VIP_LIFETIME_VALUE = Decimal("5000.00")
LOYAL_LIFETIME_VALUE = Decimal("1000.00")
# Changes to these start a new SCD2 version; the order metrics are updated on the current version.
TRACKED_COLUMNS = ("email", "full_name", "phone", "city", "state", "country", "customer_segment")
METRIC_COLUMNS = ("lifetime_value", "first_order_date", "last_order_date", "total_orders", "is_active")


def normalized_email(email: Column) -> Column:
    return F.lower(F.trim(email))


def is_valid_email(email: Column) -> Column:
    return F.coalesce(normalized_email(email).rlike(EMAIL_PATTERN), F.lit(False))


def full_name(first: Column, last: Column) -> Column:
    return F.nullif(F.concat_ws(" ", F.trim(first), F.trim(last)), F.lit(""))


def with_customer_fields(raw: DataFrame) -> DataFrame:
    """Adds the curated form of a raw customer's fields; ISO-8601 text without an offset reads as UTC
    (the jobs run with the session time zone UTC)."""
    return (
        raw.withColumn("_email", normalized_email(F.col("email")))
        .withColumn("_full_name", full_name(F.col("first_name"), F.col("last_name")))
        # Keep digits and "+" only, as the seed did: "+1-555-010-0100" -> "+15550100100".
        .withColumn("_phone", F.regexp_replace("phone", r"[^0-9+]", ""))
        .withColumn("_city", F.col("address")["city"])
        .withColumn("_state", F.col("address")["state"])
        .withColumn("_country", F.col("address")["country"])
        .withColumn("_created_ts", F.col("created_at").cast("timestamp"))
        .withColumn("_updated_ts", F.col("updated_at").cast("timestamp"))
    )


def with_customer_problems(customers: DataFrame) -> DataFrame:
    """Adds `_problems` (null for a valid customer); needs `with_customer_fields` first."""
    checks = [
        (F.col("customer_id").isNull(), "customer_id is null"),
        (~is_valid_email(F.col("email")), "malformed email"),
        (F.col("_created_ts").isNull(), "created_at is not an ISO-8601 timestamp"),
        (F.col("_updated_ts").isNull(), "updated_at is not an ISO-8601 timestamp"),
    ]
    return customers.withColumn("_problems", problems_column(checks))


def segment(lifetime_value: Column, total_orders: Column) -> Column:
    return (
        F.when(total_orders == 0, "new")
        .when(lifetime_value >= F.lit(VIP_LIFETIME_VALUE), "vip")
        .when(lifetime_value >= F.lit(LOYAL_LIFETIME_VALUE), "loyal")
        .otherwise("regular")
    )


def order_metrics(curated_orders: DataFrame) -> DataFrame:
    """Per customer with counted orders: lifetime value, order count, first and last order date."""
    counted = curated_orders.where(is_revenue(F.col("order_status")))
    return counted.groupBy("customer_id").agg(
        F.sum("net_amount").cast("decimal(12,2)").alias("lifetime_value"),
        F.count("*").cast("int").alias("total_orders"),
        F.min("order_date").alias("first_order_date"),
        F.max("order_date").alias("last_order_date"),
    )
