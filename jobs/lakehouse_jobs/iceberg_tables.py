"""A table's refs and snapshot summaries, read through Iceberg's own table API (py4j), not a query.

A query of a metadata table (`SELECT ... FROM t.refs`, `t.snapshots`) is planned and run as a Spark job:
about 0.1 s each, and the jobs ask for a table's refs tens of times a run (every audit branch opened and
published, every pinned read). The table API reads the same metadata file the catalog loads for that
query, with no job: the same answer, without the Spark job around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyspark.sql import SparkSession

from .java_names import java_class

SPARK3_UTIL = "org.apache.iceberg.spark.Spark3Util"


def iceberg_table(spark: SparkSession, name: str) -> Any:
    """The Iceberg Java table behind a Spark table name (`catalog.db.table`), refreshed: Iceberg's Spark
    catalog caches a loaded table, which does not see later commits until it is refreshed."""
    table = java_class(spark, SPARK3_UTIL).loadIcebergTable(spark._jsparkSession, name)
    table.refresh()
    return table


def ref_snapshots(spark: SparkSession, name: str, wanted: Iterable[str]) -> dict[str, int]:
    """The snapshot each of the `wanted` branches and tags of the table points at (one it lacks is left
    out). Only those are read: a table gathers a tag per run (rollback_target.py), each a call to the JVM."""
    java_refs = iceberg_table(spark, name).refs()
    found = {ref: java_refs.get(ref) for ref in wanted}
    return {ref: java_ref.snapshotId() for ref, java_ref in found.items() if java_ref is not None}


def snapshot_summary(spark: SparkSession, name: str, snapshot_id: int) -> dict[str, str] | None:
    """The summary of one snapshot of the table (None: the table has no such snapshot)."""
    snapshot = iceberg_table(spark, name).snapshot(snapshot_id)
    return None if snapshot is None else dict(snapshot.summary())
