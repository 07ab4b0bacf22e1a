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

from .iceberg_tables import iceberg_table

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


def _execution_ids_after(store, after: int) -> list[int]:
    """The ids of the queries after execution `after`, oldest first. Spark's status store lists its
    executions in id order; they are read from the newest back, a few at a time, because a long session
    holds up to a thousand of them (`spark.sql.ui.retainedExecutions`) and each costs a call into the JVM."""
    count = store.executionsCount()
    take = 16
    while True:
        offset = max(0, count - take)
        listed = store.executionsList(offset, count - offset)
        ids = [listed.apply(i).executionId() for i in range(listed.size())]
        if offset == 0 or (ids and ids[0] <= after):
            return [i for i in ids if i > after]
        take *= 4


def last_execution(spark: SparkSession) -> int:
    """The id of the last query Spark ran: a boundary between the phases of a job's cost."""
    return _last_execution_id(spark._jsparkSession.sharedState().statusStore())


def _last_execution_id(store) -> int:
    """The newest execution's id (-1: none). Counted again when the list at the last position is empty:
    once the store holds more than `spark.sql.ui.retainedExecutions`, its cleanup drops the oldest ones
    asynchronously, so the count can shrink between the two calls (seen after 1,000 queries of the
    test suite's one session: an IndexOutOfBoundsException in the cost meter)."""
    while True:
        count = store.executionsCount()
        if count == 0:
            return -1
        listed = store.executionsList(count - 1, 1)
        if listed.size() > 0:
            return listed.apply(0).executionId()


def _scan_costs(
    store, after: int, tables: Mapping[str, str], until: int | None = None
) -> dict[str, TableCost]:
    """Files and bytes planned per table (`tables`: full name -> short name) by the queries after
    execution `after` (through `until`, when given)."""
    costs: dict[str, TableCost] = {}
    seen: set[int] = set()  # accumulator ids of the scans counted
    for execution_id in _execution_ids_after(store, after):
        if until is not None and execution_id > until:
            break
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
        self.started_after = last_execution(spark)
        self.sequence_before = {name: self._last_sequence_number(name) for name in self.tables}

    def _table_names(self) -> list[str]:
        return sorted(r.tableName for r in self.spark.sql(f"SHOW TABLES IN {self.prefix[:-1]}").collect())

    def _last_sequence_number(self, name: str) -> int:
        """The table's last sequence number: format 2 gives every snapshot, on any branch, the next one."""
        return iceberg_table(self.spark, self.prefix + name).operations().current().lastSequenceNumber()

    def _written(self, name: str) -> TableCost:
        """What the snapshots committed since the meter started added (the table's snapshots are listed in
        commit order, so they are read from the newest back to the first that was there before)."""
        before = self.sequence_before.get(name, 0)
        snapshots = iceberg_table(self.spark, self.prefix + name).snapshots()
        files = size = 0
        for i in reversed(range(snapshots.size())):
            snapshot = snapshots.get(i)
            if snapshot.sequenceNumber() <= before:
                break
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
