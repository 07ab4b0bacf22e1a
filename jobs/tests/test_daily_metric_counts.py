"""What each daily metric counts (gold_metrics.daily_metrics): a date's and a segment's orders are the
rows of curated_orders (one per order), while a category counts an order once however many of its
lines are of that category."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pyspark.sql import SparkSession

from lakehouse_jobs.gold_metrics import GoldInputs, daily_metrics

ITEMS = "array<struct<product_id:string,quantity:int,unit_price:decimal(10,2),discount:decimal(5,2)>>"
ORDERS = (
    f"order_id string, customer_id string, order_status string, order_date timestamp_ntz, "
    f"net_amount decimal(12,2), items {ITEMS}"
)
VERSIONS = "customer_id string, customer_segment string, _valid_from timestamp_ntz, _valid_to timestamp_ntz"
PRODUCTS = (
    "product_id string, category string, updated_at timestamp_ntz, _ingestion_timestamp timestamp_ntz, "
    "_source_file string, _source_line bigint"
)
DAY = datetime(2024, 2, 10, 9, 0)
LANDED = datetime(2024, 2, 1, 3, 0)


def _line(product: str, quantity: int, price: str) -> tuple:
    return (product, quantity, Decimal(price), Decimal("0.00"))


def test_a_category_counts_an_order_once_and_a_date_counts_each_order(spark: SparkSession) -> None:
    orders = spark.createDataFrame(
        [
            # Two lines of Books in one order: Books counts the order once and sums both lines.
            (
                "O1",
                "C1",
                "delivered",
                DAY,
                Decimal("40.00"),
                [_line("B1", 1, "10.00"), _line("B2", 3, "10.00")],
            ),
            ("O2", "C1", "shipped", DAY, Decimal("5.00"), [_line("T1", 1, "5.00")]),
            ("O3", "C9", "pending", DAY, Decimal("20.00"), [_line("B1", 2, "10.00")]),  # no customer version
            ("O4", "C1", "cancelled", DAY, Decimal("99.00"), [_line("B1", 9, "11.00")]),  # not revenue
        ],
        ORDERS,
    )
    versions = spark.createDataFrame([("C1", "gold", datetime(2024, 1, 1), None)], VERSIONS)
    products = spark.createDataFrame(
        [
            ("B1", "Books", datetime(2024, 1, 1), LANDED, "p.json", 1),
            ("B2", "Books", datetime(2024, 1, 1), LANDED, "p.json", 2),
            ("T1", "Toys", datetime(2024, 1, 1), LANDED, "p.json", 3),
        ],
        PRODUCTS,
    )
    metrics = daily_metrics(GoldInputs(orders, versions, products), [DAY.date()])
    rows = sorted(tuple(r) for r in metrics.collect())
    day = date(2024, 2, 10)
    assert rows == [
        (day, "category_revenue", "category", "Books", Decimal("60.00"), 2),
        (day, "category_revenue", "category", "Toys", Decimal("5.00"), 1),
        (day, "daily_revenue", "all", "all", Decimal("65.00"), 3),
        (day, "segment_revenue", "customer_segment", "gold", Decimal("45.00"), 2),
        (day, "segment_revenue", "customer_segment", "unknown", Decimal("20.00"), 1),
    ]
