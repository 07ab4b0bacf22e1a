"""bench/RESULTS.md from the measured figures: each measure against the goal the issue states."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

HOW_MEASURED = """
How each is measured. The history is one landing batch (customers, products, one orders file a day)
loaded by the pipeline's jobs; its throughput is orders per second of the whole pipeline (bronze, silver
orders, silver customers, gold), and the floor is plain Spark reading the same orders JSON with the raw
table's types (timestamps as instants, as bronze reads them) and writing it once as zstd Parquet, in the
same run. A daily run is the four jobs on one
day's batch, the same shape at 1x and 10x: the day's new orders, status changes of 10 % of the last
three history days' orders, new versions of 0.1 % of the customers. Bytes read are every job's Iceberg
scan figures (data files planned after partition and statistics pruning, the jobs' summary lines:
cost_metrics.py) plus the landing files bronze read; files written are the data files the jobs' commits
added. The 7-day query is Iceberg's scan planning for `order_date >= <7 days before the last day>`.
Storage compares raw_orders' data files, after the maintenance job, with every orders JSON file landed.
Compaction: one day's new orders landed in 24 hourly batches (one bronze run each), then the maintenance
job on raw_orders; the day's query is then timed in turns as of the snapshot before the job (the same
24 files, by time travel) and as compacted, best of 5 each, so a burst of machine load falls on both.
The read-path cost compares one aggregation over curated_orders read by Iceberg's
vectorized reader (one batch per file, so no vector is reused) and row by row, as the jobs read under
the guard.
"""


def ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _goal(value: float | None, limit: float, at_most: bool) -> str:
    if value is None:
        return "n/a"
    met = value <= limit if at_most else value >= limit
    return f"{'met' if met else 'NOT met'} ({'<=' if at_most else '>='} {limit})"


def render(
    results: list[dict[str, Any]],
    started: datetime,
    seconds: float,
    machine: str,
    command: str,
    specs: dict[str, Any],
) -> str:
    head = " | ".join(f"scale {r['scale']:g} ({r['daily_orders_1x']} orders a day)" for r in results)
    lines = [
        "# Benchmark results",
        "",
        (
            f"Command: `.venv/bin/python {command}` (started {started:%Y-%m-%d %H:%M} UTC, took "
            f"{seconds / 60:.0f} min). Machine: {machine}, shared with other work. Local Spark "
            "`local[2]`, PySpark 3.5.4, Iceberg 1.7.1 (vectorized Parquet reads off: "
            "jobs/lakehouse_jobs/vectorized_reads.py), Hadoop catalog on local disk; the jobs run with the "
            f"{specs['stack']} stack's parameters (its contract, build/table-specs.json). Seconds move "
            "with the machine; files and bytes do not."
        ),
        "",
        f"| measure | {head} | goal |",
        "|---|" + "---|" * len(results) + "---|",
    ]

    def row(label: str, one: Callable[[dict[str, Any]], str], goal: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(one(r) for r in results) + f" | {goal} |")

    def goal_row(
        label: str, value: Callable[[dict[str, Any]], float | None], limit: float, at_most: bool
    ) -> None:
        lines.append(
            f"| **{label}** | "
            + " | ".join(f"**{_fmt(value(r))}** {_goal(value(r), limit, at_most)}" for r in results)
            + f" | {'<=' if at_most else '>='} {limit} |"
        )

    row(
        "history orders, 1x (10 days) / 10x (100 days)",
        lambda r: f"{r['history_orders_1x']} / {r['history_orders_10x']}",
    )
    row("daily batch: new orders + status changes", lambda r: f"{r['daily_orders_10x']}")
    row("history load, 10x: whole pipeline (s)", lambda r: f"{r['history_seconds_10x']:.0f}")
    row(
        "history load, 10x: s per job (bronze, silver orders, silver customers, gold)",
        lambda r: ", ".join(f"{v:.0f}" for v in r["history_jobs_10x"].values()),
    )
    row(
        "history load, 10x (rows/s) / floor: plain Spark JSON -> Parquet (rows/s)",
        lambda r: (
            f"{r['history_orders_10x'] / r['history_seconds_10x']:.0f} / {r['floor_rows_per_second']:.0f}"
        ),
    )
    goal_row(
        "history load throughput / floor",
        lambda r: ratio(r["history_orders_10x"] / r["history_seconds_10x"], r["floor_rows_per_second"]),
        0.25,
        False,
    )

    def bronze_rate(r: dict[str, Any]) -> float:
        return r["history_orders_10x"] / r["history_jobs_10x"]["bronze_ingest"]

    row(
        "history load, 10x: bronze alone, the floor's work plus its checks (orders/s) / floor",
        lambda r: (
            f"{bronze_rate(r):.0f} / {r['floor_rows_per_second']:.0f} = "
            f"{_fmt(ratio(bronze_rate(r), r['floor_rows_per_second']))}"
        ),
    )
    row(
        "daily run: bytes read, 1x / 10x (median of 3)",
        lambda r: f"{r['daily_bytes_read_1x']:.0f} / {r['daily_bytes_read_10x']:.0f}",
    )
    goal_row(
        "daily run bytes read, 10x / 1x",
        lambda r: ratio(r["daily_bytes_read_10x"], r["daily_bytes_read_1x"]),
        1.2,
        True,
    )
    row(
        "daily run: files written, 1x / 10x (median of 3)",
        lambda r: f"{r['daily_files_written_1x']:.0f} / {r['daily_files_written_10x']:.0f}",
    )
    row(
        "daily run: s, 1x / 10x (median of 3)",
        lambda r: f"{r['daily_seconds_1x']:.0f} / {r['daily_seconds_10x']:.0f}",
    )
    goal_row(
        "daily run time, 10x / 1x", lambda r: ratio(r["daily_seconds_10x"], r["daily_seconds_1x"]), 1.3, True
    )
    row(
        "raw_orders as stored after maintenance / landing orders JSON (bytes)",
        lambda r: f"{r['raw_orders_bytes']} / {r['landing_orders_bytes']} ({r['raw_orders_files']} files)",
    )
    goal_row(
        "storage as stored / landing JSON",
        lambda r: ratio(r["raw_orders_bytes"], r["landing_orders_bytes"]),
        0.20,
        True,
    )
    row(
        "a day of 24 hourly landings, raw_orders files: before / after compaction",
        lambda r: f"{r['files_before']} / {r['files_after']}",
    )
    goal_row(
        "files before / after compaction", lambda r: ratio(r["files_before"], r["files_after"]), 10, False
    )
    row(
        "that day's query (s, best of 5): before / after compaction",
        lambda r: f"{r['query_before']:.2f} / {r['query_after']:.2f}",
    )
    goal_row(
        "query time after / before compaction",
        lambda r: ratio(r["query_after"], r["query_before"]),
        0.5,
        True,
    )
    row(
        "7-day query of curated_orders: files planned / full scan",
        lambda r: f"{r['scan_7d'][0]} / {r['scan_full'][0]}",
    )
    row(
        "7-day query of curated_orders: bytes planned / full scan",
        lambda r: f"{r['scan_7d'][1]} / {r['scan_full'][1]}",
    )
    row(
        "**7-day query, bytes planned / full scan**",
        lambda r: f"**{_fmt(ratio(r['scan_7d'][1], r['scan_full'][1]), 3)}**",
    )
    row(
        "full scan of curated_orders, 10x (s, best of 3): vectorized / row by row",
        lambda r: f"{r['scan_vectorized']:.1f} / {r['scan_row_based']:.1f}",
    )
    row(
        "**cost of row-by-row Parquet reads (the crash guard)**",
        lambda r: f"**{_fmt(ratio(r['scan_row_based'], r['scan_vectorized']))}x**",
    )
    lines += [
        "",
        " ".join(HOW_MEASURED.split()),
        "",
        *_bytes_by_table(results),
    ]
    return "\n".join(lines)


def _bytes_by_table(results: list[dict[str, Any]]) -> list[str]:
    """Where a daily run's bytes read go, 1x against 10x (the last daily run of each)."""
    lines = []
    for r in results:
        one, ten = r["daily_bytes_by_table_1x"], r["daily_bytes_by_table_10x"]
        lines += [
            (
                f"Bytes read by the last daily run, per table, scale {r['scale']:g} "
                "(`(checks)`: the table's quality checks):"
            ),
            "",
            "| table | 1x | 10x | 10x - 1x |",
            "|---|---|---|---|",
        ]
        for table in sorted(set(one) | set(ten), key=lambda t: -ten.get(t, 0)):
            a, b = one.get(table, 0), ten.get(table, 0)
            lines.append(f"| {table} | {a} | {b} | {b - a} |")
        lines.append("")
    return lines
