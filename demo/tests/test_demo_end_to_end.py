"""The demo end to end at a small scale (python -m demo, as scripts/demo.sh runs it): the report's facts
against what the seeded sample data must give. About a minute and a half: one local Spark, two
pipeline runs, maintenance, the named queries, and three runs of the TypeScript planner."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from demo import REPO
from demo.sample import demo_batches
from lakehouse_jobs.order_rules import NON_REVENUE_STATUSES

SCALE, DAYS = 0.2, 31
# A past day, fixed: the queries look back from the demo's day, not the clock (athena_sql.to_spark_sql).
AS_OF = date(2026, 3, 15)
STEPS = [
    "Offline plan of the dev stack",
    "Fresh local warehouse with the declared tables",
    "Sample data: the history",
    "Pipeline run 1: bronze -> silver -> gold on the history",
    f"Pipeline run 2: the orders of {AS_OF}",
    "Maintenance, table by table",
    "Safe publishing: a bad batch stopped at the gate, a published run rolled back",
    "The stack's Athena SQL, run on the local warehouse",
    "Schema and partition evolution: one more column, a new partition spec",
    "Facts of every table",
]
TABLE = "`ecommerce_lakehouse_dev`.`raw_orders`"
COMMENT = "COMMENT 'promotion code entered at checkout'"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    root = tmp_path_factory.mktemp("demo")
    report = root / "report.json"
    argv = ["--scale", str(SCALE), "--days", str(DAYS), "--as-of", AS_OF.isoformat()]
    argv += ["--dir", str(root / "run"), "--report", str(report)]
    done = subprocess.run(
        [sys.executable, "-m", "demo", *argv], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8")), done.stdout


def test_every_step_ran_in_order_with_its_name(demo: tuple[dict[str, Any], str]) -> None:
    report, stdout = demo
    assert report["status"] == "ok"
    assert [s["name"] for s in report["steps"]] == STEPS
    headers = [
        line
        for line in stdout.splitlines()
        if line.startswith("[") and "/10] " in line and "done" not in line
    ]
    assert headers == [f"[{i}/10] {name}" for i, name in enumerate(STEPS, 1)]
    assert stdout.splitlines()[-1] == f"Report JSON: {Path(report['folder']).parent / 'report.json'}"


def test_the_offline_plan_and_policy_summary(demo: tuple[dict[str, Any], str]) -> None:
    plan = demo[0]["plan"]
    assert (plan["stack"], plan["database"], plan["resources"], plan["components"], plan["diagram"]) == (
        "dev", "ecommerce_lakehouse_dev", 82, 28, "docs/dev-stack.md",
    )  # fmt: skip
    assert (plan["policy"]["mandatoryViolations"], plan["policy"]["failed"]) == (0, 0)


def test_row_counts_are_the_sample_data_in_every_layer(demo: tuple[dict[str, Any], str]) -> None:
    report = demo[0]
    history, day = demo_batches(AS_OF, SCALE, DAYS)
    orders = len(history.records["orders"]) + len(day.records["orders"])
    assert report["sampleData"] == [
        {"landedAt": history.landed_at.isoformat(), **history.counts()},
        {"landedAt": day.landed_at.isoformat(), **day.counts()},
    ]
    rows = {name: t["rows"] for name, t in report["tables"].items()}
    assert {k: rows[k] for k in ("raw_customers", "raw_products", "raw_orders", "curated_orders")} == {
        "raw_customers": len(history.records["customers"]),
        "raw_products": len(history.records["products"]),
        "raw_orders": orders,
        "curated_orders": orders,
    }
    assert rows["quarantine_records"] == 0


def test_the_named_queries_ran_on_spark_with_the_rows_athena_would_return(
    demo: tuple[dict[str, Any], str],
) -> None:
    report = demo[0]
    history, day = demo_batches(AS_OF, SCALE, DAYS)
    orders = history.records["orders"] + day.records["orders"]
    window = AS_OF - timedelta(days=30)
    revenue_days = {
        o["order_date"].date()
        for o in orders
        if o["order_status"] not in NON_REVENUE_STATUSES and o["order_date"].date() >= window
    }
    rows = {name: q["rows"] for name, q in report["namedQueries"].items()}
    # A day has one row per segment that bought that day (new, regular, loyal, vip).
    assert len(revenue_days) <= rows.pop("revenue-by-customer-segment") <= 4 * len(revenue_days)
    assert rows == {
        "daily-revenue": len(revenue_days),
        "snapshot-history-orders": report["tables"]["curated_orders"]["snapshots"],
        "table-files-orders": len({o["order_date"].date() for o in orders}),  # one country, one file a day
        "time-travel-orders-by-snapshot": 100,
        "time-travel-orders-by-timestamp": 100,
        # every check of the latest audited run (demo-late-batch): bronze 14 (raw_orders 10, ingestion_log
        # 4), silver_orders 21, silver_customers 12, gold 15, as the tables declare them
        "quality-results-latest-run": 60,
    }
    assert len(revenue_days) > 25


def test_time_travel_shows_the_table_before_the_last_run(demo: tuple[dict[str, Any], str]) -> None:
    travel = demo[0]["timeTravel"]
    history, day = demo_batches(AS_OF, SCALE, DAYS)
    then, added = len(history.records["orders"]), len(day.records["orders"])
    assert added > 0
    assert {k: v for k, v in travel.items() if k not in ("snapshotBeforeLastRun", "publishedAt")} == {
        "table": "curated_orders",
        "rowsThen": then,
        "rowsNow": then + added,
        "difference": added,
        "byTimestampSameAsBySnapshot": True,
    }


def test_schema_and_partition_evolution_change_the_table_without_rewriting_a_data_file(
    demo: tuple[dict[str, Any], str],
) -> None:
    report = demo[0]
    evolution = report["schemaEvolution"]
    history, day = demo_batches(AS_OF, SCALE, DAYS)
    orders = len(history.records["orders"]) + len(day.records["orders"])
    assert evolution["athenaDdl"] == [
        {
            "summary": "add columns coupon_code",
            "sql": f"ALTER TABLE {TABLE} ADD COLUMNS (`coupon_code` string {COMMENT})",
        },
        {
            "summary": "move column coupon_code after total_amount",
            "sql": f"ALTER TABLE {TABLE} CHANGE COLUMN `coupon_code` `coupon_code` string {COMMENT} AFTER `total_amount`",
        },
    ]
    assert evolution["icebergUpdates"] == [
        {
            "summary": "partition spec 0 -> 1: day(_ingestion_timestamp) -> month(_ingestion_timestamp)",
            "details": [
                "existing files keep spec 0; new writes use spec 1; nothing is rewritten",
                "new field 1001 _ingestion_timestamp_month: month(_ingestion_timestamp)",
                "no longer in the default spec: 1000 _ingestion_timestamp_day (day(_ingestion_timestamp))",
            ],
        }
    ]
    assert evolution["glueActions"] == ["add-spec", "set-default-spec"]
    assert evolution["localSql"] == [
        f"ALTER TABLE glue_catalog.ecommerce_lakehouse_dev.raw_orders ADD COLUMNS (`coupon_code` string {COMMENT} AFTER `total_amount`)"
    ]
    assert evolution["localLayout"] == [
        "UpdatePartitionSpec: removeField(_ingestion_timestamp_day), addField(month(_ingestion_timestamp))"
    ]
    files = report["tables"]["raw_orders"]["dataFiles"]
    snapshots = report["tables"]["raw_orders"]["snapshots"]
    assert {k: evolution[k] for k in ("rows", "rowsWithNull", "rewrittenDataFiles", "addedDataFiles")} == {
        "rows": orders,
        "rowsWithNull": orders,
        "rewrittenDataFiles": 0,
        "addedDataFiles": 0,
    }
    assert (evolution["dataFilesBefore"], evolution["dataFilesAfter"]) == (files, files)
    assert evolution["dataFilesBySpec"] == {"0": files}
    assert (evolution["snapshotsBefore"], evolution["snapshotsAfter"]) == (snapshots, snapshots)
    assert evolution["localTableMatchesDeclaration"] is True
    old = evolution["oldSnapshot"]
    assert (old["rows"], old["hasColumn"]) == (len(history.records["orders"]), False)


def test_a_bad_batch_is_stopped_and_a_published_run_rolled_back(demo: tuple[dict[str, Any], str]) -> None:
    safe = demo[0]["safePublishing"]
    history, day = demo_batches(AS_OF, SCALE, DAYS)
    orders, added = len(history.records["orders"]) + len(day.records["orders"]), len(day.records["orders"])
    before = safe["before"]
    assert (before["raw_orders"], before["curated_orders"], before["job_progress"]) == (orders, orders, 12)
    assert safe["badBatch"] == {
        "lines": 160,
        "failedChecks": [
            "raw_orders.batch_unique:order_id+updated_at: 60 of 100",
            "raw_orders.references:customer_id: 40 of 160",
        ],
        "after": before,
    }
    rollback = safe["rollback"]
    assert rollback["run"] == "demo-late-batch"
    published = {
        t: rollback["published"][t] - before[t] for t in ("raw_orders", "curated_orders", "job_progress")
    }
    assert published == {"raw_orders": added, "curated_orders": added, "job_progress": 6}
    assert rollback["published"]["agg_daily_metrics"] >= before["agg_daily_metrics"]
    assert rollback["after"] == before
