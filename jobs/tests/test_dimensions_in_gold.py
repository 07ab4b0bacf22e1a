"""Gold recomputes every date whose inputs changed, dimensions included, and always equals a full
recomputation: a customer who lands after their order, a late order that changes a customer's segment
for days already computed, an order that moves to another date, a product that changes category."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from lakehouse_jobs import recompute

from . import scenario as s
from .builders import customer, order, product, ts
from .conftest import Lake

ANA = customer("C1", "ana@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00")
BO = customer("C2", "bo@example.com", "Bo Chen", "Houston", "TX", "2024-01-15 00:00")
O1, O2 = s.ORDERS_1[0], s.ORDERS_1[1]  # Ana's 133.38 (P1, P2) and Bo's 34.92 (P3), both on Feb 10
O11 = order("O11", "C1", "2024-02-05 12:00", "delivered", [("P1", 20, "60.00", "0.00")])  # 1296.00
O2_MOVED = {**O2, "order_date": ts("2024-02-12 15:30")}
P2_RENAMED = {**product("P2", "Media", "15.50"), "updated_at": ts("2024-02-20 00:00")}
DAY3, DAY4 = ts("2024-03-03 03:00"), ts("2024-03-04 03:00")


def _m(day: str, kind: str, value: str, amount: str, count: int) -> tuple:
    key = {"daily_revenue": "all", "segment_revenue": "customer_segment", "category_revenue": "category"}[
        kind
    ]
    return (date.fromisoformat(day), kind, key, value, D(amount), count)


def _metrics(lake: Lake) -> list[tuple]:
    return lake.rows("agg_daily_metrics", s.METRIC_COLUMNS)


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    steps = [
        (s.DAY1, {"customers": [BO], "products": s.PRODUCTS_1, "orders": [O1, O2]}),
        (s.DAY2, {"customers": [ANA]}),
        (DAY3, {"orders": [O11]}),
        (DAY4, {"orders": [O2_MOVED], "products": [P2_RENAMED]}),
    ]
    for n, (landed_at, batch) in enumerate(steps, 1):
        for entity, records in batch.items():
            lake.land(entity, records, landed_at)
        result[f"reports_{n}"] = lake.run_pipeline()
        result[f"metrics_{n}"] = _metrics(lake)
        result[f"differences_{n}"] = (
            recompute.gold_differences(lake.spark, lake.lakehouse),
            recompute.customer_differences(lake.spark, lake.lakehouse),
        )
    result["state"] = lake.state()
    result["rerun"] = lake.run_pipeline()
    return result


CATEGORIES_FEB_10 = [
    _m("2024-02-10", "category_revenue", "Electronics", "108.00", 1),
    _m("2024-02-10", "category_revenue", "Books", "15.50", 1),
    _m("2024-02-10", "category_revenue", "Toys", "23.08", 1),
]


def test_every_run_equals_a_full_recomputation(run: dict[str, Any]) -> None:
    assert [run[f"differences_{n}"] for n in (1, 2, 3, 4)] == [(([], []), ([], []))] * 4


def test_a_customer_who_lands_after_their_order_moves_that_day_from_unknown(run: dict[str, Any]) -> None:
    daily = [_m("2024-02-10", "daily_revenue", "all", "168.30", 2)]
    assert run["metrics_1"] == sorted(
        [
            *daily,
            *CATEGORIES_FEB_10,
            _m("2024-02-10", "segment_revenue", "regular", "34.92", 1),
            _m("2024-02-10", "segment_revenue", "unknown", "133.38", 1),
        ],
        key=repr,
    )
    assert run["metrics_2"] == sorted(
        [*daily, *CATEGORIES_FEB_10, _m("2024-02-10", "segment_revenue", "regular", "168.30", 2)], key=repr
    )
    assert run["reports_2"]["gold_daily_metrics"].details["affected_dates"] == "2024-02-10..2024-02-10 (1)"


def test_a_segment_change_reaches_the_days_already_computed(run: dict[str, Any]) -> None:
    lake = run["lake"]
    versions = lake.rows(
        "curated_customers", ["customer_segment", "_valid_from", "_valid_to"], "customer_id = 'C1'"
    )
    assert [(v[0], str(v[1]), str(v[2])) for v in versions] == [
        ("loyal", "2024-02-05 12:00:00", "None"),
        ("regular", "2024-01-01 00:00:00", "2024-02-05 12:00:00"),
    ]
    assert run["metrics_3"] == sorted(
        [
            _m("2024-02-05", "daily_revenue", "all", "1296.00", 1),
            _m("2024-02-05", "segment_revenue", "loyal", "1296.00", 1),
            _m("2024-02-05", "category_revenue", "Electronics", "1200.00", 1),
            _m("2024-02-10", "daily_revenue", "all", "168.30", 2),
            _m("2024-02-10", "segment_revenue", "loyal", "133.38", 1),  # Ana's order, loyal since Feb 5
            _m("2024-02-10", "segment_revenue", "regular", "34.92", 1),
            *CATEGORIES_FEB_10,
        ],
        key=repr,
    )
    assert run["reports_3"]["gold_daily_metrics"].details["affected_dates"] == "2024-02-05..2024-02-10 (2)"


def test_an_order_that_moves_leaves_its_old_date_and_a_category_change_reaches_past_days(
    run: dict[str, Any],
) -> None:
    assert run["metrics_4"] == sorted(
        [
            _m("2024-02-05", "daily_revenue", "all", "1296.00", 1),
            _m("2024-02-05", "segment_revenue", "loyal", "1296.00", 1),
            _m("2024-02-05", "category_revenue", "Electronics", "1200.00", 1),
            _m("2024-02-10", "daily_revenue", "all", "133.38", 1),
            _m("2024-02-10", "segment_revenue", "loyal", "133.38", 1),
            _m("2024-02-10", "category_revenue", "Electronics", "108.00", 1),
            _m("2024-02-10", "category_revenue", "Media", "15.50", 1),
            _m("2024-02-12", "daily_revenue", "all", "34.92", 1),
            _m("2024-02-12", "segment_revenue", "regular", "34.92", 1),
            _m("2024-02-12", "category_revenue", "Toys", "23.08", 1),
        ],
        key=repr,
    )
    lake = run["lake"]
    assert lake.rows("curated_orders", ["order_id", "_order_dates"], "order_id = 'O2'") == [
        ("O2", [date(2024, 2, 10), date(2024, 2, 12)])
    ]
    assert run["reports_4"]["gold_daily_metrics"].details["affected_dates"] == "2024-02-10..2024-02-12 (2)"


def test_a_rerun_changes_nothing(run: dict[str, Any]) -> None:
    assert run["lake"].state() == run["state"]
    assert {job: r.rows_out for job, r in run["rerun"].items()} == dict.fromkeys(run["rerun"], 0)
