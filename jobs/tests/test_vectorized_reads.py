"""The JVM crash at volume, reproduced on small data and guarded (vectorized_reads.py).

A data file with more rows than one vectorized batch (5,000) and a dictionary-encoded column: under
Spark 3.5.4 with Iceberg 1.7.1 the vectorized reader reads batch 2 from vectors Spark freed after batch
1. The test session checks Arrow's bounds (local.ARROW_BOUNDS_CHECKS), so that read throws instead of
corrupting memory; with the jobs' guard the same file reads back exactly.
"""

from __future__ import annotations

import pytest
from py4j.protocol import Py4JJavaError
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from lakehouse_jobs.vectorized_reads import SESSION_SETTING, VectorSafety, guard_vectorized_reads

from .conftest import Lake

ROWS = 5_001  # one more than a vectorized batch


def test_only_the_unsafe_pair_turns_vectorized_reads_off() -> None:
    assert not VectorSafety(spark_frees_vectors=True, iceberg_keeps_vectors=False).vectorized_reads_are_safe
    assert VectorSafety(spark_frees_vectors=True, iceberg_keeps_vectors=True).vectorized_reads_are_safe
    assert VectorSafety(spark_frees_vectors=False, iceberg_keeps_vectors=False).vectorized_reads_are_safe


def test_the_local_spark_and_iceberg_are_the_unsafe_pair(spark: SparkSession) -> None:
    jvm = spark.sparkContext._jvm
    assert (spark.version, jvm.org.apache.iceberg.IcebergBuild.version()) == ("3.5.4", "1.7.1")
    safety = guard_vectorized_reads(spark)
    assert safety == VectorSafety(spark_frees_vectors=True, iceberg_keeps_vectors=False)
    assert spark.conf.get(SESSION_SETTING) == "false"
    assert jvm.java.lang.System.getProperty("arrow.enable_unsafe_memory_access") == "false"


def test_a_file_of_more_than_one_batch_reads_back_exactly(spark: SparkSession, lake: Lake) -> None:
    table = lake.table("vector_probe")
    spark.sql(f"CREATE TABLE {table} (v string) USING iceberg")
    values = F.array(F.lit("a"), F.lit("b"), F.lit("c"))
    rows = spark.range(ROWS).select(F.element_at(values, (F.col("id") % 3 + 1).cast("int")).alias("v"))
    rows.coalesce(1).writeTo(table).append()
    assert spark.sql(f"SELECT count(*) FROM {table}.files").first()[0] == 1

    def counts() -> dict[str, int]:
        return {r.v: r["count"] for r in spark.table(table).groupBy("v").count().collect()}

    spark.conf.set(SESSION_SETTING, "true")  # Iceberg 1.7.1's default: what crashed the JVM
    try:
        with pytest.raises(Py4JJavaError) as error:
            counts()
        assert "IndexOutOfBoundsException" in str(error.value.java_exception)
    finally:
        guard_vectorized_reads(spark)
    assert counts() == {"a": 1667, "b": 1667, "c": 1667}
