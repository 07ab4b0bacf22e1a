"""What a job sets in its Spark session before it reads anything (entry.run_job)."""

from __future__ import annotations

from pyspark.sql import SparkSession

from lakehouse_jobs.entry import CACHE_COMPRESSION

from .conftest import Lake


def test_a_job_caches_its_batches_uncompressed(spark: SparkSession, lake: Lake) -> None:
    spark.conf.set(CACHE_COMPRESSION, "true")  # Spark's default
    try:
        lake.run("gold_daily_metrics")
        assert spark.conf.get(CACHE_COMPRESSION) == "false"
    finally:
        spark.conf.unset(CACHE_COMPRESSION)
