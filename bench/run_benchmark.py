"""Lakehouse benchmark on the local Spark (not a test): writes bench/RESULTS.md.

For each scale (orders per day = 5000 * scale / 90, the seed's volume at scale 1), on generated data:
1. incremental daily run: the pipeline over 10 days of history (1x) and over 100 days (10x), then the
   time of one more day through bronze -> silver -> gold; reported as 10x / 1x
2. partition pruning: files and bytes Iceberg plans for a 7-day query of curated_orders vs a full scan
3. compaction: raw_orders after a day of hourly landings; file count and query time before vs after
   the maintenance job's rewrite_data_files
4. storage: raw_orders Parquet (zstd, Iceberg 1.7's default codec) bytes vs the landing JSON bytes

Usage: .venv/bin/python bench/run_benchmark.py [--scales 0.5 2] [--out bench/RESULTS.md]
Timings are wall-clock on a shared 2-core machine: compare ratios, not absolute seconds.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "jobs"))

from pyspark.sql import SparkSession

from lakehouse_jobs import local
from lakehouse_jobs.sample_data import SampleConfig, SampleData, generate, write_landing

START = date(2024, 1, 1)
HOURLY_BATCHES = 6  # rewrite_data_files compacts partitions with at least 5 files (its default)
REPEATS = 3
NEW_DAYS = 3  # daily runs measured per history size; the median is reported (the machine is shared)


def _seconds(action: Callable[[], Any]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def _best_of(action: Callable[[], Any]) -> float:
    return min(_seconds(action) for _ in range(REPEATS))


class Bench:
    def __init__(self, spark: SparkSession, specs: dict[str, Any], root: Path) -> None:
        self.spark, self.specs, self.root = spark, specs, root
        self.warehouse = Path(spark.conf.get("spark.sql.catalog.glue_catalog.warehouse"))

    def database(self, name: str) -> str:
        local.create_tables(self.spark, self.specs, name)
        return name

    def pipeline(self, database: str, landing: Path) -> float:
        params = {
            job: {"max_bad_record_share": 1.0}
            for job in ("bronze_ingest", "silver_orders", "silver_customers")
        }
        return _seconds(
            lambda: local.run_pipeline(
                self.spark, database, str(self.warehouse), self.specs, str(landing), params
            )
        )

    def table(self, database: str, name: str) -> str:
        return f"glue_catalog.{database}.{name}"

    def data_files(self, database: str, name: str) -> tuple[int, int]:
        files = f"{self.table(database, name)}.files"
        row = self.spark.sql(
            f"SELECT count(*) AS n, coalesce(sum(file_size_in_bytes), 0) AS b FROM {files}"
        ).first()
        return row["n"], row["b"]

    def one_file_size(self, database: str, name: str) -> int:
        """Bytes of the same rows in one unpartitioned zstd Parquet file: compression without the
        per-file overhead of many tiny partitions."""
        probe = self.table(database, f"{name}_size_probe")
        self.spark.sql(
            f"CREATE TABLE {probe} USING iceberg TBLPROPERTIES ('write.parquet.compression-codec'='zstd') "
            f"AS SELECT /*+ COALESCE(1) */ * FROM {self.table(database, name)}"
        )
        size = self.data_files(database, f"{name}_size_probe")[1]
        self.spark.sql(f"DROP TABLE {probe} PURGE")
        return size

    def planned_files(self, database: str, name: str, since: datetime | None) -> tuple[int, int]:
        """Files and bytes Iceberg plans to read for `order_date >= since` (None: a full scan)."""
        jvm = self.spark.sparkContext._jvm
        table = jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(
            self.spark._jsparkSession, self.table(database, name)
        )
        scan = table.newScan()
        if since is not None:
            micros = int(since.timestamp() * 1_000_000)
            scan = scan.filter(
                jvm.org.apache.iceberg.expressions.Expressions.greaterThanOrEqual("order_date", micros)
            )
        files, size, tasks = 0, 0, scan.planFiles().iterator()
        while tasks.hasNext():
            files += 1
            size += tasks.next().file().fileSizeInBytes()
        return files, size


def _one_day(scale: float, day: date, seed: int, prefix: str) -> SampleData:
    """One day's orders at `scale`; same scale, same customer and product ids as the history."""
    data = generate(SampleConfig(seed=seed, scale=scale, start=day, days=1))
    for n, order in enumerate(data.orders):
        order["order_id"] = f"ORD-{prefix}-{n:06d}"
    return SampleData([], [], data.orders)


