"""An order naming a product that had not landed when the order did is refused, naming every such
product once, in order (order_rules.with_unknown_products). A batch without one is checked without
keying or joining its rows; with one, the rows are joined back by their fingerprint: the same answer."""

from __future__ import annotations

from typing import Any

import pytest
from pyspark.sql import functions as F

from lakehouse_jobs.order_rules import checked_orders, product_arrivals, with_unknown_products

from .builders import order, product, ts
from .conftest import Lake

P1 = [("P1", 1, "10.00", "0.00")]


@pytest.fixture(scope="module")
def lake(module_lake: Lake) -> Lake:
    module_lake.land("products", [product("P1", "Books", "10.00")], ts("2024-03-01 03:00"))
    module_lake.land(
        "orders",
        [
            order("O1", "C1", "2024-02-10 10:00", "pending", P1),
            order(
                "O2",
                "C1",
                "2024-02-10 11:00",
                "pending",
                [("P9", 1, "1.00", "0.00"), *P1, ("P8", 2, "1.00", "0.00"), ("P9", 3, "1.00", "0.00")],
            ),
            order("O3", "C1", "2024-02-10 12:00", "pending", [("P5", 1, "5.00", "0.00")]),
        ],
        ts("2024-03-01 03:00"),
    )
    module_lake.run("bronze_ingest", max_bad_record_share=1)
    module_lake.land("products", [product("P5", "Toys", "5.00")], ts("2024-03-02 03:00"))
    module_lake.land(
        "orders",
        [order("O3", "C1", "2024-02-10 12:00", "pending", [("P5", 1, "5.00", "0.00")])],
        ts("2024-03-02 03:00"),
    )
    module_lake.run("bronze_ingest", max_bad_record_share=1)
    return module_lake


def _problems(lake: Lake, where: str) -> list[tuple[Any, ...]]:
    raw = lake.spark.table(lake.table("raw_orders")).where(where)
    arrivals = product_arrivals(lake.spark.table(lake.table("raw_products")))
    checked = checked_orders(raw, arrivals).select("order_id", "_ingestion_id", "_problems").collect()
    return sorted((tuple(r) for r in checked), key=repr)


def test_every_product_not_landed_with_the_order_is_named_once_in_order(lake: Lake) -> None:
    assert _problems(lake, "true") == [
        ("O1", 1, None),
        ("O2", 1, "unknown product: P8, P9"),
        ("O3", 1, "unknown product: P5"),  # P5 landed a run later
        ("O3", 2, None),  # landed again after P5: valid
    ]


def test_a_batch_without_unknown_products_is_not_joined(lake: Lake) -> None:
    where = "order_id = 'O1' OR _ingestion_id = 2"
    assert _problems(lake, where) == [("O1", 1, None), ("O3", 2, None)]
    raw = lake.spark.table(lake.table("raw_orders")).where(where)
    arrivals = product_arrivals(lake.spark.table(lake.table("raw_products")))
    plan = with_unknown_products(raw, arrivals)._jdf.queryExecution().executedPlan().toString()
    assert "Join" not in plan
    assert with_unknown_products(raw, arrivals).where(F.col("_unknown_products").isNotNull()).count() == 0
