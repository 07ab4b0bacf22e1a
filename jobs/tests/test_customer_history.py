"""Customers: the current SCD2 version is the latest by business time whatever the arrival order, and
lifetime value counts exactly the orders curated_orders accepted (one definition of a valid order)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D
from typing import Any

import pytest

from lakehouse_jobs import customer_index, local, recompute

from . import scenario as s
from .builders import customer, order, product, ts
from .conftest import Lake

V1 = customer("C1", "ana@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00")
V2 = customer("C1", "ana@example.com", "Ana Silva", "Houston", "TX", "2024-01-01 00:00", "2024-02-01 00:00")
V3 = customer("C1", "ana@example.com", "Ana Silva", "Denver", "CO", "2024-01-01 00:00", "2024-02-20 08:00")
O1 = order("O1", "C1", "2024-02-10 10:00", "delivered", [("P1", 1, "60.00", "0.00")])  # 74.79
O6 = order("O6", "C1", "2024-02-11 10:00", "delivered", [("P9", 1, "5.00", "0.00")])  # 15.39, P9 lands later
COLUMNS = [
    "city",
    "customer_segment",
    "lifetime_value",
    "total_orders",
    "_valid_from",
    "_valid_to",
    "_is_current",
]


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    steps = [
        (
            s.DAY1,
            {"customers": [V1], "products": [product("P1", "Electronics", "60.00")], "orders": [O1, O6]},
        ),
        (s.DAY2, {"customers": [V3], "products": [product("P9", "Toys", "5.00")]}),
        (ts("2024-03-03 03:00"), {"customers": [V1, V2]}),  # replays, older than V3
        (ts("2024-03-04 03:00"), {"orders": [O6]}),  # O6 landed again, after its product
    ]
    for n, (landed_at, batch) in enumerate(steps, 1):
        for entity, records in batch.items():
            lake.land(entity, records, landed_at)
        result[f"reports_{n}"] = lake.run_pipeline(silver_orders=0.5)
        result[f"customers_{n}"] = lake.rows("curated_customers", COLUMNS)
        result[f"orders_{n}"] = lake.rows("curated_orders", ["order_id", "net_amount"])
        result[f"differences_{n}"] = recompute.customer_differences(lake.spark, lake.lakehouse)
    result["state"] = lake.state()
    result["rerun"] = lake.run_pipeline()
    return result


CHICAGO = ("Chicago", "regular", D("74.79"), 1, datetime(2024, 1, 1))
DENVER = ("Denver", "regular", D("74.79"), 1, datetime(2024, 2, 20, 8), None, True)


def test_the_latest_record_by_business_time_stays_current_whatever_arrives_later(run: dict[str, Any]) -> None:
    assert run["customers_1"] == [(*CHICAGO, None, True)]
    after_the_change = [(*CHICAGO, datetime(2024, 2, 20, 8), False), DENVER]
    assert run["customers_2"] == after_the_change
    assert run["customers_3"] == after_the_change  # V1 replayed and V2 (older than V3) change nothing
    assert run["reports_3"]["silver_customers"].details["new_version"] == 0


def test_lifetime_value_counts_only_the_orders_curated_orders_accepted(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert lake.rows("quarantine_records", ["record_key", "reason"]) == [("O6", "unknown product: P9")]
    # P9 landed on day 2: the order refused on day 1 stays refused for both jobs.
    assert [run[f"orders_{n}"] for n in (2, 3)] == [[("O1", D("74.79"))]] * 2
    assert [run[f"customers_{n}"][-1][2] for n in (2, 3)] == [D("74.79")] * 2
    # Landed again after its product, it is a new, valid version: both jobs count it.
    assert run["orders_4"] == [("O1", D("74.79")), ("O6", D("15.39"))]
    assert run["customers_4"][-1] == (
        "Denver",
        "regular",
        D("90.18"),
        2,
        datetime(2024, 2, 20, 8),
        None,
        True,
    )


def test_customer_metrics_equal_a_full_recomputation_after_every_run(run: dict[str, Any]) -> None:
    assert [run[f"differences_{n}"] for n in (1, 2, 3, 4)] == [([], [])] * 4
    assert run["lake"].state() == run["state"]
    assert {job: r.rows_out for job, r in run["rerun"].items()} == dict.fromkeys(run["rerun"], 0)


def test_an_index_never_written_is_built_from_every_order_by_the_next_run(lake: Lake) -> None:
    bo = customer("C2", "bo@example.com", "Bo Chen", "Reno", "NV", "2024-01-01 00:00")
    o2 = order("O2", "C2", "2024-02-10 11:00", "delivered", [("P1", 2, "60.00", "0.00")])
    lake.land("customers", [V1, bo], s.DAY1)
    lake.land("products", [product("P1", "Electronics", "60.00")], s.DAY1)
    lake.land("orders", [O1, o2], s.DAY1)
    lake.run_pipeline()
    # A lake from before customer_counted_orders: the table exists, without data.
    index = lake.table(customer_index.TABLE)
    lake.spark.sql(f"DROP TABLE {index}")
    lake.spark.sql(
        local.create_table_sql(lake.specs, local.table_spec(lake.specs, customer_index.TABLE), lake.database)
    )
    o3 = order("O3", "C1", "2024-02-12 10:00", "delivered", [("P1", 1, "60.00", "0.00")])
    lake.land("orders", [o3], s.DAY2)
    report = lake.run_pipeline()["silver_customers"]
    # Bo's order changed nothing today, yet his entry is there: every order was recounted, once.
    assert lake.rows(
        customer_index.TABLE, ["customer_id", f"transform({customer_index.INDEX}, e -> e.net_amount)"]
    ) == [
        ("C1", [D("74.79"), D("74.79")]),
        ("C2", [D("129.60")]),
    ]
    assert report.details["recounted_days"] == 2  # O1's and O2's day, O3's day
    assert recompute.counted_order_differences(lake.spark, lake.lakehouse) == ([], [])
    assert recompute.customer_differences(lake.spark, lake.lakehouse) == ([], [])
    # Ana's next order: her row is recounted, Bo's carried over, and the index written as one file.
    o4 = order("O4", "C1", "2024-02-13 10:00", "delivered", [("P1", 1, "60.00", "0.00")])
    lake.land("orders", [o4], ts("2024-03-03 03:00"))
    lake.run_pipeline()
    assert lake.rows(customer_index.TABLE, ["size(counted_orders)"]) == [(1,), (3,)]
    assert lake.rows(f"{customer_index.TABLE}.files", ["count(*)"]) == [(1,)]
    assert recompute.counted_order_differences(lake.spark, lake.lakehouse) == ([], [])
