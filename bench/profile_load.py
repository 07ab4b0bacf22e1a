"""Where the history load's time goes (not a test): the benchmark's 10x load, profiled.

One history is landed and loaded by the pipeline (bronze -> silver -> gold) with Spark's event log on,
then the floor is measured in the same session (plain Spark writing the same landing JSON once as
Parquet, bench/measures.py). Each job's time is split by the place in the jobs' code that started each
Spark SQL execution (`first at .../bronze.py:68`, `append at ...`), and what is left is the driver's own
time (commits, listings, planning). Every figure is also given in floors: the seconds the floor took for
the same orders, so that the split reads the same on a faster or slower machine.

A warm-up history (`--warm-up-days`, 10 by default) is loaded first, as the benchmark loads its 1x
history before the 10x one, so that the profiled load runs in a warmed-up JVM as it does there.

Usage: .venv/bin/python bench/profile_load.py [--scale 360] [--days 100] [--dir build/profile]
At 360 and 100 days it takes 10 to 25 minutes on the 2-core machine and prints a table (also written to
`--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "jobs"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measures import Lake, floor_rows_per_second
from volume_data import Volume

from lakehouse_jobs import local

REPO = Path(__file__).resolve().parents[1]
SHOWN_PER_JOB = 8


def sql_executions(event_log: Path) -> list[tuple[float, float, str]]:
    """(start, end, where it was started) of every Spark SQL execution in the event log, in seconds."""
    started: dict[int, tuple[float, str]] = {}
    executions = []
    with event_log.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            kind = event["Event"].rsplit(".", 1)[-1]
            if kind == "SparkListenerSQLExecutionStart":
                site = call_site(event.get("description") or "", event.get("physicalPlanDescription") or "")
                started[event["executionId"]] = (event["time"] / 1000, site)
            elif kind == "SparkListenerSQLExecutionEnd" and event["executionId"] in started:
                begin, site = started.pop(event["executionId"])
                executions.append((begin, event["time"] / 1000, site))
    return executions


_ICEBERG_TABLE = re.compile(r"IcebergWrite\(table=[^,)]*\.([^.,)]+)[,)]")


def call_site(description: str, plan: str) -> str:
    """Where the jobs' code started an execution: `first at bronze.py:68` (Spark's call site, the
    folder left out). A write or a statement started inside the JVM (`append at
    NativeMethodAccessorImpl.java:0`, a MERGE's `sql at <unknown>:0`) is named by its plan's root and
    the table it writes: `append (AppendData raw_orders)`, `sql (ReplaceData curated_customers)`."""
    action, _, place = description.partition(" at ")
    if place and not place.startswith(("NativeMethodAccessorImpl", "<unknown>")):
        return f"{action} at {place.rsplit('/', 1)[-1]}"
    root = plan.split("\n")[1].split(" (", maxsplit=1)[0] if "\n" in plan else description[:60]
    table = _ICEBERG_TABLE.search(plan)
    return f"{action} ({root} {table.group(1)})" if table else f"{action} ({root})"


def busy_seconds(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by at least one of `spans` (executions can overlap)."""
    covered, end = 0.0, float("-inf")
    for begin, finish in sorted(spans):
        if finish > end:
            covered += finish - max(begin, end)
            end = finish
    return covered


def profile(executions, windows: dict[str, tuple[float, float]], floor_seconds: float) -> list[str]:
    def row(label: str, seconds: float) -> str:
        return f"| {label} | {seconds:.1f} | {seconds / floor_seconds:.2f} |"

    lines = ["| job, and where its time went | s | floors |", "|---|---|---|"]
    for job, (begin, end) in windows.items():
        inside = [(b, f, site) for b, f, site in executions if begin <= b < end]
        lines.append(row(f"**{job}**", end - begin))
        by_site: dict[str, float] = defaultdict(float)
        for b, f, site in inside:
            by_site[site] += f - b
        ranked = sorted(by_site.items(), key=lambda item: -item[1])
        lines.extend(row(site, taken) for site, taken in ranked[:SHOWN_PER_JOB])
        if len(ranked) > SHOWN_PER_JOB:
            others = ranked[SHOWN_PER_JOB:]
            lines.append(row(f"{len(others)} other places", sum(taken for _, taken in others)))
        driver = end - begin - busy_seconds([(b, f) for b, f, _ in inside])
        lines.append(row("driver only (no Spark execution running)", driver))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=360.0)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--warm-up-days", type=int, default=10, help="0: profile a cold JVM")
    parser.add_argument("--stack", default="dev", help="the stack whose job parameters the jobs get")
    parser.add_argument("--dir", type=Path, default=REPO / "build" / "profile")
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "profile-load.md")
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    shutil.rmtree(args.dir, ignore_errors=True)
    event_logs = args.dir / "event-log"
    event_logs.mkdir(parents=True)
    specs = local.export_table_specs(args.stack, REPO / "build" / f"table-specs-{args.stack}.json")
    settings = {"spark.eventLog.enabled": "true", "spark.eventLog.dir": event_logs.resolve().as_uri()}
    spark = local.create_local_session(args.dir / "warehouse", args.driver_memory, extra_settings=settings)
    spark.sparkContext.setLogLevel("ERROR")
    if args.warm_up_days:
        warm_up = Volume(args.scale, args.warm_up_days)
        lake = Lake(spark, specs, "warm_up", args.dir / "warm-up-landing")
        warm_up.land_history(lake.landing, warm_up.dims())
        print(f"warm-up load: {lake.pipeline().seconds:.0f} s", flush=True)
    volume = Volume(args.scale, args.days)
    lake = Lake(spark, specs, "profiled", args.dir / "landing")
    landed = volume.land_history(lake.landing, volume.dims())
    load = lake.pipeline()
    order_files = sorted(str(p) for p in (lake.landing / "orders").rglob("*.json"))
    raw_orders = spark.table(lake.table("raw_orders")).schema
    floor = floor_rows_per_second(spark, raw_orders, order_files, args.dir / "floor")
    spark.stop()
    floor_seconds = landed.orders / floor
    (event_log,) = event_logs.iterdir()
    summary = (
        f"History load of {landed.orders} orders ({args.days} days at scale {args.scale:g}): "
        f"{load.seconds:.0f} s; the floor: {floor_seconds:.1f} s ({floor:.0f} rows/s); "
        f"throughput / floor: {landed.orders / load.seconds / floor:.3f}."
    )
    header = [summary, ""]
    table = header + profile(sql_executions(event_log), load.job_windows, floor_seconds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(table) + "\n", "utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
