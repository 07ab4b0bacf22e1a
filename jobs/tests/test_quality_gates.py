"""Write-audit-publish on the local Spark: three good batches publish; a bad one (repeated versions, a
volume spike, orders of customers and products that never landed) is stopped at bronze with main
untouched, its writes on the audit branch and the failing checks in quality_results; the same input is
stopped again on the next run; accepted by an operator it is published, and silver's own gate then stops
the orders of unknown customers, its progress unmoved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from lakehouse_jobs.publish import QualityGateFailed

from .builders import customer, order, product, ts
from .conftest import Lake

GOOD_DAYS = [ts("2024-03-01 03:00"), ts("2024-03-02 03:00"), ts("2024-03-03 03:00")]
BAD_DAY = ts("2024-03-04 03:00")
P1 = [("P1", 1, "60.00", "0.00")]
RAW_ORDER_CHECKS = ("raw_orders.batch_unique:order_id+updated_at", "raw_orders.references:customer_id")
BAD_CHECKS = [*RAW_ORDER_CHECKS, "raw_orders.references:items.product_id", "raw_orders.volume"]


def _good_batch(day: int) -> dict[str, list[dict[str, Any]]]:
    """5 new customers with 4 orders each, of product P1 (landed on the first day)."""
    ids = [f"C{day}{n}" for n in range(5)]
    return {
        "customers": [customer(c, f"{c.lower()}@example.com", "Ann Lee", "Chicago", "IL", "2024-01-01 00:00") for c in ids],
        "orders": [order(f"O{day}{n:02}", ids[n % 5], "2024-02-10 10:00", "delivered", P1, "2024-02-10 10:00") for n in range(20)],
        **({"products": [product("P1", "Electronics", "60.00")]} if day == 0 else {}),
    }  # fmt: skip


def _bad_orders() -> list[dict[str, Any]]:
    """80 orders landed twice with the same version, 40 of customers that never landed, 20 of a product
    that never landed: 220 lines, 11 times a good day's 20."""
    valid = [
        order(f"B{n:02}", f"C0{n % 5}", "2024-02-11 10:00", "shipped", P1, "2024-02-11 10:00")
        for n in range(80)
    ]
    unknown_customer = [
        order(f"X{n:02}", f"CX{n:02}", "2024-02-11 11:00", "shipped", P1, "2024-02-11 11:00")
        for n in range(40)
    ]
    unknown_product = [
        order(
            f"Y{n:02}", "C00", "2024-02-11 12:00", "shipped", [("PX", 1, "5.00", "0.00")], "2024-02-11 12:00"
        )
        for n in range(20)
    ]
    return [*valid, *valid, *unknown_customer, *unknown_product]  # fmt: skip


def _failed(lake: Lake, run_id: str, job: str) -> list[tuple]:
    return lake.rows(
        "quality_results",
        ["table_name", "check_name", "observed", "checked", "accepted"],
        f"run_id = '{run_id}' AND job_name = '{job}' AND NOT passed",
    )


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    for day, landed_at in enumerate(GOOD_DAYS):
        for entity, records in _good_batch(day).items():
            lake.land(entity, records, landed_at)
        result[f"reports_{day}"] = lake.run_pipeline(run_id=f"good-{day}")
    result["state_before_bad"] = lake.state()
    bad_file = lake.land("orders", _bad_orders(), BAD_DAY)
    result["bad_file"] = bad_file
    for attempt in ("bad-1", "bad-2"):
        with pytest.raises(QualityGateFailed) as stopped:
            lake.run("bronze_ingest", run_id=attempt)
        result[f"error_{attempt}"] = str(stopped.value)
        result[f"state_after_{attempt}"] = lake.state()
    result["branch_rows"] = lake.spark.table(
        f"{lake.table('raw_orders')}.branch_audit_bronze_ingest_bad_2"
    ).count()
    accepted = ",".join(BAD_CHECKS)
    result["accepted"] = lake.run("bronze_ingest", run_id="bad-3", accept_failed_checks=accepted)
    result["progress_before_silver"] = lake.rows("job_progress", ["*"])
    result["orders_before_silver"] = lake.rows("curated_orders", ["*"])
    for attempt in ("bad-4", "bad-5"):
        with pytest.raises(QualityGateFailed) as stopped:
            lake.run("silver_orders", run_id=attempt, max_bad_record_share=0.5)
        result[f"error_{attempt}"] = str(stopped.value)
    return result


