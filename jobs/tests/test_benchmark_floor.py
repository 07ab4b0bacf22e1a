"""The benchmark's floor (bench/measures.py) does the work it stands for: every field of the landing JSON
read as its raw table's type and written to Parquet. Its figure is what the pipeline's history load is
judged against, so a floor that drops values (timestamps read as `timestamp_ntz` are refused and written
null) makes the pipeline look faster than it is."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pyspark.sql import SparkSession

from .conftest import Lake

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))  # the benchmark is not a package
from measures import floor_rows_per_second

ORDERS = [
    {
        "order_id": "ORD-1",
        "customer_id": "CUST-1",
        "order_status": "shipped",
        "order_date": "2024-01-01T00:00:00Z",
        "required_date": "2024-01-06T00:00:00Z",
        "shipped_date": "2024-01-02T10:30:00+02:00",
        "items": [{"product_id": "PROD-1", "quantity": 2, "unit_price": "10.25", "discount": "0.10"}],
        "shipping_address": {"city": "Phoenix", "country": "USA"},
        "total_amount": "18.45",
        "updated_at": "2024-01-02T08:30:00Z",
    },
    {
        "order_id": "ORD-2",
        "customer_id": "CUST-2",
        "order_status": "pending",
        "order_date": "2024-01-03T23:59:59Z",
        "required_date": None,
        "shipped_date": None,
        "items": [],
        "shipping_address": {},
        "total_amount": "0.00",
        "updated_at": "2024-01-03T23:59:59Z",
    },
]


def test_the_floor_writes_every_landing_field_as_its_type(
    spark: SparkSession, lake: Lake, tmp_path: Path
) -> None:
    landed = lake.land_lines("orders", [json.dumps(o) for o in ORDERS], datetime(2024, 1, 4))
    raw_orders = spark.table(lake.table("raw_orders")).schema
    rate = floor_rows_per_second(spark, raw_orders, [str(landed)], tmp_path / "floor")
    written = spark.read.parquet(str(tmp_path / "floor")).orderBy("order_id").collect()
    assert rate > 0
    assert [tuple(r) for r in written] == [
        (
            "ORD-1",
            "CUST-1",
            "shipped",
            datetime(2024, 1, 1, 0, 0),
            datetime(2024, 1, 6, 0, 0),
            datetime(2024, 1, 2, 8, 30),  # 10:30 at +02:00 is 08:30 UTC
            [("PROD-1", 2, Decimal("10.25"), Decimal("0.10"))],
            {"city": "Phoenix", "country": "USA"},
            Decimal("18.45"),
            datetime(2024, 1, 2, 8, 30),
        ),
        (
            "ORD-2",
            "CUST-2",
            "pending",
            datetime(2024, 1, 3, 23, 59, 59),
            None,
            None,
            [],
            {},
            Decimal("0.00"),
            datetime(2024, 1, 3, 23, 59, 59),
        ),
    ]
