"""Landing fields the raw table does not declare, named by their paths (undeclared_fields.py): at the
top level, in a declared struct and in each item of an array of structs; never under a map."""

from __future__ import annotations

import pytest
from pyspark.sql import SparkSession
from pyspark.sql.types import ArrayType, IntegerType, MapType, StringType, StructField, StructType

from lakehouse_jobs.undeclared_fields import has_undeclared, undeclared_paths

ITEM = StructType([StructField("product_id", StringType()), StructField("quantity", IntegerType())])
SCHEMA = StructType(
    [
        StructField("order_id", StringType()),
        StructField("items", ArrayType(ITEM)),
        StructField("customer", StructType([StructField("name", StringType())])),
        StructField("address", MapType(StringType(), StringType())),
    ]
)
LINES = {
    '{"order_id": "O1", "items": [{"product_id": "P1", "quantity": 1}], "address": {"zip": "1"}}': [],
    '{"order_id": "O1", "coupon": "X", "items": [{"product_id": "P1", "gift": true}]}': [
        "coupon",
        "items[].gift",
    ],
    # A name declared at one level is undeclared at another; keys are matched in their exact case.
    '{"order_id": "O1", "items": [{"order_id": "O1", "Quantity": 1}], "quantity": 2}': [
        "items[].Quantity",
        "items[].order_id",
        "quantity",
    ],
    '{"items": [null, 5, {"product_id": "P1", "x": 1}, {"x": 2}]}': ["items[].x"],
    '{"customer": {"name": "A", "email": "a@x"}, "items": null}': ["customer.email"],
    '{"items": "not an array", "customer": 3}': [],
    '{"items": [{"product_id": "P1", "product_id": "P2", "y": 1}]}': ["items[].y"],
    "not json": [],
    "": [],
}


@pytest.fixture(scope="module")
def found(spark: SparkSession) -> dict[str, tuple[list[str], bool]]:
    lines = spark.createDataFrame([(line,) for line in LINES], "line string")
    line = lines["line"]
    rows = lines.select("line", undeclared_paths(line, SCHEMA), has_undeclared(line, SCHEMA)).collect()
    return {r[0]: (r[1], r[2]) for r in rows}


@pytest.mark.parametrize("line", list(LINES))
def test_each_undeclared_field_is_named_by_its_path(
    found: dict[str, tuple[list[str], bool]], line: str
) -> None:
    assert found[line] == (LINES[line], bool(LINES[line]))
