"""bronze -> silver -> gold over two landing days, then a rerun: exact rows and amounts at each step."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from lakehouse_jobs import recompute
from lakehouse_jobs.local import PIPELINE
from lakehouse_jobs.snapshots import current_snapshot_id

from . import scenario as s
from .conftest import Lake

SHARE = {"max_bad_record_share": 0.5}  # day 1 refuses 2 of 4 customers and 3 of 7 orders on purpose


def _run_pipeline(lake: Lake) -> dict[str, Any]:
    return {job: lake.run(job, **(SHARE if job.startswith("silver") else {})) for job in PIPELINE}


def _current_snapshots(lake: Lake) -> dict[str, int | None]:
    """Each table's current (main) snapshot; not quality_results, the log of every run's checks."""
    tables = [t["name"] for t in lake.specs["tables"] if t["name"] != "quality_results"]
    return {t: current_snapshot_id(lake.spark, lake.table(t)) for t in tables}


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake = module_lake
    result: dict[str, Any] = {"lake": lake}
    lake.land("customers", s.CUSTOMERS_1, s.DAY1)
    lake.land("products", s.PRODUCTS_1, s.DAY1)
    lake.land("orders", s.ORDERS_1, s.DAY1)
    result["reports_1"] = _run_pipeline(lake)
    result["orders_1"] = lake.rows("curated_orders", s.ORDER_COLUMNS)
    result["customers_1"] = lake.rows("curated_customers", s.CUSTOMER_COLUMNS)
    result["metrics_1"] = lake.rows("agg_daily_metrics", [*s.METRIC_COLUMNS, "_computed_at"])
    result["snapshots_1"] = _current_snapshots(lake)
    lake.land("customers", s.CUSTOMERS_2, s.DAY2)
    lake.land("orders", s.ORDERS_2, s.DAY2)
    result["reports_2"] = _run_pipeline(lake)
    result["metrics_2"] = lake.rows("agg_daily_metrics", [*s.METRIC_COLUMNS, "_computed_at"])
    result["snapshots_2"] = _current_snapshots(lake)
    result["tables_2"] = {t: lake.rows(t, ["*"]) for t in result["snapshots_2"]}
    result["reports_rerun"] = _run_pipeline(lake)
    return result


def test_bronze_appends_each_batch_once_with_its_landing_time(run: dict[str, Any]) -> None:
    lake = run["lake"]
    ingested = lake.rows(
        "raw_orders", ["order_id", "order_status", "_ingestion_timestamp"], "order_id = 'O4'"
    )
    assert ingested == [
        ("O4", "delivered", datetime(2024, 3, 2, 3, 0)),
        ("O4", "pending", datetime(2024, 3, 1, 3, 0)),
    ]
    assert lake.rows("raw_products", ["product_id", "price", "category"], "product_id = 'P3'") == [
        ("P3", Decimal("8.55"), "Toys")
    ]
    assert [r.rows_out for r in (run["reports_1"]["bronze_ingest"], run["reports_2"]["bronze_ingest"])] == [
        15,
        4,
    ]
    assert run["reports_rerun"]["bronze_ingest"].rows_out == 0
    assert len(lake.rows("raw_orders", ["order_id"])) == 10


def test_silver_orders_computes_exact_decimal_amounts(run: dict[str, Any]) -> None:
    assert run["orders_1"] == s.CURATED_ORDERS_1


def test_silver_orders_upsert_replaces_an_order_never_duplicates_it(run: dict[str, Any]) -> None:
    assert run["lake"].rows("curated_orders", s.ORDER_COLUMNS) == s.CURATED_ORDERS_2


def test_silver_orders_reads_only_rows_appended_since_its_last_run(run: dict[str, Any]) -> None:
    first, second = run["reports_1"]["silver_orders"], run["reports_2"]["silver_orders"]
    assert (first.rows_in, first.quarantined, first.rows_out) == (7, 3, 4)
    assert (second.rows_in, second.quarantined, second.rows_out) == (3, 0, 3)


def test_bad_records_are_quarantined_with_their_reason(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert (
        lake.rows("quarantine_records", ["source_table", "record_key", "reason", "job_name"]) == s.QUARANTINE
    )
    payload = json.loads(lake.rows("quarantine_records", ["payload"], "record_key = 'C3'")[0][0])
    assert (payload["email"], payload["_ingestion_timestamp"]) == (
        "carl at example.com",
        "2024-03-01T03:00:00.000Z",
    )


def test_silver_customers_keeps_scd2_history_of_a_changed_customer(run: dict[str, Any]) -> None:
    assert run["customers_1"] == s.CURATED_CUSTOMERS_1
    assert run["lake"].rows("curated_customers", s.CUSTOMER_COLUMNS) == s.CURATED_CUSTOMERS_2
    changes = run["reports_2"]["silver_customers"].details
    assert (changes["insert"], changes["new_version"], changes["update"]) == (0, 1, 1)


def test_gold_metrics_are_exact_per_day_segment_and_category(run: dict[str, Any]) -> None:
    assert [m[:6] for m in run["metrics_1"]] == s.METRICS_1
    assert [m[:6] for m in run["metrics_2"]] == s.METRICS_2


def test_gold_recomputes_only_the_affected_dates(run: dict[str, Any]) -> None:
    computed_1 = {m[:6]: m[6] for m in run["metrics_1"]}
    computed_2 = {m[:6]: m[6] for m in run["metrics_2"]}
    kept = {m for m in computed_2 if computed_2[m] == computed_1.get(m)}
    assert sorted(kept, key=repr) == sorted(s.METRICS_FEB_10, key=repr)
    assert run["reports_2"]["gold_daily_metrics"].details["affected_dates"] == "2024-02-11..2024-02-21 (2)"


def test_gold_and_customer_metrics_equal_a_full_recomputation(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert recompute.gold_differences(lake.spark, lake.lakehouse) == ([], [])
    assert recompute.customer_differences(lake.spark, lake.lakehouse) == ([], [])


def test_every_job_records_its_progress_as_data(run: dict[str, Any]) -> None:
    lake = run["lake"]
    progress = lake.rows(
        "job_progress", ["job_name", "run_seq", "source_table", "through_seq", "target_table"]
    )
    assert progress == sorted(
        [
            ("silver_orders", 1, "raw_orders", 1, "curated_orders"),
            ("silver_orders", 2, "raw_orders", 2, "curated_orders"),
            ("silver_customers", 1, "raw_customers", 1, "curated_customers"),
            ("silver_customers", 1, "curated_orders", 1, "curated_customers"),
            ("silver_customers", 2, "raw_customers", 2, "curated_customers"),
            ("silver_customers", 2, "curated_orders", 2, "curated_customers"),
            ("gold_daily_metrics", 1, "curated_orders", 1, "agg_daily_metrics"),
            ("gold_daily_metrics", 1, "curated_customers", 1, "agg_daily_metrics"),
            ("gold_daily_metrics", 1, "raw_products", 1, "agg_daily_metrics"),
            ("gold_daily_metrics", 2, "curated_orders", 2, "agg_daily_metrics"),
            ("gold_daily_metrics", 2, "curated_customers", 2, "agg_daily_metrics"),
            ("gold_daily_metrics", 2, "raw_products", 1, "agg_daily_metrics"),
        ],
        key=repr,
    )
    written = lake.rows("job_progress", ["target_snapshot_id"], "job_name = 'silver_orders' AND run_seq = 2")
    assert written == [(lake.snapshots("curated_orders")[-1].snapshot_id,)]
    assert lake.rows("ingestion_log", ["source_table", "ingestion_id", "records", "rows_ingested"]) == [
        ("raw_customers", 1, 4, 4),
        ("raw_customers", 2, 1, 1),
        ("raw_orders", 1, 7, 7),
        ("raw_orders", 2, 3, 3),
        ("raw_products", 1, 4, 4),
    ]
    summary = lake.snapshots("raw_orders")[-1].summary
    assert (summary["lakehouse.job"], summary["lakehouse.ingestion-id"]) == ("bronze_ingest", "2")


def test_rerunning_every_job_on_the_same_input_changes_nothing(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert _current_snapshots(lake) == run["snapshots_2"]
    assert {t: lake.rows(t, ["*"]) for t in run["snapshots_2"]} == run["tables_2"]
    assert {job: report.rows_out for job, report in run["reports_rerun"].items()} == dict.fromkeys(
        PIPELINE, 0
    )


def test_time_travel_reads_the_earlier_rows_by_snapshot_and_by_timestamp(run: dict[str, Any]) -> None:
    lake = run["lake"]
    first = run["snapshots_1"]["curated_orders"]
    assert lake.rows("curated_orders", s.ORDER_COLUMNS, version=first) == s.CURATED_ORDERS_1
    # By timestamp, time travel follows main's history: when the snapshot was published to main (with
    # write-audit-publish it was committed on the audit branch before that, when main did not have it).
    published = lake.spark.sql(
        f"SELECT made_current_at FROM {lake.table('curated_orders')}.history WHERE snapshot_id = {first}"
    ).first()[0]
    rows = lake.spark.sql(
        f"SELECT order_id, order_status FROM {lake.table('curated_orders')} TIMESTAMP AS OF '{published}'"
    ).collect()
    assert sorted(tuple(r) for r in rows) == [
        ("O1", "delivered"),
        ("O2", "shipped"),
        ("O3", "cancelled"),
        ("O4", "pending"),
    ]


def test_written_tables_match_the_declared_specs(run: dict[str, Any]) -> None:
    lake = run["lake"]
    for table in lake.specs["tables"]:
        declared = [(c["name"], c["type"].replace(" ", "")) for c in table["sparkColumns"]]
        written = [
            (f.name, f.dataType.simpleString()) for f in lake.spark.table(lake.table(table["name"])).schema
        ]
        assert (table["name"], written) == (table["name"], declared)
