"""Rollback on the local Spark (maintenance --mode rollback, as the rollback command starts it): a
published run is rolled back to its pre-run tags, every table and its bookkeeping exactly as before; the
next run reprocesses that input exactly once; without the bad batch, the lake ends exactly as if it had
never landed. One table rolled back alone rewinds the bookkeeping with it. A target that does not exist
is refused, naming what exists, and nothing changes."""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

import pytest

from lakehouse_jobs import recompute
from lakehouse_jobs.rollback import RollbackRefused
from lakehouse_jobs.sample_data import landing_batch_name

from . import scenario as s
from .builders import customer, order, ts
from .conftest import Lake

SHARES = {"silver_orders": 0.5, "silver_customers": 0.5}  # day 1 refuses records on purpose
BAD = ts("2024-03-01 15:00")
# Valid, so the gates pass it, and wrong: Bo "moved", O1 "cancelled", an order of 50 items.
BAD_BATCH = {
    "customers": [customer("C2", "bo@example.com", "Bo Chen", "Reno", "NV", "2024-01-15 00:00", "2024-02-25 00:00")],
    "orders": [
        order("O1", "C1", "2024-02-10 10:00", "cancelled", [("P2", 1, "15.50", "0.00")], "2024-02-25 00:00"),
        order("O30", "C2", "2024-02-25 09:00", "delivered", [("P1", 50, "60.00", "0.00")]),
    ],
}  # fmt: skip
# Columns a rerun writes again with its own time or snapshot ids: everything else must be equal.
RUN_DEPENDENT = {"_processing_timestamp", "_computed_at", "_recorded_at", "_ingested_at"}
RUN_DEPENDENT |= {"source_snapshot_id", "target_snapshot_id"}
PROGRESS_AFTER_TWO_DAYS = sorted(
    [
        ("silver_orders", 1, "raw_orders", 1), ("silver_orders", 2, "raw_orders", 2),
        ("silver_customers", 1, "raw_customers", 1), ("silver_customers", 1, "curated_orders", 1),
        ("silver_customers", 2, "raw_customers", 2), ("silver_customers", 2, "curated_orders", 2),
        ("gold_daily_metrics", 1, "curated_orders", 1), ("gold_daily_metrics", 1, "curated_customers", 1),
        ("gold_daily_metrics", 1, "raw_products", 1), ("gold_daily_metrics", 2, "curated_orders", 2),
        ("gold_daily_metrics", 2, "curated_customers", 2), ("gold_daily_metrics", 2, "raw_products", 1),
    ],
    key=repr,
)  # fmt: skip


def _rows(lake: Lake) -> dict[str, list[tuple]]:
    """Every table's rows without the columns a run stamps with its own time or snapshot."""
    result = {}
    for table in lake.specs["tables"]:
        if table["name"] == "quality_results":
            continue
        columns = [f"`{c['name']}`" for c in table["columns"] if c["name"] not in RUN_DEPENDENT]
        result[table["name"]] = lake.rows(table["name"], columns)
    return result


def _rollback(lake: Lake, **target: object) -> Any:
    return lake.run("maintenance", mode="rollback", **target)


