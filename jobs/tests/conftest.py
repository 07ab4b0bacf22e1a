"""One local Spark for the whole suite (start-up is the slow part); a fresh database per lake."""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from lakehouse_jobs import local
from lakehouse_jobs.publication import PUBLISHED_TABLES
from lakehouse_jobs.report import JobReport
from lakehouse_jobs.sample_data import landing_batch_name, write_landing
from lakehouse_jobs.snapshots import Lakehouse, current_snapshot_id

# PySpark turns timestamps into naive Python datetimes in the process's time zone: make that UTC.
os.environ["TZ"] = "UTC"
time.tzset()
_databases = itertools.count(1)


class Lake:
    """A database with every declared table, a landing folder, and the jobs run as Glue runs them."""

    def __init__(self, spark: SparkSession, specs: dict[str, Any], warehouse: Path, landing: Path) -> None:
        self.spark, self.specs, self.warehouse, self.landing = spark, specs, warehouse, landing
        self.database = f"test_{next(_databases)}"
        # The checks' clock (--as-of): the latest landing, so the fixed dates of these scenarios are fresh.
        self.latest_landing: datetime | None = None
        local.create_tables(spark, specs, self.database)

    def table(self, name: str) -> str:
        return f"glue_catalog.{self.database}.{name}"

    @property
    def lakehouse(self) -> Lakehouse:
        return Lakehouse("glue_catalog", self.database, {})

    def land(
        self, entity: str, records: list[dict[str, Any]], landed_at: datetime, name: str = "part-00000.json"
    ) -> Path:
        self._landed(landed_at)
        return write_landing(self.landing, entity, records, landed_at, name)

    def _landed(self, landed_at: datetime) -> None:
        self.latest_landing = max(landed_at, self.latest_landing or landed_at)

    def land_lines(
        self, entity: str, lines: list[str], landed_at: datetime, name: str = "part-00000.json"
    ) -> Path:
        """A landing file of exactly these lines, as a source might send them."""
        self._landed(landed_at)
        folder = self.landing / entity / landing_batch_name(landed_at)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return path

    def run_pipeline(self, run_id: str | None = None, **shares: float) -> dict[str, JobReport]:
        """bronze -> silver orders -> silver customers -> gold as one run (`run_id`, default a new one);
        `shares`: --max-bad-record-share by job."""
        reports, run_id = {}, run_id or local.new_run_id()
        for job in local.PIPELINE:
            share = {"max_bad_record_share": shares[job]} if job in shares else {}
            reports[job] = self.run(job, run_id=run_id, **share)
        return reports

    def state(self) -> dict[str, tuple[int | None, list[tuple]]]:
        """Every table's current snapshot and rows: equal before and after a run that changes nothing.
        quality_results is left out: it is the log of every run's checks."""
        return {
            t["name"]: (current_snapshot_id(self.spark, self.table(t["name"])), self.rows(t["name"], ["*"]))
            for t in self.specs["tables"]
            if t["name"] != "quality_results"
        }

    def run(self, job: str, **parameters: object) -> JobReport:
        if job == "bronze_ingest":
            parameters.setdefault("landing_uri", str(self.landing))
        if job in PUBLISHED_TABLES and self.latest_landing is not None:
            parameters.setdefault("as_of", f"{self.latest_landing:%Y-%m-%dT%H:%M:%SZ}")
        return local.run_local_job(
            self.spark, job, self.database, str(self.warehouse), self.specs, **parameters
        )

    def rows(
        self, table: str, columns: Sequence[str], where: str = "true", version: int | None = None
    ) -> list[tuple]:
        """The rows of `table` (optionally as of a snapshot), as sorted tuples of `columns`."""
        as_of = f" VERSION AS OF {version}" if version is not None else ""
        query = f"SELECT {', '.join(columns)} FROM {self.table(table)}{as_of} WHERE {where}"
        return sorted((tuple(r) for r in self.spark.sql(query).collect()), key=repr)

    def main_snapshot(self, table: str) -> int | None:
        """The snapshot readers see (a run's audit branch and its snapshots are not it)."""
        return current_snapshot_id(self.spark, self.table(table))

    def snapshots(self, table: str) -> list[Any]:
        return self.spark.sql(
            f"SELECT snapshot_id, committed_at, operation, summary FROM {self.table(table)}.snapshots ORDER BY committed_at"
        ).collect()


# The suite's one session runs the same job queries in scenario after scenario, and Spark compiles a
# query's generated code again once its class cache (100 entries) has dropped it. test_pipeline,
# test_first_load_appends and test_version_order, back to back: 4,736 compiles and 327 s with the
# default, 1,093 compiles and 315 s with 5,000 entries (seconds from one pair of runs: within noise).
# A Glue job is its own JVM, so this changes how often the suite compiles, not what any job runs.
_TEST_SETTINGS = {"spark.sql.codegen.cache.maxEntries": "5000"}


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = local.create_local_session(tmp_path_factory.mktemp("warehouse"), extra_settings=_TEST_SETTINGS)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def specs() -> dict[str, Any]:
    return local.load_table_specs()


@pytest.fixture
def lake(spark: SparkSession, specs: dict[str, Any], tmp_path: Path) -> Lake:
    warehouse = Path(spark.conf.get("spark.sql.catalog.glue_catalog.warehouse"))
    return Lake(spark, specs, warehouse, tmp_path / "landing")


@pytest.fixture(scope="module")
def module_lake(spark: SparkSession, specs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Lake:
    warehouse = Path(spark.conf.get("spark.sql.catalog.glue_catalog.warehouse"))
    return Lake(spark, specs, warehouse, tmp_path_factory.mktemp("landing"))