def test_a_good_batch_is_checked_on_its_branch_and_published(run: dict[str, Any]) -> None:
    lake = run["lake"]
    checks = lake.rows(
        "quality_results", ["job_name", "table_name", "check_name", "passed", "observed", "checked"], "run_id = 'good-0'"
    )  # fmt: skip
    landed = [
        ("bronze_ingest", table, f"not_null:{c}", True, 0, rows)
        for table, rows in (("raw_customers", 5), ("raw_orders", 20), ("raw_products", 1))
        for c in ("_ingestion_timestamp", "_ingestion_id", "_source_file", "_source_line")
    ]
    assert [c for c in checks if c[0] == "bronze_ingest"] == sorted(
        [
            *landed,
            ("bronze_ingest", "raw_customers", "batch_unique:_source_file+_source_line", True, 0, 5),
            ("bronze_ingest", "raw_customers", "batch_unique:customer_id+updated_at", True, 0, 5),
            ("bronze_ingest", "raw_products", "batch_unique:_source_file+_source_line", True, 0, 1),
            ("bronze_ingest", "raw_products", "batch_unique:product_id+updated_at", True, 0, 1),
            ("bronze_ingest", "raw_orders", "batch_unique:_source_file+_source_line", True, 0, 20),
            ("bronze_ingest", "raw_orders", "batch_unique:order_id+updated_at", True, 0, 20),
            ("bronze_ingest", "raw_orders", "references:customer_id", True, 0, 20),
            ("bronze_ingest", "raw_orders", "references:items.product_id", True, 0, 20),
            ("bronze_ingest", "raw_orders", "freshness:_ingestion_timestamp", True, 0, 20),
            ("bronze_ingest", "raw_orders", "volume", True, 20, 20),
            ("bronze_ingest", "ingestion_log", "not_null:source_table", True, 0, 3),
            ("bronze_ingest", "ingestion_log", "not_null:file_path", True, 0, 3),
            ("bronze_ingest", "ingestion_log", "not_null:ingestion_id", True, 0, 3),
            ("bronze_ingest", "ingestion_log", "unique:source_table+file_path", True, 0, 3),
        ],
        key=repr,
    )
    assert all(c[3] for c in checks)
    assert {c[0] for c in checks} == {
        "bronze_ingest",
        "silver_orders",
        "silver_customers",
        "gold_daily_metrics",
    }
    reports = run["reports_2"]
    assert reports["silver_orders"].details["published"] == "curated_orders,job_progress"
    assert reports["bronze_ingest"].details["pre_run_tag"] == "pre-run-good-2"
    assert lake.rows("curated_orders", ["count(*)"]) == [(60,)]
    tags = lake.spark.sql(
        f"SELECT name FROM {lake.table('curated_orders')}.refs WHERE type = 'TAG' ORDER BY name"
    )
    assert [t.name for t in tags.collect()] == ["pre-run-good-0", "pre-run-good-1", "pre-run-good-2"]


def test_a_bad_batch_stays_on_its_audit_branch_and_main_is_unchanged(run: dict[str, Any]) -> None:
    assert run["state_after_bad-1"] == run["state_before_bad"]
    assert run["state_after_bad-2"] == run["state_before_bad"]
    assert run["branch_rows"] == 60 + 220  # the stopped run's rows, there for inspection


def test_quality_results_hold_the_failing_checks_and_the_job_names_them(run: dict[str, Any]) -> None:
    lake = run["lake"]
    expected = [
        ("raw_orders", "batch_unique:order_id+updated_at", 80, 140, False),
        ("raw_orders", "references:customer_id", 40, 220, False),
        ("raw_orders", "references:items.product_id", 20, 220, False),
        ("raw_orders", "volume", 220, 220, False),
    ]
    assert _failed(lake, "bad-1", "bronze_ingest") == expected
    error = run["error_bad-1"]
    assert error.startswith("bronze_ingest: 4 quality check(s) failed, nothing was published")
    for check in BAD_CHECKS:
        assert f"{check}: " in error
    assert "expected between 4 and 100 rows (median 20 of the last 3 published runs, x/÷ 5)" in error
    assert "e.g. CX00 (1 rows), CX01 (1 rows), CX02 (1 rows)" in error


def test_the_next_run_retries_the_same_input_and_is_stopped_again(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert _failed(lake, "bad-2", "bronze_ingest") == _failed(lake, "bad-1", "bronze_ingest")
    logged = lake.rows("ingestion_log", ["file_path"], f"file_path = 'file:{run['bad_file']}'")
    assert logged == [(f"file:{run['bad_file']}",)]  # logged only by the run that published it (bad-3)


def test_an_operator_accepts_reviewed_failures_and_the_run_publishes(run: dict[str, Any]) -> None:
    lake, report = run["lake"], run["accepted"]
    assert report.details["accepted_failed_checks"] == ",".join(BAD_CHECKS)
    assert [r[:4] for r in _failed(lake, "bad-3", "bronze_ingest")] == [
        r[:4] for r in _failed(lake, "bad-1", "bronze_ingest")
    ]
    assert {r[4] for r in _failed(lake, "bad-3", "bronze_ingest")} == {True}
    assert lake.rows("raw_orders", ["count(*)"]) == [(280,)]


def test_silver_stops_orders_of_unknown_customers_and_keeps_its_progress(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert _failed(lake, "bad-4", "silver_orders") == [
        ("curated_orders", "references:customer_id", 40, 120, False)
    ]
    assert _failed(lake, "bad-5", "silver_orders") == _failed(lake, "bad-4", "silver_orders")
    assert lake.rows("job_progress", ["*"]) == run["progress_before_silver"]
    assert lake.rows("curated_orders", ["*"]) == run["orders_before_silver"]
    # What silver refused stays visible although the run was stopped: the evidence is never audited.
    assert lake.rows("quarantine_records", ["count(*)"], "job_name = 'silver_orders'") == [(20,)]
    assert isinstance(lake.rows("quality_results", ["max(checked_at)"])[0][0], datetime)
