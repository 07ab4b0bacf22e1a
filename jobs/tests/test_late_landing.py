"""Every landing file is read exactly once, whenever it lands: a late batch, a file added to a batch
already read, and their way to gold; a changed file and stray files are skipped and reported; fields
the table does not declare are counted; an interrupted run is resumed without a duplicate."""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from lakehouse_jobs import audit_branches, recompute

from . import scenario as s
from .builders import order, ts
from .conftest import Lake

LATE = ts("2024-03-01 15:00")  # older than DAY2's batch, landed after it was read
O9 = {
    **order("O9", "C1", "2024-02-10 18:00", "delivered", [("P2", 2, "15.50", "0.00")]),
    "coupon_code": "SPRING",
}
O9["items"][0]["gift_wrap"] = True
O10 = order("O10", "C2", "2024-02-21 19:00", "shipped", [("P4", 1, "25.00", "0.00")])


def _daily(lake: Lake) -> list[tuple]:
    return lake.rows(
        "agg_daily_metrics", ["metric_date", "metric_value", "metric_count"], "metric_type = 'daily_revenue'"
    )


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {"lake": module_lake}
    customers = lake.land("customers", s.CUSTOMERS_1[:2], s.DAY1)
    lake.land("products", s.PRODUCTS_1, s.DAY1)
    lake.land("orders", s.ORDERS_1[:2], s.DAY1)
    lake.run_pipeline()
    lake.land("orders", [s.ORDERS_2[1]], s.DAY2)
    lake.run_pipeline()
    result["daily_before"] = _daily(lake)
    late = lake.land("orders", [O9], LATE)
    added = lake.land("orders", [O10], s.DAY2, name="part-00001.json")
    customers.write_text(customers.read_text() + customers.read_text().splitlines()[0] + "\n")
    (lake.landing / "orders" / "README.txt").write_text("not data")
    (late.parent / "_SUCCESS").write_text("")
    result["files"] = {"late": late, "added": added, "customers": customers}
    result["reports"] = lake.run_pipeline()
    result["state"] = lake.state()
    result["rerun"] = lake.run_pipeline()
    return result


def test_a_late_batch_and_a_file_added_to_a_read_batch_are_ingested_once(run: dict[str, Any]) -> None:
    lake, files = run["lake"], run["files"]
    assert lake.rows(
        "raw_orders",
        ["order_id", "_ingestion_timestamp", "_ingestion_id", "_source_file"],
        "order_id IN ('O9', 'O10')",
    ) == [
        ("O10", datetime(2024, 3, 2, 3, 0), 3, f"file:{files['added']}"),
        ("O9", datetime(2024, 3, 1, 15, 0), 3, f"file:{files['late']}"),
    ]
    assert lake.rows(
        "ingestion_log", ["source_table", "ingestion_id", "file_path", "records"], "ingestion_id = 3"
    ) == [
        ("raw_orders", 3, f"file:{files['late']}", 1),
        ("raw_orders", 3, f"file:{files['added']}", 1),
    ]
    details = run["reports"]["bronze_ingest"].details
    assert (
        details["raw_orders.new_files"],
        details["raw_orders.appended"],
        len(lake.rows("raw_orders", ["*"])),
    ) == (2, 2, 5)


def test_late_orders_reach_gold_for_their_own_dates(run: dict[str, Any]) -> None:
    lake = run["lake"]
    assert run["daily_before"] == [
        (date(2024, 2, 10), Decimal("168.30"), 2),
        (date(2024, 2, 21), Decimal("1296.00"), 1),
    ]
    assert _daily(lake) == [
        (date(2024, 2, 10), Decimal("211.77"), 3),  # + O9: 31.00 + 2.48 tax + 9.99 shipping
        (date(2024, 2, 21), Decimal("1332.99"), 2),  # + O10: 25.00 + 2.00 tax + 9.99 shipping
    ]
    assert run["reports"]["gold_daily_metrics"].details["affected_dates"] == "2024-02-10..2024-02-21 (2)"
    assert recompute.gold_differences(lake.spark, lake.lakehouse) == ([], [])


