"""The quality gate's pure parts: thresholds, the volume band, names, and the expectations the stack
declares reaching the jobs whole (no Spark)."""

from __future__ import annotations

import json
from typing import Any

from lakehouse_jobs import bronze, gold, silver_customers, silver_orders
from lakehouse_jobs.audit_branches import audit_branch_name
from lakehouse_jobs.customer_index import TABLE
from lakehouse_jobs.publication import BOOKKEEPING_TABLES, PUBLISHED_TABLES, WRITER_JOBS
from lakehouse_jobs.publish import gate_failure
from lakehouse_jobs.quality_checks import CheckResult, checked_columns, judge
from lakehouse_jobs.quality_signals import volume_check
from lakehouse_jobs.quality_spec import Tolerance, Volume, parse_quality_expectations
from lakehouse_jobs.rollback_target import pre_run_tag

VOLUME = Volume(max_ratio=5, trailing_runs=4, min_runs=3)


def test_a_strict_check_fails_on_one_and_a_tolerant_one_only_above_its_share_of_enough_rows() -> None:
    assert judge(0, 10, Tolerance(), "rows") == (True, "0 rows")
    assert judge(1, 10, Tolerance(), "rows") == (False, "0 rows")
    share = Tolerance(max_share=0.05, min_rows=100)
    assert judge(5, 100, share, "values") == (True, "<= 5% of values (judged from 100 values)")
    assert judge(6, 100, share, "values") == (False, "<= 5% of values (judged from 100 values)")
    assert judge(50, 99, share, "values") == (
        True,
        "<= 5% of values (judged from 100 values): not judged, 99 values",
    )


def test_volume_is_judged_against_the_median_of_the_published_runs_once_there_are_enough() -> None:
    assert volume_check("raw_orders", 150, [20, 18], VOLUME) == CheckResult(
        "raw_orders", "volume", 150, "rows", 150, "not judged: 2 of 3 published runs that added rows", True
    )
    history = [20, 18, 24, 400, 1]  # newest first; only the last 4 count
    inside = volume_check("raw_orders", 105, history, VOLUME)
    assert (inside.passed, inside.threshold, inside.detail) == (
        True,
        "between 4.4 and 110 rows (median 22 of the last 4 published runs, x/÷ 5)",
        "last runs added 20, 18, 24, 400",
    )
    assert not volume_check("raw_orders", 111, history, VOLUME).passed
    assert not volume_check("raw_orders", 4, history, VOLUME).passed


def test_the_gate_names_every_failed_check_and_the_way_past_it() -> None:
    failed = [
        CheckResult("raw_orders", "volume", 150, "rows", 150, "between 4 and 100 rows", False, "last runs added 20"),
        CheckResult("raw_orders", "references:customer_id", 30, "values", 150, "0 values missing", False, "CX (30 rows)"),
    ]  # fmt: skip
    assert gate_failure("bronze_ingest", "exec-9", "audit_bronze_ingest_exec_9", failed) == (
        "bronze_ingest: 2 quality check(s) failed, nothing was published (main is unchanged; the run's "
        "writes stay on branch audit_bronze_ingest_exec_9, and the next run reads the same input): "
        "raw_orders.volume: 150 rows of 150, expected between 4 and 100 rows; e.g. last runs added 20; "
        "raw_orders.references:customer_id: 30 values of 150, expected 0 values missing; e.g. CX (30 rows). "
        "See quality_results where run_id = 'exec-9'. After review, a run with --accept-failed-checks "
        "raw_orders.volume,raw_orders.references:customer_id publishes despite them."
    )


def test_branch_and_tag_names_come_from_the_run_id() -> None:
    run = "5e1c9a70-Aa.1"
    assert audit_branch_name("silver_orders", run) == "audit_silver_orders_5e1c9a70_aa_1"
    assert pre_run_tag(run) == "pre-run-5e1c9a70-Aa.1"


def test_what_each_job_publishes_is_what_its_module_writes() -> None:
    assert PUBLISHED_TABLES["bronze_ingest"] == (*bronze.LANDING_TABLES.values(), "ingestion_log")
    for job in (silver_orders, gold):
        assert PUBLISHED_TABLES[job.JOB] == (job.TARGET, "job_progress")
    assert PUBLISHED_TABLES[silver_customers.JOB] == (silver_customers.TARGET, TABLE, "job_progress")
    assert WRITER_JOBS == {
        "raw_customers": "bronze_ingest",
        "raw_products": "bronze_ingest",
        "raw_orders": "bronze_ingest",
        "curated_orders": "silver_orders",
        "curated_customers": "silver_customers",
        "customer_counted_orders": "silver_customers",
        "agg_daily_metrics": "gold_daily_metrics",
    }
    assert BOOKKEEPING_TABLES == ("ingestion_log", "job_progress")


def test_the_stack_passes_every_publishing_job_the_expectations_of_exactly_what_it_publishes(
    specs: dict[str, Any],
) -> None:
    """build/table-specs.json carries what the stack gives Glue; each job parses it."""
    declared = {t["name"]: t.get("quality", {}) for t in specs["tables"]}
    for job, tables in PUBLISHED_TABLES.items():
        argument = specs["jobs"][job]["parameters"]["--quality-expectations"]
        assert list(json.loads(argument)) == list(tables)
        parsed = parse_quality_expectations(argument, tables)
        for table in tables:
            assert len(parsed[table].not_null) == len(declared[table].get("notNull", []))
    raw_orders = parse_quality_expectations(
        specs["jobs"]["bronze_ingest"]["parameters"]["--quality-expectations"],
        PUBLISHED_TABLES["bronze_ingest"],
    )["raw_orders"]
    assert [(r.column, r.table, r.tolerance) for r in raw_orders.references] == [
        ("customer_id", "raw_customers", Tolerance(0.05, 100)),
        ("items.product_id", "raw_products", Tolerance(0.05, 100)),
    ]
    assert (raw_orders.freshness.max_age_hours, raw_orders.volume) == (72, Volume(5.0, 14, 3))


def test_the_checks_hold_only_the_columns_they_read(specs: dict[str, Any]) -> None:
    argument = specs["jobs"]["bronze_ingest"]["parameters"]["--quality-expectations"]
    raw_orders = parse_quality_expectations(argument, PUBLISHED_TABLES["bronze_ingest"])["raw_orders"]
    assert checked_columns(raw_orders) == [
        "_ingestion_timestamp",
        "_ingestion_id",
        "_source_file",
        "_source_line",
        "order_id",
        "updated_at",
        "customer_id",
        "items",
    ]
