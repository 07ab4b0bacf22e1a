"""Real Iceberg metadata files for the TypeScript layout planner's tests, written by the local Spark
(3.5.4, Iceberg 1.7.1): raw_orders created from its declaration as first declared (by order day and status,
as tables created before it moved to landing day still are) and loaded (spec 0), then with the evolved
layout applied (spec 1, sort order 1). `cd jobs && ../.venv/bin/python -m tests.layout_fixtures` rewrites
them; test_partition_evolution holds the committed files equal to what this Spark writes.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from lakehouse_jobs import local
from lakehouse_jobs.local_layout import apply_layout

FIXTURES = local.REPO / "tests" / "iceberg-table" / "fixtures"
BEFORE = FIXTURES / "raw_orders.spec-0.metadata.json"
AFTER = FIXTURES / "raw_orders.spec-1.metadata.json"
# The evolved raw_orders of tests/iceberg-table/layout-fixture.ts: day(order_date), identity(order_status)
# -> month(order_date), and sorted by customer_id.
EVOLVED_LAYOUT = {
    "partitionBy": [{"column": "order_date", "transform": "month"}],
    "sortOrder": [{"column": "customer_id"}],
}
# raw_orders as the seed first declared it (FIRST_RAW_ORDERS of tests/iceberg-table/layout-fixture.ts).
FIRST_PARTITIONING = "PARTITIONED BY (days(`order_date`), `order_status`)"
FIRST_PROPERTIES = (
    "TBLPROPERTIES ('format-version'='2', 'write.format.default'='parquet', "
    "'write.parquet.compression-codec'='snappy')"
)
# What Iceberg assigns and the planner reads; ids of files, snapshots and times differ per run.
STABLE_KEYS = (
    "format-version",
    "last-column-id",
    "current-schema-id",
    "schemas",
    "default-spec-id",
    "partition-specs",
    "last-partition-id",
    "default-sort-order-id",
    "sort-orders",
)


def append_orders(spark: SparkSession, table: str, orders: list[tuple[str, str, str, str]]) -> None:
    """One commit of (order_id, customer_id, status, order date) rows, the other columns NULL."""
    schema = spark.table(table).schema
    rows = [
        dict.fromkeys(schema.names)
        | {
            "order_id": order_id,
            "customer_id": customer_id,
            "order_status": status,
            "order_date": datetime.fromisoformat(day),
            "total_amount": Decimal("10.00"),
            "_ingestion_timestamp": datetime.fromisoformat(day),
        }
        for order_id, customer_id, status, day in orders
    ]
    spark.createDataFrame(rows, schema).writeTo(table).append()


def current_metadata(spark: SparkSession, table: str) -> dict[str, Any]:
    latest = spark.sql(
        f"SELECT file FROM {table}.metadata_log_entries ORDER BY timestamp DESC LIMIT 1"
    ).first()
    return json.loads(Path(latest.file.removeprefix("file:")).read_text(encoding="utf-8"))


def stable(metadata: dict[str, Any]) -> dict[str, Any]:
    return {key: metadata[key] for key in STABLE_KEYS}


def evolved(table: dict[str, Any]) -> dict[str, Any]:
    return {**table, **EVOLVED_LAYOUT}


def first_declared(table: dict[str, Any]) -> dict[str, Any]:
    """raw_orders' exported spec with its CREATE TABLE as first declared: FIRST_PARTITIONING and
    FIRST_PROPERTIES in place of the current ones (the columns are the same)."""
    sql = table["sparkCreateTable"]
    partitioning = f"PARTITIONED BY ({', '.join(table['sparkPartitionBy'])})"
    properties = sql[sql.index("TBLPROPERTIES (") :]
    if partitioning not in sql:
        raise ValueError(f"[sparkCreateTable] of {table['name']} does not hold {partitioning!r}")
    sql = sql.replace(partitioning, FIRST_PARTITIONING).replace(properties, FIRST_PROPERTIES)
    first_layout = [
        {"column": "order_date", "transform": "day"},
        {"column": "order_status", "transform": "identity"},
    ]
    return {**table, "sparkCreateTable": sql, "partitionBy": first_layout}


def create_first_declared(spark: SparkSession, specs: dict[str, Any], database: str) -> str:
    """raw_orders in `database` created again, empty, as first declared; returns its name."""
    table = f"{specs['catalog']}.{database}.raw_orders"
    spark.sql(f"DROP TABLE IF EXISTS {table} PURGE")
    spark.sql(local.create_table_sql(specs, first_declared(local.table_spec(specs, "raw_orders")), database))
    return table


def write_fixtures(spark: SparkSession, specs: dict[str, Any], database: str) -> tuple[dict, dict]:
    """raw_orders loaded in `database`, its metadata before and after the evolved layout is applied."""
    local.create_tables(spark, specs, database)
    table = create_first_declared(spark, specs, database)
    append_orders(
        spark, table, [("O1", "C2", "NEW", "2024-03-01 10:00"), ("O2", "C1", "SHIPPED", "2024-03-02 11:00")]
    )
    before = current_metadata(spark, table)
    apply_layout(spark, table, evolved(first_declared(local.table_spec(specs, "raw_orders"))))
    return before, current_metadata(spark, table)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as warehouse:
        session = local.create_local_session(Path(warehouse))
        try:
            before, after = write_fixtures(session, local.load_table_specs(), "ecommerce_lakehouse")
        finally:
            session.stop()
    for path, metadata in ((BEFORE, before), (AFTER, after)):
        path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")