def _two_days_exactly(lake: Lake) -> dict[str, Any]:
    return {
        "orders": lake.rows("curated_orders", s.ORDER_COLUMNS) == s.CURATED_ORDERS_2,
        "customers": lake.rows("curated_customers", s.CUSTOMER_COLUMNS) == s.CURATED_CUSTOMERS_2,
        "metrics": lake.rows("agg_daily_metrics", s.METRIC_COLUMNS) == s.METRICS_2,
        "raw_orders": lake.rows("raw_orders", ["count(*)"]) == [(10,)],
        "progress": lake.rows("job_progress", ["job_name", "run_seq", "source_table", "through_seq"])
        == PROGRESS_AFTER_TWO_DAYS,
        "recomputed": (
            recompute.gold_differences(lake.spark, lake.lakehouse),
            recompute.customer_differences(lake.spark, lake.lakehouse),
        )
        == (([], []), ([], [])),
    }


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    lake.land("customers", s.CUSTOMERS_1, s.DAY1)
    lake.land("products", s.PRODUCTS_1, s.DAY1)
    lake.land("orders", s.ORDERS_1, s.DAY1)
    lake.run_pipeline("day-1", **SHARES)
    result["state_1"], result["rows_1"] = lake.state(), _rows(lake)
    for entity, records in BAD_BATCH.items():
        lake.land(entity, records, BAD)
    lake.run_pipeline("bad", **SHARES)
    result["rows_bad"] = _rows(lake)
    result["rollback_bad"] = _rollback(lake, rollback_run="bad")
    result["state_after_rollback"] = lake.state()
    lake.run_pipeline("again", **SHARES)  # the same landing files: reprocessed exactly once
    result["rows_again"] = _rows(lake)
    _rollback(lake, rollback_run="again")
    for entity in BAD_BATCH:  # what an operator does with a batch the source must send again
        shutil.move(lake.landing / entity / landing_batch_name(BAD), lake.warehouse / f"rejected-{entity}")
    lake.land("customers", s.CUSTOMERS_2, s.DAY2)
    lake.land("orders", s.ORDERS_2, s.DAY2)
    lake.run_pipeline("day-2", **SHARES)
    result["two_days"] = _two_days_exactly(lake)
    result["rows_2"] = _rows(lake)
    return result


def test_rolling_back_a_run_restores_every_table_to_the_rows_of_its_tag(run: dict[str, Any]) -> None:
    assert run["state_after_rollback"] == run["state_1"]
    details = run["rollback_bad"].details
    assert details["rollback"] == "every table run bad published, to its tag pre-run-bad"
    restored = {k: v.split(", rows ")[1] for k, v in details.items() if ", rows " in v}
    assert restored == {
        "ingestion_log": "5 -> 3",
        "job_progress": "12 -> 6",
        "raw_customers": "5 -> 4",
        "raw_orders": "9 -> 7",
        "curated_orders": "5 -> 4",
        "curated_customers": "4 -> 2",
        "customer_counted_orders": "1 -> 2",
        "agg_daily_metrics": "9 -> 8",
    }
    assert list(restored)[:2] == ["ingestion_log", "job_progress"]  # bookkeeping first


def test_the_next_run_reprocesses_the_rolled_back_input_exactly_once(run: dict[str, Any]) -> None:
    assert run["rows_again"] == run["rows_bad"]
    assert run["rows_bad"]["raw_orders"] != run["rows_1"]["raw_orders"]


def test_without_the_bad_batch_the_lake_ends_as_if_it_had_never_landed(run: dict[str, Any]) -> None:
    assert run["two_days"] == dict.fromkeys(
        ("orders", "customers", "metrics", "raw_orders", "progress", "recomputed"), True
    )
    lake = run["lake"]
    assert lake.rows("ingestion_log", ["DISTINCT ingestion_id"]) == [(1,), (2,)]
    assert (
        lake.rows("quarantine_records", ["source_table", "record_key", "reason", "job_name"]) == s.QUARANTINE
    )


def test_one_table_rolled_back_alone_rewinds_its_bookkeeping_and_is_redone(run: dict[str, Any]) -> None:
    lake = run["lake"]
    report = _rollback(lake, rollback_table="curated_orders", to_tag="pre-run-day-2")
    assert lake.rows("curated_orders", s.ORDER_COLUMNS) == s.CURATED_ORDERS_1
    assert report.details["rewound"] == (
        "gold_daily_metrics reads curated_orders after 1 (run 3); "
        "silver_customers reads curated_orders after 1 (run 3); silver_orders reads raw_orders after 1 (run 3)"
    )
    readers = lake.rows(
        "job_progress", ["job_name", "run_seq", "source_table", "through_seq"], "run_seq = 3 AND target_snapshot_id IS NULL"
    )  # fmt: skip
    assert readers == [
        ("gold_daily_metrics", 3, "curated_orders", 1),
        ("silver_customers", 3, "curated_orders", 1),
        ("silver_orders", 3, "raw_orders", 1),
    ]
    lake.run_pipeline("redo-orders", **SHARES)
    again = _two_days_exactly(lake)
    assert {k: again[k] for k in ("orders", "customers", "metrics", "recomputed")} == dict.fromkeys(
        ("orders", "customers", "metrics", "recomputed"), True
    )


