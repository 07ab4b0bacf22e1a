"""What each job reads and writes follows the batch, not the history: MERGEs read only the files the
batch can touch, a batch is written as few files, and every job's summary line reports the data files
and bytes it read and wrote (cost_metrics.py: Iceberg's scan and commit figures)."""

from __future__ import annotations

from typing import Any

import pytest

from lakehouse_jobs.cost_metrics import TableCost

from .builders import customer, order, product, ts
from .conftest import Lake

ANA = customer("C1", "ana@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00")
P1 = product("P1", "Books", "10.00")
DAYS = ["2024-02-01", "2024-02-02", "2024-02-03", "2024-02-04", "2024-02-05"]
ORDERS = [
    order(f"O{n}", "C1", f"{day} 10:00", "pending", [("P1", n, "10.00", "0.00")], updated=f"{day} 10:00")
    for n, day in enumerate(DAYS, 1)
]


def _day_files(lake: Lake, table: str, day: str) -> tuple[int, int]:
    """(files, bytes) of `table`'s current data files holding orders of `day`."""
    row = lake.spark.sql(
        f"SELECT count(*), coalesce(sum(file_size_in_bytes), 0) FROM {lake.table(table)}.files "
        f"WHERE partition.order_date_day = DATE '{day}'"
    ).first()
    return row[0], row[1]


def _table_files(lake: Lake, table: str) -> tuple[int, int]:
    """(files, bytes) of `table`'s current data files."""
    row = lake.spark.sql(f"SELECT count(*), sum(file_size_in_bytes) FROM {lake.table(table)}.files").first()
    return row[0], row[1]


def _live_files(lake: Lake) -> tuple[int, int]:
    row = lake.spark.sql(
        f"SELECT count(*), coalesce(sum(file_size_in_bytes), 0) FROM {lake.table('curated_customers')}.files "
        "WHERE partition._is_current IS NULL OR partition._is_current"
    ).first()
    return row[0], row[1]