def _land(landing: Path, data: SampleData, landed_at: datetime) -> int:
    sizes = 0
    for entity in ("customers", "products", "orders"):
        records = getattr(data, entity)
        if records:
            path = write_landing(landing, entity, records, landed_at)
            sizes += path.stat().st_size if entity == "orders" else 0
    return sizes


def run_scale(bench: Bench, scale: float, seed: int) -> dict[str, Any]:
    result: dict[str, Any] = {"scale": scale}
    for label, history in (("1x", 10), ("10x", 100)):
        name = f"s{str(scale).replace('.', '_')}_{label}"
        database, landing = bench.database(name), bench.root / name
        old = generate(SampleConfig(seed=seed, scale=scale, start=START, days=history))
        history_landed = datetime.combine(START + timedelta(days=history), datetime.min.time(), tzinfo=UTC)
        json_bytes = _land(landing, old, history_landed)
        result[f"history_orders_{label}"] = len(old.orders)
        result[f"history_seconds_{label}"] = bench.pipeline(database, landing)
        daily = []
        for n in range(NEW_DAYS):
            new = _one_day(scale, START + timedelta(days=history + n), seed + 1 + n, f"NEW{n}")
            _land(landing, new, history_landed + timedelta(days=n, hours=3))
            result[f"daily_orders_{label}"] = len(new.orders)
            daily.append(bench.pipeline(database, landing))
        result[f"daily_seconds_{label}"] = statistics.median(daily)
        print(
            f"scale {scale} {label}: history {result[f'history_seconds_{label}']:.1f} s, daily runs {daily}"
        )
        if label == "10x":
            result["json_bytes"] = json_bytes
            result["parquet_files"], result["parquet_bytes"] = bench.data_files(database, "raw_orders")
            result["probe_bytes"] = bench.one_file_size(database, "raw_orders")
            since = history_landed + timedelta(days=NEW_DAYS) - timedelta(days=7)
            result["scan_7d"] = bench.planned_files(database, "curated_orders", since)
            result["scan_full"] = bench.planned_files(database, "curated_orders", None)
            result.update(compaction(bench, database, landing, scale, history_landed))
    return result


