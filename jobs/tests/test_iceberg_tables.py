"""A table's refs and snapshot summaries read through Iceberg's table API (iceberg_tables.py) are what its
metadata tables say, and the cost meter (cost_metrics.py) counts exactly the queries and the commits
made while it ran: from the newest back, on main and on a branch alike."""

from __future__ import annotations

from typing import Any

import pytest
from pyspark.sql import SparkSession

from lakehouse_jobs.cost_metrics import (
    CostMeter,
    TableCost,
    _execution_ids_after,
    _last_execution_id,
    last_execution,
)
from lakehouse_jobs.iceberg_tables import ref_snapshots, snapshot_summary

DATABASE = "glue_catalog.iceberg_api"
METERED = "glue_catalog.iceberg_meter"


@pytest.fixture(scope="module")
def table(spark: SparkSession) -> str:
    name = f"{DATABASE}.t"
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {DATABASE}")
    spark.sql(f"CREATE TABLE {name} (id bigint) USING iceberg")
    spark.sql(f"INSERT INTO {name} VALUES (1), (2)")
    spark.sql(f"ALTER TABLE {name} CREATE TAG `before` RETAIN 7 DAYS")
    spark.sql(f"ALTER TABLE {name} CREATE BRANCH `audit` RETAIN 7 DAYS")
    spark.sql(f"INSERT INTO {name}.branch_audit VALUES (3)")
    return name


def test_refs_are_the_refs_metadata_table(spark: SparkSession, table: str) -> None:
    queried = {
        r.name: r.snapshot_id for r in spark.sql(f"SELECT name, snapshot_id FROM {table}.refs").collect()
    }
    assert sorted(queried) == ["audit", "before", "main"]
    assert queried["audit"] != queried["main"] == queried["before"]
    assert ref_snapshots(spark, table, ["main", "audit", "before", "absent"]) == queried
    assert ref_snapshots(spark, table, ["audit"]) == {"audit": queried["audit"]}
    assert ref_snapshots(spark, table, ["absent"]) == {}


def test_a_summary_is_the_snapshots_metadata_table(spark: SparkSession, table: str) -> None:
    rows = spark.sql(f"SELECT snapshot_id, summary FROM {table}.snapshots").collect()
    assert len(rows) == 2
    for row in rows:
        assert snapshot_summary(spark, table, row.snapshot_id) == row.summary
    assert snapshot_summary(spark, table, rows[0].snapshot_id)["total-records"] == "2"
    assert snapshot_summary(spark, table, 1) is None


def test_the_queries_after_an_execution_are_every_later_one(spark: SparkSession) -> None:
    first = last_execution(spark)
    for n in range(40):  # more than the first look back (16) takes
        spark.range(n + 1).count()
    store = spark._jsparkSession.sharedState().statusStore()
    listed = store.executionsList()
    every = [listed.apply(i).executionId() for i in range(listed.size())]
    assert every == sorted(every)
    later = [i for i in every if i > first]
    assert len(later) == 40
    assert _execution_ids_after(store, first) == later
    assert _execution_ids_after(store, later[-3]) == later[-2:]
    assert _execution_ids_after(store, last_execution(spark)) == []
    assert last_execution(spark) == every[-1]


def test_the_meter_counts_the_commits_made_while_it_ran(spark: SparkSession) -> None:
    table = f"{METERED}.t"  # a table of its own: the other tests' table stays as they read it
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {METERED}")
    spark.sql(f"CREATE TABLE {table} (id bigint) USING iceberg")
    spark.sql(f"INSERT INTO {table} VALUES (4)")  # before the meter: not counted
    spark.sql(f"ALTER TABLE {table} CREATE BRANCH `audit` RETAIN 7 DAYS")
    meter = CostMeter(spark, "glue_catalog", METERED.split(".")[1])
    spark.sql(f"INSERT INTO {table} VALUES (5), (6)")
    spark.sql(f"INSERT INTO {table}.branch_audit VALUES (7)")
    added = spark.sql(
        f"SELECT summary['added-data-files'] AS files, summary['added-files-size'] AS size "
        f"FROM {table}.snapshots ORDER BY committed_at DESC LIMIT 2"
    ).collect()
    written = TableCost(
        files_written=sum(int(r.files) for r in added), bytes_written=sum(int(r.size) for r in added)
    )
    assert written.files_written == 3  # (5), (6) from two tasks, (7) from one
    # Nothing read the table's data (a metadata table is not the table): what was written, alone.
    assert meter.finish() == {"t": written}


class _ShrinkingStore:
    """A status store whose cleanup drops its two oldest executions between the count and the list, as
    Spark's does asynchronously once it holds more than it retains."""

    def __init__(self, ids: list[int]) -> None:
        self.ids, self.counted = ids, 0

    def executionsCount(self) -> int:  # the JVM method names
        self.counted += 1
        return len(self.ids)

    def executionsList(self, offset: int, length: int) -> Any:
        if self.counted == 1:
            self.ids = self.ids[2:]
        return _ScalaList([_Execution(i) for i in self.ids[offset : offset + length]])


class _ScalaList(list):
    def size(self) -> int:
        return len(self)

    def apply(self, i: int) -> Any:
        return self[i]


class _Execution:
    def __init__(self, execution_id: int) -> None:
        self.id = execution_id

    def executionId(self) -> int:
        return self.id


def test_the_last_execution_is_counted_again_when_the_store_dropped_its_oldest_in_between() -> None:
    store = _ShrinkingStore([5, 6, 7, 8])
    assert _last_execution_id(store) == 8
    assert store.counted == 2
    assert _last_execution_id(_ShrinkingStore([])) == -1
