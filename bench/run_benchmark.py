"""Lakehouse benchmark at volume on the local Spark (not a test): writes bench/RESULTS.md.

For each scale (orders a day = 5000 * scale / 90: 360 is 20,000 a day, 1 the seed's 55), the jobs run
with the chosen stack's parameters (its contract, scripts/export-table-specs.ts) on generated data:
1. history load: 10 days (1x) and 100 days (10x) through bronze -> silver -> gold, against a floor
   measured in the same run: plain Spark reading the same landing JSON and writing it once as Parquet;
2. daily runs: three days after each history, each a day's new orders plus status changes of 10 % of
   the last three days' orders and new versions of 0.1 % of the customers; bytes read (Iceberg's scan
   figures plus the landing files), files written and time, 10x against 1x;
3. on the 10x history: a 7-day query's planned files and bytes against a full scan; raw_orders as
   stored after maintenance against the landing JSON; a day of hourly landings compacted by the
   maintenance job (files, query time); the cost of reading Parquet row by row instead of vectorized.

Usage: .venv/bin/python bench/run_benchmark.py [--scales 1 360] [--stack dev] [--out bench/RESULTS.md]
Run it in the background on a shared machine (`nohup ... > build/bench.log &`): at 360 it takes an hour
or more. Seconds move with the machine; files and bytes do not.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "jobs"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measures import Lake, best_of_in_turns, floor_rows_per_second, median, scan_seconds
from render import render
from volume_data import Volume

from lakehouse_jobs import local
from lakehouse_jobs.snapshots import current_snapshot_id

REPO = Path(__file__).resolve().parents[1]
DAILY_RUNS = 3
HOURLY_BATCHES = 24
LOG = logging.getLogger("bench")


def say(message: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {message}", flush=True)


def history_and_days(spark, specs, root: Path, volume: Volume, label: str) -> tuple[Lake, dict[str, Any]]:
    name = f"s{str(volume.scale).replace('.', '_')}_{label}"
    lake = Lake(spark, specs, name, root / name)
    dims = volume.dims()
    landed = volume.land_history(lake.landing, dims)
    say(f"{name}: {landed.orders} history orders landed ({landed.order_json_bytes} bytes of JSON)")
    load = lake.pipeline()
    say(f"{name}: history loaded in {load.seconds:.0f} s {load.job_seconds}")
    result: dict[str, Any] = {"history_orders": landed.orders, "json_bytes": landed.order_json_bytes}
    result["history_seconds"], result["history_jobs"] = load.seconds, load.job_seconds
    runs = []
    for n in range(DAILY_RUNS):
        day = volume.land_day(lake.landing, dims, n)
        runs.append(lake.pipeline())
        result["daily_orders"] = day.orders
        say(f"{name}: day {n}: {runs[-1].seconds:.0f} s, {runs[-1].bytes_read} bytes read")
    result["daily_seconds"] = median([r.seconds for r in runs])
    result["daily_bytes_read"] = median([r.bytes_read for r in runs])
    result["daily_files_written"] = median([r.cost.files_written for r in runs])
    result["daily_runs"] = [(r.seconds, r.bytes_read, r.cost.files_written) for r in runs]
    result["daily_bytes_by_table"] = {t: c.bytes_read for t, c in runs[-1].by_table.items() if c.bytes_read}
    say(f"{name}: last day's bytes read by table: {result['daily_bytes_by_table']}")
    return lake, {**result, "dims": dims}


def tenfold_measures(spark, lake: Lake, volume: Volume, dims, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {}
    last_day = volume.history_landed_at + timedelta(days=DAILY_RUNS - 1)
    result["scan_7d"] = lake.planned("curated_orders", "order_date", last_day - timedelta(days=7))
    result["scan_full"] = lake.planned("curated_orders", "order_date", None)
    orders_folder = lake.landing / "orders"
    history_files = sorted(
        str(p) for p in orders_folder.glob(f"landed_at={volume.history_landed_at:%Y%m%dT%H%M%SZ}/*.json")
    )
    raw_orders = spark.table(lake.table("raw_orders")).schema
    result["floor_rows_per_second"] = floor_rows_per_second(spark, raw_orders, history_files, root / "floor")
    rows_per_file = spark.sql(f"SELECT max(record_count) FROM {lake.table('curated_orders')}.files").first()[
        0
    ]
    result["scan_vectorized"] = scan_seconds(spark, lake.table("curated_orders"), True, int(rows_per_file))
    result["scan_row_based"] = scan_seconds(spark, lake.table("curated_orders"), False, int(rows_per_file))

    # A day of hourly landings, then the maintenance job on raw_orders (the stack's settings).
    def ingest() -> None:
        # An hour is a 24th of the day the volume check's median was learned from: the stack's
        # expectation is of daily batches, so its failure here is accepted, and only it.
        lake.run(
            "bronze_ingest",
            landing_uri=str(lake.landing),
            max_bad_record_share=1,
            accept_failed_checks="raw_orders.volume",
        )

    hours = volume.land_hourly(lake.landing, dims, DAILY_RUNS, HOURLY_BATCHES, ingest)
    day = hours[0].date()
    # The files holding rows that landed that day: one per hourly bronze run (raw_orders is partitioned by
    # landing day), which compaction merges into the day's partition's files.
    bounds = "readable_metrics._ingestion_timestamp"
    where = f"{bounds}.upper_bound >= TIMESTAMP_NTZ '{day}' AND {bounds}.lower_bound < "
    where += f"TIMESTAMP_NTZ '{day + timedelta(days=1)}'"
    landed = f"_ingestion_timestamp >= TIMESTAMP_NTZ '{day}'"
    landed += f" AND _ingestion_timestamp < TIMESTAMP_NTZ '{day + timedelta(days=1)}'"

    def day_query(snapshot_id: int) -> Callable[[], Any]:
        """The day's query on raw_orders as of `snapshot_id`, planned and run anew each try: a DataFrame
        collected again reuses its finished shuffle stages and would time only the last step
        (measures.scan_seconds)."""
        sql = (
            f"SELECT order_status, count(*), sum(size(items)) FROM {lake.table('raw_orders')} "
            f"VERSION AS OF {snapshot_id} WHERE {landed} GROUP BY 1"
        )
        return lambda: spark.sql(sql).collect()

    result["files_before"], _ = lake.files("raw_orders", where)
    before = current_snapshot_id(spark, lake.table("raw_orders"))
    lake.run("maintenance", tables="raw_orders")
    result["files_after"], _ = lake.files("raw_orders", where)
    # Both timed after the maintenance job, in turns: the day as landed (the snapshot the job started
    # from, which the stack's snapshot retention keeps: the same 24 files) and as compacted.
    after = current_snapshot_id(spark, lake.table("raw_orders"))
    result["query_before"], result["query_after"] = best_of_in_turns([day_query(before), day_query(after)], 5)
    result["raw_orders_files"], result["raw_orders_bytes"] = lake.files("raw_orders")
    result["landing_orders_bytes"] = sum(p.stat().st_size for p in orders_folder.rglob("*.json"))
    return result


def run_scale(spark, specs, root: Path, scale: float) -> dict[str, Any]:
    result: dict[str, Any] = {"scale": scale}
    for label, days in (("1x", 10), ("10x", 100)):
        volume = Volume(scale, days)
        lake, measured = history_and_days(spark, specs, root, volume, label)
        dims = measured.pop("dims")
        result.update({f"{k}_{label}": v for k, v in measured.items()})
        if label == "10x":
            result.update(tenfold_measures(spark, lake, volume, dims, root))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 360.0])
    parser.add_argument("--stack", default="dev", help="the stack whose job parameters the jobs get")
    parser.add_argument("--dir", type=Path, default=REPO / "build" / "bench", help="warehouse and landing")
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    logging.basicConfig(level=logging.WARNING)
    started, clock = datetime.now(UTC), time.monotonic()
    shutil.rmtree(args.dir, ignore_errors=True)
    specs = local.export_table_specs(args.stack, REPO / "build" / f"table-specs-{args.stack}.json")
    spark = local.create_local_session(args.dir / "warehouse", driver_memory=args.driver_memory)
    spark.sparkContext.setLogLevel("ERROR")
    results = []
    for scale in args.scales:
        results.append(run_scale(spark, specs, args.dir, scale))
        say(f"scale {scale} done")
    spark.stop()
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    command = "bench/run_benchmark.py " + " ".join(sys.argv[1:])
    args.out.write_text(render(results, started, time.monotonic() - clock, machine, command, specs), "utf-8")
    say(f"wrote {args.out}")


if __name__ == "__main__":
    main()
