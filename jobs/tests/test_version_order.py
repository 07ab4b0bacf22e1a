"""The version order (versions.py) decides which version of an order is current: the source's
updated_at, then the landing batch, file and line; never the status's spelling. A missing or unknown
status is refused, never counted as revenue. Three landing days, then a rerun."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pyspark.sql import functions as F

from lakehouse_jobs import recompute, versions

from . import scenario as s
from .builders import order, ts
from .conftest import Lake

SHARES = {"silver_orders": 0.5}  # day 1 refuses 4 of 10 orders on purpose
P2 = [("P2", 1, "15.50", "0.00")]
P1 = [("P1", 1, "60.00", "0.00")]
DAY1 = [
    order("O1", "C1", "2024-02-10 09:00", "pending", P2),  # no updated_at: the later line wins
    order("O1", "C1", "2024-02-10 09:00", "cancelled", P2),
    order("O2", "C2", "2024-02-10 11:00", "shipped", P1),
    order("O2", "C2", "2024-02-10 11:00", "delivered", P1),
    order("O3", "C1", "2024-02-11 08:00", "delivered", [("P2", 2, "15.50", "0.00")], "2024-02-12 10:00"),
    order("O3", "C1", "2024-02-11 08:00", "shipped", [("P2", 2, "15.50", "0.00")], "2024-02-11 09:00"),
    order("O4", "C2", "2024-02-11 12:00", "refunded", P1),
    order("O5", "C2", "2024-02-11 13:00", None, P1),
    {k: v for k, v in order("O6", "C2", "2024-02-11 14:00", "pending", P1).items() if k != "order_status"},
    order("O7", "C2", "2024-02-11 15:00", "Delivered", P1),
]
O8 = [("P1", 2, "60.00", "0.00")]
DAY2_FILE_A = [
    order(
        "O3", "C1", "2024-02-11 08:00", "pending", [("P2", 2, "15.50", "0.00")], "2024-02-10 08:00"
    ),  # replay
    order("O8", "C2", "2024-02-12 10:00", "processing", O8, "2024-02-12 11:00"),
]
DAY2_FILE_B = [
    order("O8", "C2", "2024-02-12 10:00", "shipped", O8, "2024-02-12 11:00")
]  # same time, later file
DAY3 = [order("O8", "C2", "2024-02-12 10:00", "delivered", O8, "2024-02-12 11:00")]  # same time, later batch
ACCEPTED = "pending, processing, shipped, delivered, cancelled"


def _statuses(lake: Lake) -> list[tuple]:
    return lake.rows("curated_orders", ["order_id", "order_status", "net_amount"])


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    lake.land("customers", s.CUSTOMERS_1[:2], s.DAY1)
    lake.land("products", s.PRODUCTS_1, s.DAY1)
    lake.land("orders", DAY1, s.DAY1)
    result["reports_1"] = lake.run_pipeline(**SHARES)
    result["orders_1"] = _statuses(lake)
    lake.land("orders", DAY2_FILE_A, s.DAY2)
    lake.land("orders", DAY2_FILE_B, s.DAY2, name="part-00001.json")
    result["reports_2"] = lake.run_pipeline(**SHARES)
    result["orders_2"] = _statuses(lake)
    lake.land("orders", DAY3, ts("2024-03-03 03:00"))
    result["reports_3"] = lake.run_pipeline(**SHARES)
    result["orders_3"] = _statuses(lake)
    result["state"] = lake.state()
    result["reports_rerun"] = lake.run_pipeline(**SHARES)
    return result


def test_versions_of_one_order_in_one_file_follow_the_line_order_not_the_status(run: dict[str, Any]) -> None:
    assert run["orders_1"] == [
        ("O1", "cancelled", Decimal("26.73")),
        ("O2", "delivered", Decimal("74.79")),
        ("O3", "delivered", Decimal("43.47")),
    ]


def test_a_source_update_time_outranks_the_landing_position(run: dict[str, Any]) -> None:
    raw = run["lake"].rows("raw_orders", ["order_status", "updated_at", "_source_line"], "order_id = 'O3'")
    assert raw == [
        ("delivered", datetime(2024, 2, 12, 10, 0), 5),
        ("pending", datetime(2024, 2, 10, 8, 0), 1),
        ("shipped", datetime(2024, 2, 11, 9, 0), 6),
    ]
    assert ("O3", "delivered", Decimal("43.47")) in run[
        "orders_2"
    ]  # the replayed older version changed nothing


def test_equal_update_times_fall_back_to_the_later_file_then_the_later_batch(run: dict[str, Any]) -> None:
    assert ("O8", "shipped", Decimal("129.60")) in run["orders_2"]
    assert ("O8", "delivered", Decimal("129.60")) in run["orders_3"]
    assert run["reports_2"]["silver_orders"].details["older_versions_ignored"] == 1  # O3's replay


def test_a_missing_or_unknown_status_is_refused_never_counted(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert lake.rows("quarantine_records", ["record_key", "reason"], "job_name = 'silver_orders'") == [
        ("O4", f'unknown order_status "refunded" (accepted: {ACCEPTED})'),
        ("O5", "order_status is null"),
        ("O6", "order_status is null"),
        ("O7", f'unknown order_status "Delivered" (accepted: {ACCEPTED})'),
    ]


def test_gold_counts_the_current_version_and_no_cancelled_order(run: dict[str, Any]) -> None:
    lake = run["lake"]
    daily = lake.rows(
        "agg_daily_metrics", ["metric_date", "metric_value", "metric_count"], "metric_type = 'daily_revenue'"
    )
    assert daily == [
        (date(2024, 2, 10), Decimal("74.79"), 1),
        (date(2024, 2, 11), Decimal("43.47"), 1),
        (date(2024, 2, 12), Decimal("129.60"), 1),
    ]
    assert recompute.gold_differences(lake.spark, lake.lakehouse) == ([], [])
    assert recompute.customer_differences(lake.spark, lake.lakehouse) == ([], [])


def test_each_run_reads_only_what_landed_since_and_a_rerun_changes_nothing(run: dict[str, Any]) -> None:
    reads = [run[f"reports_{n}"]["silver_orders"] for n in (1, 2, 3)]
    assert [(r.rows_in, r.quarantined, r.rows_out) for r in reads] == [(10, 4, 3), (3, 0, 1), (1, 0, 1)]
    assert run["lake"].state() == run["state"]
    assert {job: r.rows_out for job, r in run["reports_rerun"].items()} == dict.fromkeys(
        run["reports_rerun"], 0
    )


VERSIONED = [  # (key, version, note): the latest version of each key is the one noted "latest"
    ("A", 1, "only"),
    ("B", 1, "older"),
    ("B", 3, "latest"),
    ("B", 2, "older"),
    (None, 5, "latest"),
    (None, 4, "older"),
    ("C", 7, "only"),
]


def _latest(spark, rows: list[tuple], pick) -> tuple[list[tuple], str]:
    frame = spark.createDataFrame(rows, "k string, v int, note string").withColumn(
        versions.VERSION_COLUMN, F.struct("v")
    )
    frame = frame.persist()
    try:
        latest = pick(frame, "k")
        plan = latest._jdf.queryExecution().executedPlan().toString()
        return sorted(latest.select("k", "v", "note").collect(), key=str), plan
    finally:
        frame.unpersist()


def _of_persisted(superseded: list[int]):
    def pick(frame, key: str):
        latest = versions.latest_versions_of_persisted(frame, key)
        superseded.append(latest.superseded)
        return latest.rows

    return pick


@pytest.mark.parametrize("limit", [10, 1])
def test_only_repeated_keys_go_through_the_window_and_the_same_rows_come_out(
    spark, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(versions, "MAX_BROADCAST_REPEATED_KEYS", limit)  # 1: above it (two keys repeat)
    expected, _ = _latest(spark, VERSIONED, versions.latest_versions)
    superseded: list[int] = []
    latest, plan = _latest(spark, VERSIONED, _of_persisted(superseded))
    assert latest == expected
    assert [(k, v) for k, v, note in latest] == [("A", 1), ("B", 3), ("C", 7), (None, 5)]
    assert superseded == [3]  # two older versions of B, one of the null key
    assert ("BroadcastHashJoin" in plan, "Window" in plan) == (limit == 10, True)


def test_keys_that_each_occur_once_are_not_windowed(spark) -> None:
    unique = [row for row in VERSIONED if row[2] != "older"]
    superseded: list[int] = []
    latest, plan = _latest(spark, unique, _of_persisted(superseded))
    assert [(k, v) for k, v, note in latest] == [("A", 1), ("B", 3), ("C", 7), (None, 5)]
    assert superseded == [0]
    assert ("Window" in plan, "Join" in plan) == (False, False)
