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

An order is valid when it has its keys, items with every field, no negative quantity or price, a
discount from 0 to 1, a status in ORDER_STATUSES (exactly, lowercase; a missing or other status is
refused, never counted), amounts that fit decimal(12,2), and only products that had landed when the
order landed: the product's first raw row has an `_ingestion_id` at or below the order's. That last
rule makes validity a function of the raw rows alone, so every job and every rerun or full reprocess
decides the same: an order refused for a product that lands later stays refused (neither job counts
it); landing the order again after its product makes a new, valid version.
"""

from __future__ import annotations

from decimal import Decimal

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .frames import problems_column, row_fingerprint
from .versions import LatestVersions, latest_versions_of_persisted, with_version

ORDER_STATUSES = ("pending", "processing", "shipped", "delivered", "cancelled")
TAX_RATE = Decimal("0.08")
FREE_SHIPPING_ABOVE = Decimal("100.00")
FLAT_SHIPPING_COST = Decimal("9.99")
NON_REVENUE_STATUSES = ("cancelled",)
# Intermediate sums run at the widest decimal so that no step overflows before the range check.
WIDE = "DECIMAL(38,2)"
MAX_AMOUNT = Decimal("9999999999.99")  # the largest decimal(12,2)
ITEMS_TYPE = "array<struct<product_id:string,quantity:int,unit_price:decimal(10,2),discount:decimal(5,2)>>"


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


# The computed total_amount. The source sends a total_amount of its own, which is kept as received: a
# refused order's quarantine payload is the record as it landed (computed, it would state 10.00 for a
# source's 99.99). curated_orders' total_amount is this one.
COMPUTED_TOTAL = "_total_amount"


def with_amounts(orders: DataFrame) -> DataFrame:
    """Adds item_count and the six amount columns (wide decimals; cast to the table types on write), the
    total as `COMPUTED_TOTAL`."""
    total = F.col("subtotal_amount") - F.col("discount_amount")
    shipping = F.when(F.col(COMPUTED_TOTAL) > _lit(FREE_SHIPPING_ABOVE), _lit(Decimal("0.00"))).otherwise(
        _lit(FLAT_SHIPPING_COST)
    )
    tax = F.round(F.col(COMPUTED_TOTAL) * F.expr(f"CAST({TAX_RATE} AS DECIMAL(5,4))"), 2)
    return (
        orders.withColumn("item_count", F.size("items"))
        .withColumn("subtotal_amount", _sum_items(F.col("items"), line_gross))
        .withColumn("discount_amount", _sum_items(F.col("items"), line_discount))
        .withColumn(COMPUTED_TOTAL, total.cast(WIDE))
        .withColumn("tax_amount", tax.cast(WIDE))
        .withColumn("shipping_cost", shipping.cast(WIDE))
        .withColumn(
            "net_amount", (F.col(COMPUTED_TOTAL) + F.col("tax_amount") + F.col("shipping_cost")).cast(WIDE)
        )
    )


def is_revenue(status: Column) -> Column:
    return ~F.coalesce(status, F.lit("")).isin(*NON_REVENUE_STATUSES)


def product_arrivals(raw_products: DataFrame) -> DataFrame:
    """(`product_id`, `_first_ingestion_id`): when each product first landed."""
    return raw_products.groupBy("product_id").agg(
        F.min(F.coalesce("_ingestion_id", F.lit(0))).alias("_first_ingestion_id")
    )


def _unknown_items(orders: DataFrame, arrivals: DataFrame, *keys: str) -> DataFrame:
    """(`keys`, `product_id`) of every item naming a product that had not landed when its order did:
    no arrival, or a first arrival after the order's run (`arrivals` holds one row per product)."""
    items = orders.select(
        *keys,
        F.coalesce("_ingestion_id", F.lit(0)).alias("_order_ingestion_id"),
        F.explode_outer(F.col("items.product_id")).alias("product_id"),
    ).where("product_id IS NOT NULL")
    arrived = F.col("_first_ingestion_id") <= F.col("_order_ingestion_id")
    return items.join(arrivals, "product_id", "left").where(~F.coalesce(arrived, F.lit(False)))


def with_unknown_products(orders: DataFrame, arrivals: DataFrame) -> DataFrame:
    """Adds `_unknown_products`: the sorted products an order names that had not landed when it did,
    or null. Almost always there is none: then no row is keyed and nothing is joined back (the join of
    every order's row by its fingerprint was most of silver_orders' checking time)."""
    if _unknown_items(orders, arrivals).isEmpty():
        return orders.withColumn("_unknown_products", F.lit(None).cast("array<string>"))
    keyed = orders.withColumn("_row", row_fingerprint(orders))
    unknown = (
        _unknown_items(keyed, arrivals, "_row")
        .groupBy("_row")
        .agg(F.array_sort(F.collect_set("product_id")).alias("_unknown_products"))
    )
    return keyed.join(unknown, "_row", "left").drop("_row")


def with_order_problems(orders: DataFrame, arrivals: DataFrame) -> DataFrame:
    """Adds `_problems`: why a raw order is refused ("reason; reason"), or null for a valid order.
    `orders` must already carry the amount columns; `arrivals` is `product_arrivals(raw_products)`."""
    items = F.col("items")

    def any_item(test) -> Column:
        return F.coalesce(F.exists(items, test), F.lit(False))

    status = F.col("order_status")
    checks = [
        (F.col("order_id").isNull(), "order_id is null"),
        (F.col("customer_id").isNull(), "customer_id is null"),
        (F.col("order_date").isNull(), "order_date is null"),
        (status.isNull(), "order_status is null"),
        (
            ~status.isin(*ORDER_STATUSES),
            F.concat(
                F.lit('unknown order_status "'), status, F.lit(f'" (accepted: {", ".join(ORDER_STATUSES)})')
            ),
        ),
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
        with_unknown_products(orders, arrivals)
        .withColumn("_problems", problems_column(checks))
        .drop("_unknown_products")
    )


def checked_orders(raw_orders: DataFrame, arrivals: DataFrame) -> DataFrame:
    """Raw orders with their amounts, `_problems` and `_source_version` (the version order)."""
    return with_version(with_order_problems(with_amounts(raw_orders), arrivals), F.col("updated_at"))


def valid_latest_orders(checked: DataFrame) -> LatestVersions:
    """The latest valid version of each order among `checked`, persisted (versions.py: the same in every
    job), and how many valid versions were older."""
    return latest_versions_of_persisted(checked.where("_problems IS NULL").drop("_problems"), "order_id")