@pytest.fixture(scope="module")
def run(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {}
    lake.land("customers", [ANA], ts("2024-03-01 03:00"))
    lake.land("products", [P1], ts("2024-03-01 03:00"))
    lake.land("orders", ORDERS, ts("2024-03-01 03:00"))
    result["first"] = lake.run_pipeline()
    result["day3_before"] = _day_files(lake, "curated_orders", "2024-02-03")
    # A status change of O3 (same day) and Ana's new address (a new SCD2 version: a closed one).
    shipped = {**ORDERS[2], "order_status": "shipped", "updated_at": ts("2024-03-01 12:00")}
    lake.land("orders", [shipped], ts("2024-03-02 03:00"))
    lake.land(
        "customers",
        [{**ANA, "updated_at": ts("2024-03-01 12:00"), "email": "ana@new.example.com"}],
        ts("2024-03-02 03:00"),
    )
    result["second"] = lake.run_pipeline()
    result["customers_after_second"] = _table_files(lake, "curated_customers")
    result["day3_after"] = _day_files(lake, "curated_orders", "2024-02-03")
    result["day2_before"] = _day_files(lake, "curated_orders", "2024-02-02")
    result["live_before"] = _live_files(lake)
    result["index_before"] = _table_files(lake, "customer_counted_orders")
    # O2 corrected to another day: its row is found on its old day through the files' order_id bounds.
    moved = {**ORDERS[1], "order_date": ts("2024-02-06 09:00"), "updated_at": ts("2024-03-02 12:00")}
    lake.land("orders", [moved], ts("2024-03-03 03:00"))
    result["third"] = lake.run_pipeline()
    result["index_after"] = _table_files(lake, "customer_counted_orders")
    result["log_after"] = _table_files(lake, "ingestion_log")
    return result


def test_a_batch_is_written_as_one_file_per_partition_it_touches(run: dict[str, Any]) -> None:
    first = run["first"]
    # Five orders on five days, one landing: one file per partition the batch touches (raw_orders: its
    # landing day, curated_orders: order day), one curated_customers file, one gold month.
    assert first["bronze_ingest"].cost["raw_orders"].files_written == 1
    assert first["silver_orders"].cost["curated_orders"].files_written == 5
    assert first["gold_daily_metrics"].cost["agg_daily_metrics"].files_written == 1
    assert first["silver_customers"].cost["curated_customers"].files_written == 1


def test_the_orders_merge_reads_only_the_files_of_the_days_it_changes(run: dict[str, Any]) -> None:
    report = run["second"]["silver_orders"]
    files, size = run["day3_before"]
    assert (files, report.details["merge_days"]) == (1, 1)
    # The day's file, three times: finding the batch's orders there, the MERGE's search for the files
    # it rewrites, the MERGE's rewrite; then the file it wrote, counting the rows it changed. The other
    # four days are never read.
    cost = report.cost["curated_orders"]
    assert (cost.files_read, cost.files_written) == (4, 1)
    assert cost.bytes_read == 3 * size + cost.bytes_written


def test_a_moved_order_is_found_on_its_old_day_by_the_files_order_id_bounds(
    run: dict[str, Any], module_lake: Lake
) -> None:
    report = run["third"]["silver_orders"]
    files, size = run["day2_before"]
    assert (files, report.details["merge_days"]) == (1, 2)  # its new day (no file yet) and its old day
    # The old day's file twice (the MERGE's search for the files it rewrites, its rewrite), then the file
    # it wrote (counting the rows it changed). Finding the order on its new day read nothing (no file
    # there yet), and its old day came from the files' metadata, not from their data.
    cost = report.cost["curated_orders"]
    assert (cost.files_read, cost.files_written) == (3, 1)
    assert cost.bytes_read == 2 * size + cost.bytes_written
    assert module_lake.rows("curated_orders", ["order_id", "order_date"], "order_id = 'O2'") == [
        ("O2", ts("2024-02-06 09:00").replace(tzinfo=None))
    ]


def test_the_customers_merge_reads_only_current_versions(run: dict[str, Any], module_lake: Lake) -> None:
    closed = module_lake.rows("curated_customers", ["count(*)"], "NOT _is_current")
    assert closed == [(1,)]
    files, size = run["live_before"]
    cost = run["third"]["silver_customers"].cost["curated_customers"]
    # The live file twice (the affected customers' stored rows, the MERGE's rewrite of the live files,
    # without a search of them first: silver_customers.GROUP_FILTER); the closed version's file never.
    assert (cost.files_read, cost.bytes_read) == (2 * files, 2 * size)


def test_gold_reads_only_the_orders_of_the_dates_it_recomputes(run: dict[str, Any]) -> None:
    report = run["second"]["gold_daily_metrics"]
    files, size = run["day3_after"]
    # O3's status changed; Ana's new version starts at her new record (2024-03-01 12:00), after all her
    # orders, so no other date's segment changed.
    assert report.details["affected_dates"] == "2024-02-03..2024-02-03 (1)"
    # Every curated_orders file gold read is that day's one file: the other four days are never read.
    cost = report.cost["curated_orders"]
    assert files == 1 and cost.files_read > 0
    assert cost.bytes_read == cost.files_read * size


def test_every_summary_line_reports_what_was_read_and_written(run: dict[str, Any]) -> None:
    bronze = run["first"]["bronze_ingest"]
    landing = bronze.cost["landing/orders"]
    assert landing == TableCost(files_read=1, bytes_read=landing.bytes_read)
    assert landing.bytes_read > 0
    line = bronze.summary("ok", 1.0)
    total = sum(c.bytes_written for c in bronze.cost.values())
    assert f"bytes_written={total} " in line


def test_the_orders_checks_read_only_the_files_that_can_hold_the_runs_orders(run: dict[str, Any]) -> None:
    report = run["second"]["silver_orders"]
    files, size = run["day3_after"]
    # O3's new row, twice: as the rows the run wrote (the only file above main's highest change), and
    # as every row whose order_id lies within the run's ids (O3..O3: the other days' files hold O1, O2,
    # O4, O5 by their statistics). The other four days are never read.
    assert files == 1
    assert report.cost["curated_orders (checks)"] == TableCost(files_read=2, bytes_read=2 * size)


def test_the_raw_checks_read_only_the_runs_own_file(run: dict[str, Any]) -> None:
    bronze = run["second"]["bronze_ingest"]
    written = bronze.cost["raw_orders"]
    # The one file the run appended; the first run's file is never read: a landing line is checked
    # against the run's lines, the file against ingestion_log, and freshness comes from statistics.
    assert written.files_written == 1
    assert bronze.cost["raw_orders (checks)"] == TableCost(files_read=1, bytes_read=written.bytes_written)


def test_gold_reads_the_customer_dimension_once(run: dict[str, Any]) -> None:
    report = run["second"]["gold_daily_metrics"]
    files, size = run["customers_after_second"]
    # Its new versions and every order's segment come from one read of it; the end of its increment
    # came from the files' statistics.
    assert files == 2  # Ana's closed version and her current one
    assert report.cost["curated_customers"] == TableCost(files_read=files, bytes_read=size)


def test_the_counted_orders_are_read_once_and_replaced_once_by_silver_customers(run: dict[str, Any]) -> None:
    (files, size), (files_after, size_after) = run["index_before"], run["index_after"]
    # One row (Ana's) in one file; O2's move recounts her two days and the index is replaced whole: one
    # read serves her stored entries and the rows carried over, and the dimension's files never carry it.
    assert (files, files_after) == (1, 1)
    cost = run["third"]["silver_customers"].cost["customer_counted_orders"]
    assert cost == TableCost(files_read=1, bytes_read=size, files_written=1, bytes_written=size_after)


def test_gold_reads_the_counted_orders_once_for_a_new_version(run: dict[str, Any]) -> None:
    files, size = run["index_before"]
    cost = run["second"]["gold_daily_metrics"].cost["customer_counted_orders"]
    assert cost == TableCost(files_read=files, bytes_read=size)
    # No new version in the third run: gold does not read the index at all.
    assert "customer_counted_orders" not in run["third"]["gold_daily_metrics"].cost


def test_a_table_checked_whole_is_read_once_by_its_checks(run: dict[str, Any]) -> None:
    files, size = run["log_after"]
    # ingestion_log has no run sequence: its checks (not null, a unique key) look at every row, and
    # every check reads the one persisted copy of it, so its files are read once.
    assert files == 6  # one per raw table each bronze run logged files of (3, 2, 1)
    assert run["third"]["bronze_ingest"].cost["ingestion_log (checks)"] == TableCost(
        files_read=files, bytes_read=size
    )


def test_a_first_loads_checks_read_its_files_once(run: dict[str, Any]) -> None:
    silver = run["first"]["silver_orders"]
    written = silver.cost["curated_orders"]
    # Every row of curated_orders is the first load's: its checks read the files it wrote once, into a
    # copy of the checked columns, and the unique check counts the order ids there, with no look-up of
    # the table (which read every file a second time).
    assert written.files_written == 5  # one per order day
    assert silver.cost["curated_orders (checks)"] == TableCost(
        files_read=written.files_written, bytes_read=written.bytes_written
    )