def test_a_raw_table_rolled_back_by_time_is_read_again_from_its_files_once(run: dict[str, Any]) -> None:
    lake = run["lake"]
    before_day_2 = lake.spark.sql(
        f"SELECT made_current_at FROM {lake.table('raw_orders')}.history ORDER BY made_current_at"
    ).collect()[-2].made_current_at + timedelta(milliseconds=1)
    _rollback(lake, rollback_table="raw_orders", to_timestamp=f"{before_day_2:%Y-%m-%dT%H:%M:%S.%fZ}")
    assert lake.rows("raw_orders", ["count(*)"]) == [(7,)]
    assert lake.rows("ingestion_log", ["count(*)"], "source_table = 'raw_orders'") == [(1,)]
    lake.run_pipeline("redo-raw", **SHARES)
    assert lake.rows("raw_orders", ["count(*)"]) == [(10,)]
    assert lake.rows("raw_orders", ["count(DISTINCT _source_file, _source_line)"]) == [(10,)]
    assert lake.rows("curated_orders", s.ORDER_COLUMNS) == s.CURATED_ORDERS_2
    assert lake.rows("agg_daily_metrics", s.METRIC_COLUMNS) == s.METRICS_2


def test_the_customers_or_their_counted_orders_rolled_back_alone_are_redone(run: dict[str, Any]) -> None:
    lake = run["lake"]
    for table in ("customer_counted_orders", "curated_customers"):
        _rollback(lake, rollback_table=table, to_tag="pre-run-day-2")
        lake.run_pipeline(f"redo-{table}", **SHARES)
        again = _two_days_exactly(lake)
        assert (table, again["customers"], again["metrics"], again["recomputed"]) == (table, True, True, True)
        assert recompute.counted_order_differences(lake.spark, lake.lakehouse) == ([], [])


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"rollback_run": "nope"}, "[--rollback-run] no table of {db} carries tag pre-run-nope: run nope published nothing, or its tags expired (rollback.runTagRetentionDays). Pre-run tags there (latest 5): "),
        ({"rollback_table": "curated_orders", "to_tag": "pre-run-nope"}, "[--to-tag] glue_catalog.{db}.curated_orders has no tag pre-run-nope; its tags: "),
        ({"rollback_table": "curated_orders", "to_snapshot": "42"}, "[--to-snapshot] 42 is not a snapshot of glue_catalog.{db}.curated_orders (never was, or expired); its latest snapshots: "),
        ({"rollback_table": "curated_orders", "to_timestamp": "2000-01-01T00:00:00Z"}, "[--to-timestamp] glue_catalog.{db}.curated_orders had no snapshot at 2000-01-01T00:00:00Z: it has one since "),
        ({"rollback_table": "curated_ordres", "to_tag": "t"}, "[--rollback-table] {db} has no table curated_ordres; tables: agg_daily_metrics, curated_customers, curated_orders, "),
        ({"rollback_table": "job_progress", "to_tag": "pre-run-day-2"}, "[--rollback-table] job_progress is bookkeeping, rolled back with the tables it describes (--rollback-run, or roll back the data table: its bookkeeping is rewound to match). Nothing was changed"),
        ({"rollback_table": "quality_results", "to_tag": "t"}, "[--rollback-table] quality_results is evidence of what the jobs refused and checked, never rolled back. Nothing was changed"),
    ],
)  # fmt: skip
def test_a_target_that_does_not_exist_is_refused_and_nothing_changes(
    run: dict[str, Any], target: dict[str, str], message: str
) -> None:
    lake = run["lake"]
    before = lake.state()
    with pytest.raises(RollbackRefused) as refused:
        _rollback(lake, **target)
    assert str(refused.value).startswith(message.format(db=lake.database))
    assert lake.state() == before
