"""silver_orders' first load into an empty curated_orders is an append (silver_orders.append_to_empty):
the same rows, quarantine and progress as the MERGE it replaces, committed through the audit branch as
run 1, without reading the target. Once the table holds data, a batch is MERGEd again.

Two databases read one landing folder: in one the job runs as it is, in the other its MERGE is forced
on the empty table (what every first load did before) and its orders take their customer fields through
a shuffle join, as above MAX_BROADCAST_CUSTOMERS, instead of the broadcast; the two must agree row for
row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from lakehouse_jobs import silver_orders
from lakehouse_jobs.snapshots import holds_no_data

from . import scenario as s
from .builders import order
from .conftest import Lake

SHARE = {"max_bad_record_share": 0.5}  # three of the eight orders are refused on purpose
# O4 twice in one batch: the later line (delivered) is the version the first load writes.
O4_LATER = order("O4", "C2", "2024-02-11 12:00", "delivered", [("P1", 1, "60.00", "0.05")])
FIRST = [*s.ORDERS_1, O4_LATER]
# Every curated column but the time the job ran.
CURATED = [*s.ORDER_COLUMNS, "_source_version", "_order_dates", "_change_seq", "_order_customers"]
QUARANTINED = [
    "source_table",
    "record_key",
    "reason",
    "payload",
    "source_file",
    "source_line",
    "ingestion_id",
]


def _first_load(lake: Lake, force_merge: bool) -> dict[str, Any]:
    lake.run("bronze_ingest")
    with pytest.MonkeyPatch.context() as patch:
        if force_merge:
            patch.setattr(silver_orders, "holds_no_data", lambda *_: False)
            patch.setattr(silver_orders, "MAX_BROADCAST_CUSTOMERS", 0)
        report = lake.run("silver_orders", **SHARE)
    return {
        "report": report,
        "curated": lake.rows("curated_orders", CURATED),
        "quarantine": lake.rows("quarantine_records", QUARANTINED, "job_name = 'silver_orders'"),
        "progress": lake.rows("job_progress", ["run_seq", "source_table", "through_seq"]),
        "commit": lake.snapshots("curated_orders")[-1].summary,
    }


@pytest.fixture(scope="module")
def run(
    spark: SparkSession, specs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    warehouse = Path(spark.conf.get("spark.sql.catalog.glue_catalog.warehouse"))
    landing = tmp_path_factory.mktemp("landing")
    appended, merged = Lake(spark, specs, warehouse, landing), Lake(spark, specs, warehouse, landing)
    appended.land("customers", s.CUSTOMERS_1, s.DAY1)
    appended.land("products", s.PRODUCTS_1, s.DAY1)
    appended.land("orders", FIRST, s.DAY1)
    merged.latest_landing = appended.latest_landing
    result = {"append": _first_load(appended, False), "merge": _first_load(merged, True), "lake": appended}
    appended.land("orders", s.ORDERS_2, s.DAY2)
    appended.run("bronze_ingest")
    result["second"] = appended.run("silver_orders", **SHARE)
    result["after_second"] = appended.rows("curated_orders", s.ORDER_COLUMNS)
    return result


def test_an_empty_target_is_appended_to_with_the_rows_a_merge_would_write(run: dict[str, Any]) -> None:
    appended, merged = run["append"], run["merge"]
    assert appended["report"].details["write"] == "append (the target held no data)"
    assert merged["report"].details["write"] == "merge"
    assert appended["curated"] == merged["curated"]
    assert [r[: len(s.ORDER_COLUMNS)] for r in appended["curated"]] == [s.O1, s.O2, s.O3, s.O4_DELIVERED]
    assert appended["quarantine"] == merged["quarantine"]
    assert [r[1] for r in appended["quarantine"]] == ["O5", "O6", None]
    assert appended["progress"] == merged["progress"] == [(1, "raw_orders", 1)]


def test_up_to_the_limit_the_customers_are_broadcast(spark: SparkSession) -> None:
    customers = spark.createDataFrame(
        [("C1", "Ana Silva", "ana@example.com")], "customer_id string, x string, y string"
    )
    hinted = silver_orders.customer_lookup(customers)._jdf.queryExecution().analyzed().toString()
    assert "strategy=broadcast" in hinted
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(silver_orders, "MAX_BROADCAST_CUSTOMERS", 0)
        plain = silver_orders.customer_lookup(customers)._jdf.queryExecution().analyzed().toString()
    assert "strategy=broadcast" not in plain


def test_the_append_counts_and_commits_as_the_merge_did(run: dict[str, Any]) -> None:
    appended, merged = run["append"]["report"], run["merge"]["report"]
    counts = (appended.rows_in, appended.rows_out, appended.quarantined)
    assert counts == (merged.rows_in, merged.rows_out, merged.quarantined) == (8, 4, 3)
    assert appended.details["older_versions_ignored"] == merged.details["older_versions_ignored"] == 0
    assert appended.details["superseded"] == 1  # O4's earlier line
    assert appended.details["published"] == "curated_orders,job_progress"
    commit = run["append"]["commit"]
    assert (commit["lakehouse.job"], commit["lakehouse.run-seq"]) == ("silver_orders", "1")
    # One file per order day, as the MERGE wrote; the append read no file of the target.
    assert appended.cost["curated_orders"].files_written == merged.cost["curated_orders"].files_written == 2
    assert appended.cost["curated_orders"].files_read == 0
    assert "merge_days" not in appended.details


def test_a_target_holding_data_is_merged(run: dict[str, Any]) -> None:
    second = run["second"]
    assert second.details["write"] == "merge"
    assert second.details["merge_days"] == 2  # O4's day and the new orders' day
    assert (second.rows_in, second.rows_out, second.details["older_versions_ignored"]) == (3, 3, 0)
    assert run["after_second"] == [s.O1, s.O2, s.O3, s.O4_DELIVERED, s.O8, s.O9]


def test_no_data_means_no_snapshot_or_a_snapshot_without_data_files(
    run: dict[str, Any], module_lake: Lake
) -> None:
    spark, table = module_lake.spark, module_lake.table("curated_orders")
    assert holds_no_data(spark, table, None)
    spark.sql(f"INSERT INTO {table} SELECT * FROM {run['lake'].table('curated_orders')}")
    first = module_lake.main_snapshot("curated_orders")
    spark.sql(f"DELETE FROM {table} WHERE order_id IS NOT NULL")
    emptied = module_lake.main_snapshot("curated_orders")
    assert not holds_no_data(spark, table, first)
    assert holds_no_data(spark, table, emptied)
