"""Maintenance with Iceberg's procedures: compaction, snapshot retention, orphan files, refusals."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lakehouse_jobs import local, maintenance
from lakehouse_jobs.arguments import parse_job_arguments
from lakehouse_jobs.local import job_arguments
from lakehouse_jobs.local_layout import apply_layout
from lakehouse_jobs.report import JobReport

from . import layout_fixtures as fx
from .conftest import Lake

SETTINGS = {
    "snapshot_retention_days": 1,
    "snapshots_to_keep": 2,
    "orphan_file_min_age_days": 3,
    "target_file_size_mb": 16,
}


def _small_commits(lake: Lake, count: int) -> None:
    """`count` one-row commits into one partition: `count` small files and snapshots."""
    table = lake.table("raw_products")
    schema = lake.spark.table(table).schema
    for n in range(count):
        row = dict.fromkeys(schema.names) | {
            "product_id": f"P{n}",
            "category": "Books",
            "price": Decimal(f"{n}.50"),
        }
        row["_ingestion_timestamp"] = datetime(2024, 3, 1, 3)
        lake.spark.createDataFrame([row], schema).writeTo(table).append()


def _maintain_two_days_later(lake: Lake, table: str) -> JobReport:
    """The maintenance job on `table` with SETTINGS, its clock two days ahead: every snapshot is past the
    1-day retention; the orphan cut-off (3 days before then) is yesterday, so a file written now is still
    too young to remove."""
    args = parse_job_arguments(
        "maintenance",
        job_arguments("maintenance", lake.database, "w", lake.specs, tables=table, **SETTINGS),
    )
    report = JobReport("maintenance")
    maintenance.run(lake.spark, args, report, clock=lambda: datetime.now(UTC) + timedelta(days=2))
    return report


def _data_folder(lake: Lake) -> Path:
    return lake.warehouse / lake.database / "raw_products" / "data"


def test_compaction_retention_and_orphan_removal(lake: Lake) -> None:
    _small_commits(lake, 6)
    folder = _data_folder(lake)
    stale, fresh = folder / "stale-orphan.parquet", folder / "fresh-orphan.parquet"
    for orphan in (stale, fresh):
        orphan.write_bytes(b"not referenced by any snapshot")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(stale, (ten_days_ago, ten_days_ago))
    rows_before = lake.rows("raw_products", ["product_id", "price"])

    report = _maintain_two_days_later(lake, "raw_products")

    assert report.details["raw_products"] == (
        "files_before=6 files_after=1 rewritten_files=6 snapshots_before=6 snapshots_after=2 "
        "expired_data_files=6 orphan_files_removed=1 strategy=binpack files_by_spec_before=0:6 "
        "files_by_spec_after=0:1"
    )
    assert (stale.exists(), fresh.exists()) == (False, True)
    assert sorted(p.name for p in folder.rglob("*.parquet")) == sorted(
        [fresh.name, Path(lake.rows("raw_products.files", ["file_path"])[0][0]).name]
    )
    assert lake.rows("raw_products", ["product_id", "price"]) == rows_before


def test_orphan_removal_with_a_too_short_age_is_refused_before_anything_runs(lake: Lake) -> None:
    _small_commits(lake, 2)
    snapshots = lake.snapshots("raw_products")
    with pytest.raises(ValueError) as error:
        lake.run("maintenance", **{**SETTINGS, "orphan_file_min_age_days": 1})
    assert str(error.value) == (
        "[--orphan-file-min-age-days] must be a whole number >= 3: younger orphan files can belong to writes "
        "in flight; got '1'"
    )
    assert lake.snapshots("raw_products") == snapshots


def test_after_a_spec_change_compaction_sorts_and_moves_small_old_spec_files_into_the_current_spec(
    lake: Lake,
) -> None:
    """As Iceberg's rewrite_data_files does: the current spec's small files are compacted within their
    partition, the older spec's small files are grouped together and rewritten into the current spec; the
    declared sort order is the compaction's sort (strategy sort)."""
    table = fx.create_first_declared(lake.spark, lake.specs, lake.database)
    for day, customer in zip(range(1, 6), ["C5", "C3", "C1", "C4", "C2"], strict=True):
        fx.append_orders(lake.spark, table, [(f"A{day}", customer, "NEW", f"2024-03-0{day} 10:00")])
    apply_layout(lake.spark, table, fx.evolved(fx.first_declared(local.table_spec(lake.specs, "raw_orders"))))
    for n, customer in zip(range(5), ["C9", "C6", "C8", "C0", "C7"], strict=True):
        fx.append_orders(lake.spark, table, [(f"B{n}", customer, "NEW", f"2024-03-2{n} 10:00")])
    rows_before = lake.rows("raw_orders", ["order_id", "customer_id", "order_date"])

    report = _maintain_two_days_later(lake, "raw_orders")

    assert report.details["raw_orders"] == (
        "files_before=10 files_after=2 rewritten_files=10 snapshots_before=10 snapshots_after=2 "
        "expired_data_files=10 orphan_files_removed=0 strategy=sort files_by_spec_before=0:5,1:5 "
        "files_by_spec_after=1:2"
    )
    assert lake.rows("raw_orders", ["order_id", "customer_id", "order_date"]) == rows_before
    sorted_files = [
        [r.customer_id for r in lake.spark.read.parquet(path).collect()]
        for (path,) in lake.rows("raw_orders.files", ["file_path"])
    ]
    assert sorted(sorted_files) == [["C0", "C6", "C7", "C8", "C9"], ["C1", "C2", "C3", "C4", "C5"]]
