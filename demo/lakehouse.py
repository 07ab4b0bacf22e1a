"""The local lakehouse the demo drives: a quiet local Spark, the jobs run through the entry scripts Glue
runs (`jobs/<job>.py`, with the arguments Glue passes), and the facts the report gives about tables."""

from __future__ import annotations

import logging
import os
import re
import runpy
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from lakehouse_jobs import local

from . import REPO

JOBS_DIR = REPO / "jobs"
_SUMMARY = re.compile(r"^[a-z_]+ (ok|FAILED)\b")


@contextmanager
def process_output_to(log_file: Path) -> Iterator[None]:
    """Points this process's stdout and stderr at `log_file` meanwhile. The JVM that Spark starts
    inherits them, so its start-up warnings and later log lines go to the file, not over the progress."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_file, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, original in zip((1, 2), saved, strict=True):
            os.dup2(original, fd)
            os.close(original)


# The benchmark's heap (bench/run_benchmark.py --driver-memory). At `--scale 360 --days 100` (2 million
# orders in the first run) silver_orders' cached increment runs out of local.py's 2g default; a Glue
# G.1X worker has 16 GB. The heap is claimed as it is used, so small scales cost nothing more.
DRIVER_MEMORY = "6g"


def start_spark(warehouse: Path, spark_log: Path) -> SparkSession:
    # PySpark turns timestamps into naive datetimes in the process's time zone: make that UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    with process_output_to(spark_log):
        spark = local.create_local_session(warehouse, driver_memory=DRIVER_MEMORY)
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class _SummaryLines(logging.Handler):
    """Passes on the one line each job ends with (`silver_orders ok: in=... (7.8 s)`)."""

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.show = show

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _SUMMARY.match(message):
            self.show(message)


def log_jobs(jobs_log: Path, show: Callable[[str], None]) -> None:
    """Every job log line to `jobs_log`; each job's summary line to `show`. Set before a job runs, so
    the entry script's `logging.basicConfig` (stdout, for Glue's log) leaves this in place."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    file_handler = logging.FileHandler(jobs_log, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(file_handler)
    root.setLevel(logging.INFO)
    logging.getLogger("py4j").setLevel(logging.WARNING)
    logging.getLogger("lakehouse_jobs").addHandler(_SummaryLines(show))


def run_entry_script(job: str, argv: list[str]) -> None:
    """Runs `jobs/<job>.py` as Glue does: as `__main__`, with `argv` as its command line. The script's
    `SparkSession.builder.getOrCreate()` returns the local session already running."""
    script = JOBS_DIR / f"{job}.py"
    saved = sys.argv
    sys.argv = [str(script), *argv]
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = saved


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: int
    at: str  # committed (snapshots) or made main's (main_history); UTC, as Spark prints it


@dataclass
class LocalLakehouse:
    spark: SparkSession
    specs: Mapping[str, Any]
    database: str
    warehouse: Path

    def table(self, name: str) -> str:
        return f"{self.specs['catalog']}.{self.database}.{name}"

    def create_tables(self) -> list[str]:
        local.create_tables(self.spark, self.specs, self.database)
        return [t["name"] for t in self.specs["tables"]]

    def run_job(self, job: str, **parameters: object) -> None:
        argv = local.job_arguments(job, self.database, str(self.warehouse), self.specs, **parameters)
        run_entry_script(job, argv)

    def scalar(self, sql: str) -> Any:
        return self.spark.sql(sql).first()[0]

    def rows(self, name: str, snapshot_id: int | None = None) -> int:
        as_of = "" if snapshot_id is None else f" VERSION AS OF {snapshot_id}"
        return self.scalar(f"SELECT count(*) FROM {self.table(name)}{as_of}")

    def snapshots(self, name: str) -> list[Snapshot]:
        rows = self.spark.sql(
            f"SELECT snapshot_id, date_format(committed_at, 'yyyy-MM-dd HH:mm:ss.SSS') AS at "
            f"FROM {self.table(name)}.snapshots ORDER BY committed_at"
        ).collect()
        return [Snapshot(r.snapshot_id, r.at) for r in rows]

    def main_history(self, name: str) -> list[Snapshot]:
        """Main's snapshots in the order they became main's, with that time. With write-audit-publish a
        snapshot is committed on an audit branch and published later (and a table's first audit branch
        starts at an empty snapshot main never had); time travel by timestamp follows this history,
        what readers saw."""
        rows = self.spark.sql(
            f"SELECT snapshot_id, date_format(made_current_at, 'yyyy-MM-dd HH:mm:ss.SSS') AS at "
            f"FROM {self.table(name)}.history ORDER BY made_current_at"
        ).collect()
        return [Snapshot(r.snapshot_id, r.at) for r in rows]

    def data_files(self, name: str) -> set[str]:
        return {
            r.file_path for r in self.spark.sql(f"SELECT file_path FROM {self.table(name)}.files").collect()
        }

    def spec_ids(self, name: str) -> dict[int, int]:
        """Data files per partition spec id."""
        rows = self.spark.sql(
            f"SELECT spec_id, count(*) AS n FROM {self.table(name)}.files GROUP BY spec_id"
        ).collect()
        return {r.spec_id: r.n for r in rows}

    def metadata_file(self, name: str) -> str:
        """The table's current metadata JSON (what Glue's `metadata_location` points at on AWS)."""
        latest = self.spark.sql(
            f"SELECT file FROM {self.table(name)}.metadata_log_entries ORDER BY timestamp DESC LIMIT 1"
        ).first()
        return latest.file.removeprefix("file:")

    def facts(self, name: str) -> dict[str, int]:
        files = self.spark.sql(
            f"SELECT count(*) AS n, coalesce(sum(file_size_in_bytes), 0) AS b FROM {self.table(name)}.files"
        ).first()
        return {
            "rows": self.rows(name),
            "snapshots": len(self.snapshots(name)),
            "dataFiles": files.n,
            "bytes": files.b,
        }