def compaction(bench: Bench, database: str, landing: Path, scale: float, day: datetime) -> dict[str, Any]:
    """Hourly landings of one day's orders (each adds a small file per status partition of that day),
    then the maintenance job. Same scale, so customer and product ids match the loaded ones."""
    table = bench.table(database, "raw_orders")
    next_day = day + timedelta(days=1)
    day_filter = f"order_date >= TIMESTAMP '{day:%Y-%m-%d}' AND order_date < TIMESTAMP '{next_day:%Y-%m-%d}'"
    for hour in range(HOURLY_BATCHES):
        batch = _one_day(scale, day.date(), 1000 + hour, f"H{hour:02d}")
        write_landing(landing, "orders", batch.orders, day + timedelta(days=NEW_DAYS, hours=hour + 4))
        local.run_local_job(
            bench.spark,
            "bronze_ingest",
            database,
            str(bench.warehouse),
            bench.specs,
            landing_uri=str(landing),
        )

    def query() -> None:
        bench.spark.sql(
            f"SELECT order_status, count(*), sum(size(items)) FROM {table} WHERE {day_filter} GROUP BY 1"
        ).collect()

    files_before = bench.spark.sql(
        f"SELECT count(*) AS n FROM {table}.files WHERE partition.order_date_day = DATE '{day:%Y-%m-%d}'"
    ).first()["n"]
    query_before = _best_of(query)
    local.run_local_job(
        bench.spark, "maintenance", database, str(bench.warehouse), bench.specs, tables="raw_orders"
    )
    files_after = bench.spark.sql(
        f"SELECT count(*) AS n FROM {table}.files WHERE partition.order_date_day = DATE '{day:%Y-%m-%d}'"
    ).first()["n"]
    return {
        "files_before": files_before,
        "files_after": files_after,
        "query_before": query_before,
        "query_after": _best_of(query),
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def render(results: list[dict[str, Any]], started: datetime, seconds: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        (
            f"Generated by `bench/run_benchmark.py` on {started:%Y-%m-%d} in {seconds:.0f} s: local Spark "
            f"`local[2]` on {os.cpu_count()} cores, Python {platform.python_version()}, PySpark 3.5.4, "
            "Iceberg 1.7.1, Hadoop catalog on local disk. Timings are wall-clock on a machine shared with "
            "other work; compare the ratios, not the seconds. Data: the deterministic sample generator."
        ),
        "",
        "| measure | " + " | ".join(f"scale {r['scale']}" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label: str, render_one: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(render_one(r) for r in results) + " |")

    row("orders per day (new day's orders)", lambda r: f"{r['daily_orders_1x']} / {r['daily_orders_10x']}")
    row(
        "history: 1x (10 days) / 10x (100 days) orders",
        lambda r: f"{r['history_orders_1x']} / {r['history_orders_10x']}",
    )
    row(
        f"daily incremental run, 1x history (s, median of {NEW_DAYS} days)",
        lambda r: f"{r['daily_seconds_1x']:.1f}",
    )
    row(
        f"daily incremental run, 10x history (s, median of {NEW_DAYS} days)",
        lambda r: f"{r['daily_seconds_10x']:.1f}",
    )
    row(
        "**daily run time, 10x / 1x history**",
        lambda r: f"**{_ratio(r['daily_seconds_10x'], r['daily_seconds_1x'])}**",
    )
    row("full history load, 10x (s)", lambda r: f"{r['history_seconds_10x']:.1f}")
    row("7-day query: files planned / full scan", lambda r: f"{r['scan_7d'][0]} / {r['scan_full'][0]}")
    row("7-day query: bytes planned / full scan", lambda r: f"{r['scan_7d'][1]} / {r['scan_full'][1]}")
    row("**7-day query, files ratio**", lambda r: f"**{_ratio(r['scan_7d'][0], r['scan_full'][0])}**")
    row("**7-day query, bytes ratio**", lambda r: f"**{_ratio(r['scan_7d'][1], r['scan_full'][1])}**")
    row(
        f"raw_orders files of one day, {HOURLY_BATCHES} hourly landings: before / after compaction",
        lambda r: f"{r['files_before']} / {r['files_after']}",
    )
    row("**files after / before compaction**", lambda r: f"**{_ratio(r['files_after'], r['files_before'])}**")
    row(
        "query of that day before / after compaction (s, best of 3)",
        lambda r: f"{r['query_before']:.2f} / {r['query_after']:.2f}",
    )
    row(
        "**query time after / before compaction**",
        lambda r: f"**{_ratio(r['query_after'], r['query_before'])}**",
    )
    row(
        "orders: landing JSON bytes / raw_orders Parquet bytes (files)",
        lambda r: f"{r['json_bytes']} / {r['parquet_bytes']} ({r['parquet_files']})",
    )
    row(
        "**Parquet+zstd size / JSON size, as stored**",
        lambda r: f"**{_ratio(r['parquet_bytes'], r['json_bytes'])}**",
    )
    row("same rows in one zstd Parquet file (bytes)", lambda r: f"{r['probe_bytes']}")
    row(
        "**Parquet+zstd size / JSON size, one file**",
        lambda r: f"**{_ratio(r['probe_bytes'], r['json_bytes'])}**",
    )
    lines += [
        "",
        (
            "How each is measured: the daily run is bronze -> silver_orders -> silver_customers -> gold for "
            "one new landing batch (same size at 1x and 10x), after the whole history was loaded by the same "
            "jobs; files and bytes planned are the data files Iceberg's scan planning keeps for "
            "`order_date >= <7 days before the last day>` (partition and column-statistics pruning) vs no "
            "filter; compaction is the maintenance job (rewrite_data_files, rewrite_manifests, "
            "expire_snapshots, remove_orphan_files) on raw_orders; storage compares the landing JSON lines "
            "of the history orders with the Parquet files bronze wrote for them (one small file per day and "
            "status partition at these volumes, so per-file overhead dominates) and with the same rows "
            "rewritten as one file."
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.5, 2.0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    logging.basicConfig(level=logging.WARNING)
    started, clock = datetime.now(UTC), time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lakehouse-bench-") as tmp:
        spark = local.create_local_session(Path(tmp) / "warehouse")
        spark.sparkContext.setLogLevel("ERROR")
        bench = Bench(spark, local.load_table_specs(), Path(tmp))
        warm_up = Path(tmp) / "warm_up"
        _land(warm_up, generate(SampleConfig(seed=1, scale=0.01, days=3)), datetime(2024, 1, 4, tzinfo=UTC))
        bench.pipeline(bench.database("warm_up"), warm_up)  # the JVM's first runs are slow: not measured
        results = [run_scale(bench, scale, args.seed) for scale in args.scales]
        spark.stop()
    args.out.write_text(render(results, started, time.monotonic() - clock), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
