"""Files are written at the configured size, and a batch is not shattered into tiny files.

raw_orders is partitioned by landing day (tables/seed-tables.ts): a batch of orders on 28 order days and
5 statuses, landed as 4 files, is one partition, written by one task (hash distribution) as one file at
the declared target size (128 MB). With a smaller `write.target-file-size-bytes`, set as production sets
it (the declared table property, which the IcebergTable provider applies with ALTER TABLE SET
TBLPROPERTIES, or the job's write options from the table's sparkWriteOptions), the batch rolls over into
files of that size. Iceberg's rolling writer checks every 1000 rows whether the open file (bytes written
plus the row group buffered in memory, uncompressed) has reached the target, so files hold whole
thousands of rows and are smaller on disk than the target by Parquet's compression. In memory these
orders take about 250 KB per 1000 rows: a 300,000-byte target rolls every 2000 rows, 200,000 every 1000.
A batch whose share of the shuffle is above the advisory partition size (sparkWriteOptions: 128 MB, so
that a history load is written and then read by every core) is split between the tasks that read its
landing files. Spark reads these 4 small files in 2 tasks, so with an advisory size of 1 byte the batch
is written by 2 tasks of 2500 rows, each rolling at the 300,000-byte target set above (2000 + 500).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from .builders import customer, order, product, ts
from .conftest import Lake

STATUSES = ("pending", "processing", "shipped", "delivered", "cancelled")
CUSTOMERS = [
    customer(f"C{n}", f"c{n}@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00")
    for n in range(50)
]
BATCH = 5000
TABLE_TARGET, OPTION_TARGET = 300_000, 200_000


def _orders(day: int) -> list[dict[str, Any]]:
    """BATCH orders on 28 order days and all 5 statuses (140 (day, status) pairs)."""
    return [
        order(
            f"O{day}-{n:05d}",
            f"C{n % 50}",
            f"2024-02-{1 + n % 28:02d} 10:00",
            STATUSES[n % 5],
            [("P1", 1 + n % 3, "10.00", "0.00")],
        )
        for n in range(BATCH)
    ]


def _land(lake: Lake, day: int) -> None:
    """The day's batch as 4 landing files."""
    orders = _orders(day)
    for part in range(4):
        lake.land("orders", orders[part::4], ts(f"2024-03-0{day} 03:00"), f"part-{part:05d}.json")


def _files(lake: Lake, day: int) -> list[tuple[int, int]]:
    """(rows, bytes) of raw_orders' data files of landing day `day`, by rows."""
    rows = lake.rows(
        "raw_orders.files",
        ["record_count", "file_size_in_bytes"],
        f"partition._ingestion_timestamp_day = DATE '2024-03-0{day}'",
    )
    return sorted(rows)


@pytest.fixture(scope="module")
def written(module_lake: Lake) -> dict[str, Any]:
    lake, result = module_lake, {}
    lake.land("customers", CUSTOMERS, ts("2024-03-01 02:00"))
    lake.land("products", [product("P1", "Books", "10.00")], ts("2024-03-01 02:00"))
    _land(lake, 1)
    result["declared"] = lake.run("bronze_ingest")
    properties = lake.spark.sql(f"SHOW TBLPROPERTIES {lake.table('raw_orders')}").collect()
    result["properties"] = {r.key: r.value for r in properties}
    lake.spark.sql(
        f"ALTER TABLE {lake.table('raw_orders')} SET TBLPROPERTIES "
        f"('write.target-file-size-bytes'='{TABLE_TARGET}')"
    )
    _land(lake, 2)
    result["table_property"] = lake.run("bronze_ingest")
    options = {"raw_orders": {"distribution-mode": "hash", "target-file-size-bytes": str(OPTION_TARGET)}}
    _land(lake, 3)
    result["write_option"] = lake.run("bronze_ingest", table_write_options=json.dumps(options))
    options = {"raw_orders": {"distribution-mode": "hash", "advisory-partition-size": "1"}}
    _land(lake, 4)
    result["advisory"] = lake.run("bronze_ingest", table_write_options=json.dumps(options))
    return result


def test_with_the_declared_size_a_batch_is_one_file_per_partition(
    written: dict[str, Any], module_lake: Lake
) -> None:
    assert (
        written["properties"]["write.target-file-size-bytes"],
        written["properties"]["write.parquet.compression-codec"],
    ) == ("134217728", "zstd")
    assert written["declared"].cost["raw_orders"].files_written == 1
    assert [rows for rows, _ in _files(module_lake, 1)] == [BATCH]
    day = "partition._ingestion_timestamp_day"
    assert module_lake.rows("raw_orders.partitions", [day, "file_count"], f"{day} = DATE '2024-03-01'") == [
        (date(2024, 3, 1), 1)
    ]


def test_a_smaller_table_property_rolls_the_batch_into_files_of_that_size(
    written: dict[str, Any], module_lake: Lake
) -> None:
    files = _files(module_lake, 2)
    assert written["table_property"].cost["raw_orders"].files_written == 3
    assert [rows for rows, _ in files] == [1000, 2000, 2000]  # every 2000 rows, the rest last
    assert [size < TABLE_TARGET for _, size in files] == [True, True, True]


def test_the_jobs_write_option_sets_the_size_of_its_writes(
    written: dict[str, Any], module_lake: Lake
) -> None:
    files = _files(module_lake, 3)
    assert written["write_option"].cost["raw_orders"].files_written == 5
    assert [rows for rows, _ in files] == [1000, 1000, 1000, 1000, 1000]
    assert [size < OPTION_TARGET for _, size in files] == [True] * 5


def test_a_batch_above_the_advisory_size_is_written_by_the_tasks_that_read_it(
    written: dict[str, Any], module_lake: Lake
) -> None:
    assert written["advisory"].cost["raw_orders"].files_written == 4
    assert [rows for rows, _ in _files(module_lake, 4)] == [500, 500, 2000, 2000]
