"""Partition evolution and sort order on the local Spark: the declared layout applied to a loaded table with
Iceberg's own API, old and new files under different spec ids, a query pruned under both specs, nothing
rewritten, old snapshots readable; writes ordered by the declared sort order."""

from __future__ import annotations

import copy
import json
from typing import Any

from lakehouse_jobs import local
from lakehouse_jobs.local_layout import apply_layout, iceberg_table

from . import layout_fixtures as fx
from . import scenario as s
from .builders import customer
from .conftest import Lake

COLUMNS = ["order_id", "customer_id", "order_status", "order_date"]


def files(lake: Lake, table: str) -> dict[str, int]:
    """Data file path -> the partition spec id it was written with."""
    return {
        r.file_path: r.spec_id
        for r in lake.spark.sql(f"SELECT file_path, spec_id FROM {lake.table(table)}.files").collect()
    }


def planned_files(lake: Lake, table: str, start: str, end: str) -> list[tuple[int, str]]:
    """(spec id, partition path) of the files Iceberg's scan planning keeps for `start <= order_date < end`."""
    jvm = lake.spark._jvm
    expressions = jvm.org.apache.iceberg.expressions.Expressions
    window = getattr(expressions, "and")(  # `and` is a Python keyword
        expressions.greaterThanOrEqual("order_date", start), expressions.lessThan("order_date", end)
    )
    tasks = iceberg_table(lake.spark, lake.table(table)).newScan().filter(window).planFiles()
    kept = []
    iterator = tasks.iterator()
    while iterator.hasNext():
        task = iterator.next()
        kept.append((task.file().specId(), task.spec().partitionToPath(task.file().partition())))
    tasks.close()
    return sorted(kept)


def test_the_planner_fixtures_are_what_this_spark_writes(lake: Lake) -> None:
    before, after = fx.write_fixtures(lake.spark, lake.specs, lake.database)
    committed = [json.loads(path.read_text(encoding="utf-8")) for path in (fx.BEFORE, fx.AFTER)]
    assert [fx.stable(before), fx.stable(after)] == [fx.stable(m) for m in committed]


def test_a_spec_change_keeps_old_files_in_spec_0_new_writes_use_spec_1_and_a_query_prunes_both(
    lake: Lake,
) -> None:
    table = fx.create_first_declared(lake.spark, lake.specs, lake.database)
    old_orders = [
        ("O1", "C3", "NEW", "2024-03-01 09:00"),
        ("O2", "C1", "SHIPPED", "2024-03-02 10:00"),
        ("O3", "C2", "NEW", "2024-03-02 11:00"),
    ]
    fx.append_orders(lake.spark, table, old_orders)
    old_files, old_rows = files(lake, "raw_orders"), lake.rows("raw_orders", COLUMNS)
    before = lake.snapshots("raw_orders")

    done = apply_layout(
        lake.spark, table, fx.evolved(fx.first_declared(local.table_spec(lake.specs, "raw_orders")))
    )
    assert done == [
        "UpdatePartitionSpec: removeField(order_date_day), removeField(order_status), addField(month(order_date))",
        "ReplaceSortOrder: asc(customer_id, nulls first)",
    ]
    assert (
        apply_layout(
            lake.spark, table, fx.evolved(fx.first_declared(local.table_spec(lake.specs, "raw_orders")))
        )
        == []
    )
    assert (files(lake, "raw_orders"), lake.snapshots("raw_orders")) == (old_files, before)  # metadata only

    new_orders = [
        ("O5", "C9", "NEW", "2024-03-02 15:00"),
        ("O4", "C4", "NEW", "2024-03-20 08:00"),
        ("O6", "C5", "NEW", "2024-04-01 08:00"),
    ]
    fx.append_orders(lake.spark, table, new_orders)
    now = files(lake, "raw_orders")
    assert {path: spec for path, spec in now.items() if path in old_files} == old_files  # none rewritten
    assert sorted(now.values()) == [0, 0, 0, 1, 1]
    assert sorted(spec for path, spec in now.items() if path not in old_files) == [1, 1]

    # 2 March: the day partition of spec 0 and the month partition of spec 1; 1 March and April pruned.
    assert planned_files(lake, "raw_orders", "2024-03-02T00:00:00", "2024-03-03T00:00:00") == [
        (0, "order_date_day=2024-03-02/order_status=NEW"),
        (0, "order_date_day=2024-03-02/order_status=SHIPPED"),
        (1, "order_date_month=2024-03"),
    ]
    assert lake.rows(
        "raw_orders", ["order_id"], "order_date >= '2024-03-02' AND order_date < '2024-03-03'"
    ) == [
        ("O2",),
        ("O3",),
        ("O5",),
    ]
    everything = lake.rows("raw_orders", COLUMNS)
    assert set(old_rows) < set(everything) and len(everything) == len(old_orders) + len(new_orders)
    assert lake.rows("raw_orders", COLUMNS, version=before[-1].snapshot_id) == old_rows

    # The new writes' file of March is in the declared sort order (customer_id ascending).
    march = next(p for p, spec in now.items() if spec == 1 and "2024-03" in p)
    assert [r.customer_id for r in lake.spark.read.parquet(march).collect()] == ["C4", "C9"]


def test_a_job_writes_in_the_declared_sort_order(lake: Lake, specs: dict[str, Any]) -> None:
    sorted_specs = copy.deepcopy(specs)
    local.table_spec(sorted_specs, "raw_customers")["sortOrder"] = [
        {"column": "customer_id", "direction": "desc"}
    ]
    sorted_lake = Lake(lake.spark, sorted_specs, lake.warehouse, lake.landing)
    landed = [
        customer(f"C{n}", f"c{n}@example.com", "Ann Lee", "Austin", "TX", "2024-02-01 00:00")
        for n in (2, 7, 1, 9, 4)
    ]
    sorted_lake.land("customers", landed, s.DAY1)
    sorted_lake.run("bronze_ingest")
    [path] = files(sorted_lake, "raw_customers")
    assert [r.customer_id for r in lake.spark.read.parquet(path).collect()] == ["C9", "C7", "C4", "C2", "C1"]
