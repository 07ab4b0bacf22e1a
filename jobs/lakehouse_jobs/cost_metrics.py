"""What a job read and wrote, per table, in figures that do not move with machine noise.

- Read: the data files and bytes Iceberg planned for every table scan the job ran. Iceberg's own scan
  report (partition and column-statistics pruning done) reaches Spark as the scan node's driver
  metrics ("number of result data files", "total data file size (bytes)"); they are read from Spark's
  SQL status store for the queries the job ran. A table scanned twice counts twice: it is work done.
- Written: the data files and bytes each of the job's commits added, from Iceberg's commit summary
  (`added-data-files`, `added-files-size`) of every snapshot that appeared during the job.
Timings move with the machine; these move only with the data and the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyspark.sql import SparkSession

SCAN_NODE = "BatchScan "
READ_FILES_METRIC = "number of result data files"
READ_BYTES_METRIC = "total data file size (bytes)"


@dataclass(frozen=True)
class TableCost:
    files_read: int = 0
    bytes_read: int = 0
    files_written: int = 0
    bytes_written: int = 0

    def __add__(self, other: TableCost) -> TableCost:
        return TableCost(
            self.files_read + other.files_read,
            self.bytes_read + other.bytes_read,
            self.files_written + other.files_written,
            self.bytes_written + other.bytes_written,
        )


def total(costs: Iterable[TableCost]) -> TableCost:
    result = TableCost()
    for cost in costs:
        result = result + cost
    return result


def _last_execution_id(store) -> int:
    executions = store.executionsList()
    return max((executions.apply(i).executionId() for i in range(executions.size())), default=-1)


def last_execution(spark: SparkSession) -> int:
    """The id of the last query Spark ran: a boundary between the phases of a job's cost."""
    return _last_execution_id(spark._jsparkSession.sharedState().statusStore())


def _scan_costs(
    store, after: int, tables: Mapping[str, str], until: int | None = None
) -> dict[str, TableCost]:
    """Files and bytes planned per table (`tables`: full name -> short name) by the queries after
    execution `after` (through `until`, when given)."""
    costs: dict[str, TableCost] = {}
    seen: set[int] = set()  # accumulator ids of the scans counted
    executions = store.executionsList()
    for i in range(executions.size()):
        execution_id = executions.apply(i).executionId()
        if execution_id <= after or (until is not None and execution_id > until):
            continue
        values = store.executionMetrics(execution_id)
        nodes = store.planGraph(execution_id).allNodes()
        for j in range(nodes.size()):
            node = nodes.apply(j)
            table = (
                tables.get(node.name().removeprefix(SCAN_NODE)) if node.name().startswith(SCAN_NODE) else None
            )
            if table is None:
                continue
            found = {}
            metrics = node.metrics()
            for k in range(metrics.size()):
                metric = metrics.apply(k)
                if metric.name() in (READ_FILES_METRIC, READ_BYTES_METRIC):
                    # A cached (persisted) frame's scan shows in the plan of every query that uses the
                    # cache, with the same accumulators: it was planned and read once, so it counts once.
                    if metric.accumulatorId() in seen:
                        continue
                    seen.add(metric.accumulatorId())
                    value = values.get(metric.accumulatorId())
                    found[metric.name()] = int(value.get()) if value.isDefined() else 0
            read = TableCost(found.get(READ_FILES_METRIC, 0), found.get(READ_BYTES_METRIC, 0))
            costs[table] = costs.get(table, TableCost()) + read
    return costs


class CostMeter:
    """Started before a job, finished after it: the job's cost per table of its database."""

    def __init__(self, spark: SparkSession, catalog: str, database: str) -> None:
        self.spark, self.prefix = spark, f"{catalog}.{database}."
        self.store = spark._jsparkSession.sharedState().statusStore()
        self.tables = self._table_names()
        self.started_after = _last_execution_id(self.store)
        self.snapshots_before = {name: self._snapshot_ids(name) for name in self.tables}

    def _table_names(self) -> list[str]:
        return sorted(r.tableName for r in self.spark.sql(f"SHOW TABLES IN {self.prefix[:-1]}").collect())

    def _table(self, name: str):
        jvm = self.spark.sparkContext._jvm
        table = jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(
            self.spark._jsparkSession, self.prefix + name
        )
        table.refresh()
        return table

    def _snapshot_ids(self, name: str) -> set[int]:
        return {s.snapshotId() for s in self._table(name).snapshots()}

    def _written(self, name: str) -> TableCost:
        files = size = 0
        for snapshot in self._table(name).snapshots():
            if snapshot.snapshotId() not in self.snapshots_before.get(name, set()):
                summary = snapshot.summary()
                files += int(summary.get("added-data-files") or 0)
                size += int(summary.get("added-files-size") or 0)
        return TableCost(files_written=files, bytes_written=size)

    def finish(self, checks_after: int | None = None) -> dict[str, TableCost]:
        """Cost per table the job read or wrote (tables it did not touch are left out). With
        `checks_after` (last_execution before a write-audit-publish job's quality checks), what the
        checks and the publish read is reported apart, as `<table> (checks)`: the job's own reads
        follow its batch, while a check over a whole table (a unique key) reads the table."""
        tables = {self.prefix + name: name for name in self.tables}
        costs = _scan_costs(self.store, self.started_after, tables, until=checks_after)
        if checks_after is not None:
            checked = {full: f"{name} (checks)" for full, name in tables.items()}
            costs.update(_scan_costs(self.store, checks_after, checked))
        for name in self.tables:
            costs[name] = costs.get(name, TableCost()) + self._written(name)
        return {name: cost for name, cost in sorted(costs.items()) if cost != TableCost()}