def test_a_changed_file_and_stray_files_are_skipped_and_reported(
    run: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    lake, details = run["lake"], run["reports"]["bronze_ingest"].details
    assert (details["raw_customers.changed_files_skipped"], details["raw_orders.files_outside_batches"]) == (
        1,
        1,
    )
    assert len(lake.rows("raw_customers", ["*"])) == 2
    with caplog.at_level(logging.WARNING, logger="lakehouse_jobs"):
        lake.run("bronze_ingest")
    skipped = sorted(r.getMessage() for r in caplog.records if "skipped" in r.getMessage())
    customers = run["files"]["customers"]
    assert skipped[0].startswith(
        f"raw_customers: skipped file:{customers}: changed after it was ingested (size "
    )
    assert skipped[0].endswith("not read again: landing files are immutable, land new content as a new file")
    assert skipped[1] == (
        f"raw_orders: skipped file:{lake.landing}/orders/README.txt: not inside a landed_at=YYYYMMDDTHHMMSSZ batch folder"
    )


def test_undeclared_fields_are_counted_per_table_and_kept_with_a_sample(run: dict[str, Any]) -> None:
    lake = run["lake"]
    details = run["reports"]["bronze_ingest"].details
    assert details["raw_orders.undeclared_fields.20240301T150000Z"] == "coupon_code:1,items[].gift_wrap:1"
    assert "raw_orders.undeclared_fields.20240302T030000Z" not in details
    logged = lake.rows(
        "ingestion_log",
        ["undeclared_fields", "undeclared_sample"],
        f"file_path = 'file:{run['files']['late']}'",
    )
    assert logged[0][0] == {"coupon_code": 1, "items[].gift_wrap": 1}
    assert '"coupon_code":"SPRING"' in logged[0][1] and '"gift_wrap":true' in logged[0][1]


def test_a_rerun_reads_nothing_and_changes_nothing(run: dict[str, Any]) -> None:
    assert run["lake"].state() == run["state"]
    assert {job: r.rows_in for job, r in run["rerun"].items()} == dict.fromkeys(run["rerun"], 0)


def test_a_run_interrupted_after_appending_is_resumed_without_reading_a_file_twice(
    lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lake.land("orders", s.ORDERS_1[:2], s.DAY1)
    publish = audit_branches.publish

    def interrupted(spark: Any, lakehouse: Any, audited: Any, *rest: Any) -> bool:
        # Lost between publishing raw_orders and publishing ingestion_log (write-audit-publish publishes
        # targets first, bookkeeping last): the rows are on main, the log of their files is not.
        if audited.name == "ingestion_log":
            raise RuntimeError("the driver was lost")
        return publish(spark, lakehouse, audited, *rest)

    monkeypatch.setattr(audit_branches, "publish", interrupted)
    with pytest.raises(RuntimeError, match="the driver was lost"):
        lake.run("bronze_ingest")
    assert (len(lake.rows("raw_orders", ["*"])), lake.rows("ingestion_log", ["*"])) == (2, [])
    monkeypatch.undo()
    second = lake.land("orders", [O10], s.DAY2)
    report = lake.run("bronze_ingest")
    assert lake.rows("raw_orders", ["order_id", "_ingestion_id"]) == [("O1", 1), ("O10", 2), ("O2", 1)]
    assert lake.rows(
        "ingestion_log", ["file_path", "ingestion_id", "records", "rows_ingested", "rows_quarantined"]
    ) == [
        (f"file:{first}", 1, None, 2, None),
        (f"file:{second}", 2, 1, 1, 0),
    ]
    assert (report.rows_out, report.details["ingestion_id"]) == (1, 2)


def test_raw_rows_from_before_the_log_existed_stop_bronze_before_it_appends_them_twice(lake: Lake) -> None:
    lake.land("orders", s.ORDERS_1[:2], s.DAY1)
    table = lake.table("raw_orders")  # a row as bronze appended it before it logged files
    schema = lake.spark.table(table).schema
    row = dict.fromkeys(schema.names) | {"order_id": "O1", "_ingestion_timestamp": datetime(2024, 3, 1, 3)}
    lake.spark.createDataFrame([row], schema).writeTo(table).append()
    with pytest.raises(ValueError) as error:
        lake.run("bronze_ingest")
    assert str(error.value) == (
        "[ingestion_log] is empty but raw_orders holds rows appended before bronze_ingest logged the files it "
        "read (their _ingestion_id is null): reading the landing folder now would append them again. Log the "
        "landing files those rows came from (INSERT INTO ingestion_log one row per file: source_table, "
        "file_path, ingestion_id 0), then run again; no table was changed"
    )
    assert (len(lake.rows("raw_orders", ["*"])), lake.rows("ingestion_log", ["*"])) == (1, [])
