"""curated_orders' first load is written one order day at a time by each task, so that a task holds one
open Parquet writer, whatever the number of days its rows span.

The cause of the out-of-memory failure it guards against (tables/seed-tables.ts, curated_orders): an
unsorted table's default in Iceberg 1.7 is a fanout writer, one open Parquet writer per partition in
each task, each buffering a row group outside what Spark's memory manager can spill. A history's first
load (2 million orders over 100 days, 50 days a task) ran a 4 GB heap out of memory. The memory cannot
be shown on small data; the write plan that bounds it can: with the declared `fanout-enabled: false`,
Iceberg asks Spark for rows clustered by day, so the plan sorts each task's rows by `days(order_date)`
right below the append. With fanout on (the default), there is no such sort.
"""

from __future__ import annotations

import json
import re

from pyspark.sql import SparkSession

from lakehouse_jobs.cost_metrics import last_execution

from .builders import customer, order, product, ts
from .conftest import Lake

STATUSES = ("pending", "processing", "shipped", "delivered", "cancelled")
DAYS = 28
# The sort the declared options give the append: Iceberg's `days` function of order_date, ascending.
DAY_SORT = (
    "[staticinvoke(class org.apache.iceberg.spark.functions.DaysFunction$TimestampNtzToDaysFunction, "
    "DateType, invoke, order_date, TimestampNTZType, false, true, true) ASC NULLS FIRST], false, 0"
)
_NODE = re.compile(r"^\((\d+)\) ([^\n\[]+?)(?: \[codegen id : \d+\])?\n(?:.*\n)*?Arguments: (.*)$", re.M)
_TREE_NODE = re.compile(r"(\w[\w ]*?) \((\d+)\)")


def first_load(lake: Lake, **parameters: object) -> str:
    """200 orders over DAYS order days and every status, landed in one batch; bronze, then silver_orders
    (`parameters`) into an empty curated_orders: its append path. Returns the append's physical plan."""
    at = ts("2024-03-01 02:00")
    lake.land(
        "customers", [customer("C1", "c1@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00")], at
    )
    lake.land("products", [product("P1", "Books", "10.00")], at)
    orders = [
        order(
            f"O{n:04d}",
            "C1",
            f"2024-02-{1 + n % DAYS:02d} 10:00",
            STATUSES[n % 5],
            [("P1", 1, "10.00", "0.00")],
        )
        for n in range(200)
    ]
    lake.land("orders", orders, ts("2024-03-01 03:00"))
    lake.run("bronze_ingest")
    before = last_execution(lake.spark)
    lake.run("silver_orders", **parameters)
    return append_plan(lake.spark, lake.table("curated_orders"), before)


def append_plan(spark: SparkSession, table: str, after: int) -> str:
    """The physical plan of the one append to `table` among Spark's queries after execution `after`."""
    store = spark._jsparkSession.sharedState().statusStore()
    executions = (store.execution(i) for i in range(after + 1, last_execution(spark) + 1))
    plans = [e.get().physicalPlanDescription() for e in executions if e.isDefined()]
    appends = [p for p in plans if p.startswith("== Physical Plan ==\nAppendData") and f"table={table}," in p]
    assert len(appends) == 1, f"{len(appends)} appends to {table}"
    return appends[0]


def below_the_append(plan: str) -> tuple[str, str]:
    """(name, arguments without expression ids) of the first node of the append's final plan: what feeds
    the writer."""
    tree, details = plan.split("\n\n", 1)
    final = tree.split("== Final Plan ==\n", 1)[1]
    name, number = _TREE_NODE.search(final).groups()
    arguments = {n: a for n, _, a in _NODE.findall(details)}[number]
    return name, re.sub(r"#\d+L?", "", arguments)


def test_the_first_load_sorts_each_tasks_rows_by_order_day(lake: Lake) -> None:
    plan = first_load(lake)
    assert below_the_append(plan) == ("Sort", DAY_SORT)
    assert lake.rows("curated_orders.partitions", ["count(*)"]) == [(DAYS,)]


def test_with_fanout_on_the_rows_reach_the_writer_unsorted(lake: Lake) -> None:
    """The same first load with `fanout-enabled: true`: the sort is gone, so the test above sees the
    declared option at work, not a sort the plan would have anyway."""
    options = {"curated_orders": {"distribution-mode": "hash", "fanout-enabled": "true"}}
    plan = first_load(lake, table_write_options=json.dumps(options))
    name, _ = below_the_append(plan)
    assert name == "AQEShuffleRead"
    assert lake.rows("curated_orders.partitions", ["count(*)"]) == [(DAYS,)]
