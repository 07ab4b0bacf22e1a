"""No job brings a batch to the driver: a batch with 1 % bad records is quarantined and loaded, and the
most rows any job's query returns to the driver (counts, day lists, file lists) is the same for a batch
ten times larger. Every way PySpark returns rows to Python (`first`, `head`, `take` go through
`collect`) is counted while the pipeline runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pyspark.sql import DataFrame

from .builders import customer, order, product, ts
from .conftest import Lake


@pytest.fixture
def returned_rows(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The number of rows of every query result returned to the driver (appended as they happen)."""
    sizes: list[int] = []
    collect, to_pandas = DataFrame.collect, DataFrame.toPandas

    def counted_collect(self: DataFrame) -> list[Any]:
        rows = collect(self)
        sizes.append(len(rows))
        return rows

    def counted_to_pandas(self: DataFrame):
        frame = to_pandas(self)
        sizes.append(len(frame))
        return frame

    monkeypatch.setattr(DataFrame, "collect", counted_collect)
    monkeypatch.setattr(DataFrame, "toPandas", counted_to_pandas)
    monkeypatch.setattr(DataFrame, "toLocalIterator", lambda *_a, **_k: pytest.fail("toLocalIterator"))
    yield sizes


def _orders(first: int, count: int) -> list[dict[str, Any]]:
    """`count` orders of one customer on two days; every 100th has a negative quantity (refused)."""
    return [
        order(
            f"O{n:06d}",
            "C1",
            f"2024-02-0{1 + n % 2} 10:00",
            "pending",
            [("P1", -1 if n % 100 == 0 else 1, "10.00", "0.00")],
        )
        for n in range(first, first + count)
    ]


def test_a_batch_ten_times_larger_returns_no_more_rows_to_the_driver(
    lake: Lake, returned_rows: list[int]
) -> None:
    lake.land(
        "customers",
        [customer("C1", "c1@example.com", "Ana Silva", "Chicago", "IL", "2024-01-01 00:00")],
        ts("2024-03-01 03:00"),
    )
    lake.land("products", [product("P1", "Books", "10.00")], ts("2024-03-01 03:00"))
    largest = []
    for batch, (first, count) in enumerate([(1, 100), (101, 1000)], start=1):
        lake.land("orders", _orders(first, count), ts(f"2024-03-0{batch} 03:00"))
        returned_rows.clear()
        reports = lake.run_pipeline()
        assert (reports["silver_orders"].rows_in, reports["silver_orders"].quarantined) == (
            count,
            count // 100,
        )
        largest.append(max(returned_rows))
    assert largest[1] == largest[0]
    # A handful of days or files, or a row per table (the 11 declared tables), never the batch's rows.
    assert largest[0] <= len(lake.specs["tables"])
    assert lake.rows("quarantine_records", ["count(*)"]) == [(11,)]
