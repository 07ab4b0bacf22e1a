"""What an order is worth and when it is valid: one set of rules for silver_orders, silver_customers
(lifetime value) and gold (category revenue), so the three can never disagree.

Amounts, exact in DECIMAL (Spark decimal arithmetic, rounding HALF_UP to cents):
- line gross      = quantity * unit_price
- line discount   = round(line gross * discount, 2)   (discount is a fraction: 0.15 = 15 %), per line
- subtotal_amount = sum of line gross
- discount_amount = sum of line discounts
- total_amount    = subtotal_amount - discount_amount (merchandise after discounts)
- tax_amount      = round(total_amount * TAX_RATE, 2)
- shipping_cost   = 0.00 when total_amount > FREE_SHIPPING_ABOVE, else FLAT_SHIPPING_COST
- net_amount      = total_amount + tax_amount + shipping_cost
Revenue counts every order whose status is not in NON_REVENUE_STATUSES.
"""

from __future__ import annotations

from decimal import Decimal

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .frames import latest_by, problems_column, row_fingerprint

TAX_RATE = Decimal("0.08")
FREE_SHIPPING_ABOVE = Decimal("100.00")
FLAT_SHIPPING_COST = Decimal("9.99")
NON_REVENUE_STATUSES = ("cancelled",)
# Intermediate sums run at the widest decimal so that no step overflows before the range check.
WIDE = "DECIMAL(38,2)"
MAX_AMOUNT = Decimal("9999999999.99")  # the largest decimal(12,2)


def _lit(value: Decimal) -> Column:
    return F.expr(f"CAST({value} AS DECIMAL(10,2))")


def line_gross(item: Column) -> Column:
    return (item["quantity"] * item["unit_price"]).cast(WIDE)


def line_discount(item: Column) -> Column:
    return F.round(item["quantity"] * item["unit_price"] * item["discount"], 2).cast(WIDE)


def line_net(item: Column) -> Column:
    return (line_gross(item) - line_discount(item)).cast(WIDE)


def _sum_items(items: Column, amount) -> Column:
    zero = F.lit(0).cast(WIDE)
    return F.aggregate(items, zero, lambda acc, item: (acc + amount(item)).cast(WIDE))


def with_amounts(orders: DataFrame) -> DataFrame:
    """Adds item_count and the six amount columns (wide decimals; cast to the table types on write)."""
    total = F.col("subtotal_amount") - F.col("discount_amount")
    shipping = F.when(F.col("total_amount") > _lit(FREE_SHIPPING_ABOVE), _lit(Decimal("0.00"))).otherwise(
        _lit(FLAT_SHIPPING_COST)
    )
    tax = F.round(F.col("total_amount") * F.expr(f"CAST({TAX_RATE} AS DECIMAL(5,4))"), 2)
    return (
        orders.withColumn("item_count", F.size("items"))
        .withColumn("subtotal_amount", _sum_items(F.col("items"), line_gross))
        .withColumn("discount_amount", _sum_items(F.col("items"), line_discount))
        .withColumn("total_amount", total.cast(WIDE))
        .withColumn("tax_amount", tax.cast(WIDE))
        .withColumn("shipping_cost", shipping.cast(WIDE))
        .withColumn(
            "net_amount", (F.col("total_amount") + F.col("tax_amount") + F.col("shipping_cost")).cast(WIDE)
        )
    )


def is_revenue(status: Column) -> Column:
    return ~F.coalesce(status, F.lit("")).isin(*NON_REVENUE_STATUSES)


def with_order_problems(orders: DataFrame, product_ids: DataFrame) -> DataFrame:
    """Adds `_problems`: why a raw order is refused ("reason; reason"), or null for a valid order.
    `orders` must already carry the amount columns; `product_ids` is one `product_id` column of every
    known product."""
    keyed = orders.withColumn("_row", row_fingerprint(orders))
    ordered = keyed.select("_row", F.explode_outer(F.col("items.product_id")).alias("product_id")).where(
        "product_id IS NOT NULL"
    )
    unknown = (
        ordered.distinct()
        .join(product_ids.distinct(), "product_id", "left_anti")
        .groupBy("_row")
        .agg(F.array_sort(F.collect_set("product_id")).alias("_unknown_products"))
    )
    items = F.col("items")

    def any_item(test) -> Column:
        return F.coalesce(F.exists(items, test), F.lit(False))

    checks = [
        (F.col("order_id").isNull(), "order_id is null"),
        (F.col("customer_id").isNull(), "customer_id is null"),
        (F.col("order_date").isNull(), "order_date is null"),
        (F.coalesce(F.size(items), F.lit(-1)) <= 0, "no items"),
        (
            any_item(
                lambda i: (
                    i.product_id.isNull() | i.quantity.isNull() | i.unit_price.isNull() | i.discount.isNull()
                )
            ),
            "item with a null field",
        ),
        (any_item(lambda i: i.quantity < 0), "negative quantity"),
        (any_item(lambda i: i.unit_price < 0), "negative unit_price"),
        (any_item(lambda i: (i.discount < 0) | (i.discount > 1)), "discount outside 0 to 1"),
        (
            F.size(F.coalesce("_unknown_products", F.array())) > 0,
            F.concat(F.lit("unknown product: "), F.array_join("_unknown_products", ", ")),
        ),
        (F.greatest("subtotal_amount", "net_amount") > F.lit(MAX_AMOUNT), "amount above decimal(12,2)"),
    ]
    return (
        keyed.join(unknown, "_row", "left")
        .withColumn("_problems", problems_column(checks))
        .drop("_row", "_unknown_products")
    )


def valid_latest_orders(raw_orders: DataFrame, product_ids: DataFrame) -> DataFrame:
    """Latest valid version of each order ("latest ingestion wins" among valid versions), with amounts."""
    checked = with_order_problems(with_amounts(raw_orders), product_ids)
    return latest_by(
        checked.where("_problems IS NULL").drop("_problems"),
        "order_id",
        [F.col("_ingestion_timestamp").desc(), F.col("order_status").desc_nulls_last()],
    )
