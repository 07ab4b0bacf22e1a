"""Progress survives any maintenance the stack allows: with the smallest settings (1 snapshot kept,
1 day of retention, orphan files older than 3 days) every snapshot a job ever committed is gone, and
the next runs still read only what is new: no row lost, none duplicated. A full reprocess (progress
and ingestion log deleted) duplicates nothing either."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lakehouse_jobs import maintenance
from lakehouse_jobs.arguments import parse_job_arguments
from lakehouse_jobs.local import job_arguments
from lakehouse_jobs.report import JobReport

from . import scenario as s
from .conftest import Lake

SHARES = {"silver_orders": 0.5, "silver_customers": 0.5}  # the scenario refuses records on purpose
SMALLEST = {  # config/stack-config.ts's lower bounds
    "snapshot_retention_days": 1,
    "snapshots_to_keep": 1,
    "orphan_file_min_age_days": 3,
    "target_file_size_mb": 16,
}


def _maintain_everything(lake: Lake) -> None:
    args = parse_job_arguments(
        "maintenance", job_arguments("maintenance", lake.database, "w", lake.specs, **SMALLEST)
    )
    # Two days from now: every snapshot is past the 1-day retention.
    later = datetime.now(UTC) + timedelta(days=2)
    maintenance.run(lake.spark, args, JobReport("maintenance"), clock=lambda: later)


def _results(lake: Lake) -> dict[str, list[tuple]]:
    return {
        "raw_orders": lake.rows("raw_orders", ["order_id", "order_status", "_ingestion_id"]),
        "curated_orders": lake.rows("curated_orders", s.ORDER_COLUMNS),
        "curated_customers": lake.rows("curated_customers", s.CUSTOMER_COLUMNS),
        "metrics": lake.rows("agg_daily_metrics", s.METRIC_COLUMNS),
        "quarantine": lake.rows("quarantine_records", ["source_table", "record_key", "reason", "job_name"]),
    }


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    lake.land("customers", s.CUSTOMERS_1, s.DAY1)
    lake.land("products", s.PRODUCTS_1, s.DAY1)
    lake.land("orders", s.ORDERS_1, s.DAY1)
    lake.run_pipeline(**SHARES)
    _maintain_everything(lake)
    result["snapshots_after_maintenance"] = {
        t["name"]: len(lake.snapshots(t["name"])) for t in lake.specs["tables"]
    }
    lake.land("customers", s.CUSTOMERS_2, s.DAY2)
    lake.land("orders", s.ORDERS_2, s.DAY2)
    result["reports_2"] = lake.run_pipeline(**SHARES)
    result["results_2"] = _results(lake)
    _maintain_everything(lake)
    result["state_maintained"] = lake.state()
    result["reports_rerun"] = lake.run_pipeline(**SHARES)
    result["state_rerun"] = lake.state()
    for table in ("job_progress", "ingestion_log"):
        lake.spark.sql(f"DELETE FROM {lake.table(table)}")
    result["reports_full"] = lake.run_pipeline(**SHARES)
    result["results_full"] = _results(lake)
    return result


def test_maintenance_with_the_smallest_settings_leaves_one_snapshot_per_table_and_the_pre_run_tags(
    run: dict[str, Any],
) -> None:
    # Every table a run published also keeps the snapshot its pre-run tag holds (here the empty one the
    # first run started from), for rollback.runTagRetentionDays: expiry never removes a tagged snapshot.
    assert run["snapshots_after_maintenance"] == {
        "raw_customers": 2, "raw_products": 2, "raw_orders": 2, "curated_customers": 2, "curated_orders": 2,
        "customer_counted_orders": 2, "agg_daily_metrics": 2, "quarantine_records": 1, "ingestion_log": 2,
        "job_progress": 2, "quality_results": 1,
    }  # fmt: skip


def test_after_maintenance_each_job_reads_only_what_is_new_and_gets_the_exact_rows(
    run: dict[str, Any],
) -> None:
    reports = run["reports_2"]
    assert reports["bronze_ingest"].details["raw_orders.new_files"] == 1
    assert (reports["silver_orders"].rows_in, reports["silver_orders"].details["raw_orders"]) == (
        3,
        "after 1 through 2",
    )
    assert reports["silver_customers"].details["raw_customers"] == "after 1 through 2"
    assert reports["gold_daily_metrics"].details["affected_dates"] == "2024-02-11..2024-02-21 (2)"
    results = run["results_2"]
    assert len(results["raw_orders"]) == 10
    assert (results["curated_orders"], results["curated_customers"]) == (
        s.CURATED_ORDERS_2,
        s.CURATED_CUSTOMERS_2,
    )
    assert (results["metrics"], results["quarantine"]) == (s.METRICS_2, s.QUARANTINE)


def test_a_rerun_after_maintenance_reads_nothing_and_changes_nothing(run: dict[str, Any]) -> None:
    assert run["state_rerun"] == run["state_maintained"]
    assert {job: r.rows_in for job, r in run["reports_rerun"].items()} == dict.fromkeys(
        run["reports_rerun"], 0
    )


def test_a_full_reprocess_reads_everything_again_and_duplicates_nothing(run: dict[str, Any]) -> None:
    reports = run["reports_full"]
    assert reports["bronze_ingest"].details["raw_orders.new_files"] == 0  # the log is rebuilt from raw rows
    assert (reports["silver_orders"].rows_in, reports["silver_customers"].rows_in) == (10, 5)
    assert reports["gold_daily_metrics"].details["affected_dates"] == "2024-02-10..2024-02-21 (3)"
    assert run["results_full"] == run["results_2"]
    lake = run["lake"]
    assert len(lake.rows("ingestion_log", ["file_path"])) == 5
