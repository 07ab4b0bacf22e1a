"""The shared two-day scenario: landing batches and the exact results they must produce.

Amounts (order_rules): O1 lines 2 x 60.00 at 10 % (discount 12.00) + 1 x 15.50 -> subtotal 135.50,
total 123.50, tax 9.88, free shipping (> 100.00), net 133.38. O2 3 x 8.55 = 25.65 at 10 %: the
discount 2.565 rounds HALF_UP to 2.57 (HALF_EVEN would give 2.56) -> total 23.08, tax 1.8464 -> 1.85,
shipping 9.99, net 34.92. O9 totals exactly 100.00, which is not above the free-shipping threshold.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

from lakehouse_jobs.recompute import GOLD_COLUMNS

from .builders import customer, order, product, ts

DAY1 = ts("2024-03-01 03:00")
DAY2 = ts("2024-03-02 03:00")

CUSTOMERS_1 = [
    customer("C1", "ana@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00"),
    customer("C2", "bo@example.com", "Bo Chen", "Houston", "TX", "2024-01-15 00:00"),
    customer("C3", "carl at example.com", "Carl Diaz", "Phoenix", "AZ", "2024-01-20 00:00"),
    customer(None, "dee@example.com", "Dee Ross", "Chicago", "IL", "2024-01-21 00:00"),
]
PRODUCTS_1 = [
    product("P1", "Electronics", "60.00"),
    product("P2", "Books", "15.50"),
    product("P3", "Toys", "8.55"),
    product("P4", "Books", "25.00"),
]
ORDERS_1 = [
    order(
        "O1", "C1", "2024-02-10 10:00", "delivered", [("P1", 2, "60.00", "0.10"), ("P2", 1, "15.50", "0.00")]
    ),
    order("O2", "C2", "2024-02-10 15:30", "shipped", [("P3", 3, "8.55", "0.10")]),
    order("O3", "C1", "2024-02-11 09:00", "cancelled", [("P2", 2, "15.50", "0.00")]),
    order("O4", "C2", "2024-02-11 12:00", "pending", [("P1", 1, "60.00", "0.05")]),
    order("O5", "C1", "2024-02-11 13:00", "pending", [("P1", -1, "60.00", "0.00")]),
    order("O6", "C2", "2024-02-11 14:00", "pending", [("P9", 1, "5.00", "0.00")]),
    order(None, "C1", "2024-02-11 15:00", "pending", [("P1", -2, "60.00", "0.00")]),
]
# Day 2: Ana moves to Denver (email re-sent in another case), O4 is delivered, two new orders.
CUSTOMERS_2 = [
    {
        **customer(
            "C1", "Ana@Example.com ", "Ana Silva", "Denver", "CO", "2024-01-01 00:00", "2024-02-20 08:00"
        ),
    }
]
ORDERS_2 = [
    order("O4", "C2", "2024-02-11 12:00", "delivered", [("P1", 1, "60.00", "0.05")]),
    order("O8", "C1", "2024-02-21 10:00", "delivered", [("P1", 20, "60.00", "0.00")]),
    order("O9", "C2", "2024-02-21 18:00", "processing", [("P4", 4, "25.00", "0.00")]),
]

ORDER_COLUMNS = [
    "order_id", "customer_id", "customer_name", "customer_email", "order_status", "order_date", "item_count",
    "subtotal_amount", "total_amount", "discount_amount", "tax_amount", "shipping_cost", "net_amount",
    "shipping_city", "shipping_state", "shipping_country", "payment_method", "delivery_date",
]  # fmt: skip
_USA = ("Chicago", "IL", "USA", None, None)
_ANA, _BO = ("C1", "Ana Silva", "ana@example.com"), ("C2", "Bo Chen", "bo@example.com")


def _d(text: str) -> datetime:
    return datetime.fromisoformat(text)


O1 = (
    "O1",
    *_ANA,
    "delivered",
    _d("2024-02-10 10:00"),
    2,
    D("135.50"),
    D("123.50"),
    D("12.00"),
    D("9.88"),
    D("0.00"),
    D("133.38"),
    *_USA,
)
O2 = (
    "O2",
    *_BO,
    "shipped",
    _d("2024-02-10 15:30"),
    1,
    D("25.65"),
    D("23.08"),
    D("2.57"),
    D("1.85"),
    D("9.99"),
    D("34.92"),
    *_USA,
)
O3 = (
    "O3",
    *_ANA,
    "cancelled",
    _d("2024-02-11 09:00"),
    1,
    D("31.00"),
    D("31.00"),
    D("0.00"),
    D("2.48"),
    D("9.99"),
    D("43.47"),
    *_USA,
)
O4_PENDING = (
    "O4",
    *_BO,
    "pending",
    _d("2024-02-11 12:00"),
    1,
    D("60.00"),
    D("57.00"),
    D("3.00"),
    D("4.56"),
    D("9.99"),
    D("71.55"),
    *_USA,
)
O4_DELIVERED = ("O4", *_BO, "delivered", *O4_PENDING[5:])
O8 = (
    "O8",
    *_ANA,
    "delivered",
    _d("2024-02-21 10:00"),
    1,
    D("1200.00"),
    D("1200.00"),
    D("0.00"),
    D("96.00"),
    D("0.00"),
    D("1296.00"),
    *_USA,
)
O9 = (
    "O9",
    *_BO,
    "processing",
    _d("2024-02-21 18:00"),
    1,
    D("100.00"),
    D("100.00"),
    D("0.00"),
    D("8.00"),
    D("9.99"),
    D("117.99"),
    *_USA,
)
CURATED_ORDERS_1 = sorted([O1, O2, O3, O4_PENDING], key=repr)
CURATED_ORDERS_2 = sorted([O1, O2, O3, O4_DELIVERED, O8, O9], key=repr)

QUARANTINE = sorted(
    [
        ("raw_customers", "C3", "malformed email", "silver_customers"),
        ("raw_customers", None, "customer_id is null", "silver_customers"),
        ("raw_orders", "O5", "negative quantity", "silver_orders"),
        ("raw_orders", "O6", "unknown product: P9", "silver_orders"),
        ("raw_orders", None, "order_id is null; negative quantity", "silver_orders"),
    ],
    key=repr,
)

CUSTOMER_COLUMNS = [
    "customer_id", "email", "full_name", "phone", "city", "state", "country", "customer_segment", "lifetime_value",
    "first_order_date", "last_order_date", "total_orders", "is_active", "_valid_from", "_valid_to", "_is_current",
]  # fmt: skip
_ANA_ID = ("C1", "ana@example.com", "Ana Silva", "+13125550100")
_BO_ID = ("C2", "bo@example.com", "Bo Chen", "+13125550100")
ANA_V1_OPEN = (
    *_ANA_ID,
    "Chicago",
    "IL",
    "USA",
    "regular",
    D("133.38"),
    _d("2024-02-10 10:00"),
    _d("2024-02-10 10:00"),
    1,
    True,
    _d("2024-01-01 00:00"),
    None,
    True,
)
ANA_V1_CLOSED = (*ANA_V1_OPEN[:14], _d("2024-02-21 10:00"), False)
ANA_V2 = (
    *_ANA_ID,
    "Denver",
    "CO",
    "USA",
    "loyal",
    D("1429.38"),
    _d("2024-02-10 10:00"),
    _d("2024-02-21 10:00"),
    2,
    True,
    _d("2024-02-21 10:00"),
    None,
    True,
)
BO_1 = (
    *_BO_ID,
    "Houston",
    "TX",
    "USA",
    "regular",
    D("106.47"),
    _d("2024-02-10 15:30"),
    _d("2024-02-11 12:00"),
    2,
    True,
    _d("2024-01-15 00:00"),
    None,
    True,
)
BO_2 = (
    *_BO_ID,
    "Houston",
    "TX",
    "USA",
    "regular",
    D("224.46"),
    _d("2024-02-10 15:30"),
    _d("2024-02-21 18:00"),
    3,
    True,
    _d("2024-01-15 00:00"),
    None,
    True,
)
CURATED_CUSTOMERS_1 = sorted([ANA_V1_OPEN, BO_1], key=repr)
CURATED_CUSTOMERS_2 = sorted([ANA_V1_CLOSED, ANA_V2, BO_2], key=repr)

METRIC_COLUMNS = list(GOLD_COLUMNS)


def _m(day: str, kind: str, key: str, value: str, amount: str, count: int) -> tuple:
    return (datetime.fromisoformat(day).date(), kind, key, value, D(amount), count)


METRICS_FEB_10 = [
    _m("2024-02-10", "daily_revenue", "all", "all", "168.30", 2),
    _m("2024-02-10", "segment_revenue", "customer_segment", "regular", "168.30", 2),
    _m("2024-02-10", "category_revenue", "category", "Electronics", "108.00", 1),
    _m("2024-02-10", "category_revenue", "category", "Books", "15.50", 1),
    _m("2024-02-10", "category_revenue", "category", "Toys", "23.08", 1),
]
METRICS_FEB_11 = [
    _m("2024-02-11", "daily_revenue", "all", "all", "71.55", 1),
    _m("2024-02-11", "segment_revenue", "customer_segment", "regular", "71.55", 1),
    _m("2024-02-11", "category_revenue", "category", "Electronics", "57.00", 1),
]
METRICS_FEB_21 = [
    _m("2024-02-21", "daily_revenue", "all", "all", "1413.99", 2),
    _m("2024-02-21", "segment_revenue", "customer_segment", "loyal", "1296.00", 1),
    _m("2024-02-21", "segment_revenue", "customer_segment", "regular", "117.99", 1),
    _m("2024-02-21", "category_revenue", "category", "Electronics", "1200.00", 1),
    _m("2024-02-21", "category_revenue", "category", "Books", "100.00", 1),
]
METRICS_1 = sorted(METRICS_FEB_10 + METRICS_FEB_11, key=repr)
METRICS_2 = sorted(METRICS_FEB_10 + METRICS_FEB_11 + METRICS_FEB_21, key=repr)
