"""Iceberg's vectorized Parquet reads, turned off where Spark frees their column vectors between batches.

Why (the JVM crash at volume, located in /work/shared/design/facts-spark-at-volume.md): Spark 3.5.4
(SPARK-50235) frees each batch's column vectors once its last row is read (`ColumnarToRowExec` calls
`ColumnVector.closeIfFreeable()`, which closes unless a vector overrides it). Iceberg's Arrow-backed
vectors reuse their buffers from one batch to the next and only override it from Iceberg 1.7.2
(apache/iceberg#11731). Under Spark 3.5.4 with Iceberg 1.7.1, Glue 5.0's versions, the second batch of
any data file with more rows than one batch (5,000) is written into freed memory: with Arrow's default
unchecked memory access that corrupts the native heap and the JVM dies later, wherever it next touches
it (the SIGSEGV seen at 16,000 orders); with Arrow's bounds checks on, the read throws
IndexOutOfBoundsException instead.

Both facts are read from the running classes, not from version strings, so an AWS build that carries
either fix keeps its vectorized reads. Where the pair is unsafe, the session setting
`spark.sql.iceberg.vectorization.enabled=false` makes Iceberg read Parquet row by row: correct at any
file size; what it costs is measured in bench/RESULTS.md. The jobs apply it before any read (entry.py),
and so does the local harness for the sessions it creates.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import SparkSession

SESSION_SETTING = "spark.sql.iceberg.vectorization.enabled"
SPARK_COLUMN_VECTOR = "org.apache.spark.sql.vectorized.ColumnVector"
ICEBERG_ARROW_VECTOR = "org.apache.iceberg.spark.data.vectorized.IcebergArrowColumnVector"
FREE_METHOD = "closeIfFreeable"


@dataclass(frozen=True)
class VectorSafety:
    spark_frees_vectors: bool  # Spark calls closeIfFreeable between batches (SPARK-50235)
    iceberg_keeps_vectors: bool  # Iceberg's Arrow vector overrides it (apache/iceberg#11731)

    @property
    def vectorized_reads_are_safe(self) -> bool:
        return not self.spark_frees_vectors or self.iceberg_keeps_vectors

    def describe(self) -> str:
        if self.vectorized_reads_are_safe:
            return "Iceberg vectorized Parquet reads kept (Spark and Iceberg agree on vector lifetimes)"
        return (
            "Iceberg vectorized Parquet reads off: this Spark frees column vectors between batches "
            "(SPARK-50235) and this Iceberg reuses them (fixed in 1.7.2, apache/iceberg#11731)"
        )


def _method_names(spark: SparkSession, class_name: str, declared: bool) -> set[str]:
    """Names of a JVM class's public (with inherited) or declared methods; empty when it is absent."""
    jvm = spark.sparkContext._jvm
    loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
    try:
        java_class = jvm.java.lang.Class.forName(class_name, False, loader)
    except Exception:  # py4j wraps the JVM's ClassNotFoundException
        return set()
    methods = java_class.getDeclaredMethods() if declared else java_class.getMethods()
    return {m.getName() for m in methods}


def vector_safety(spark: SparkSession) -> VectorSafety:
    return VectorSafety(
        spark_frees_vectors=FREE_METHOD in _method_names(spark, SPARK_COLUMN_VECTOR, declared=False),
        iceberg_keeps_vectors=FREE_METHOD in _method_names(spark, ICEBERG_ARROW_VECTOR, declared=True),
    )


def guard_vectorized_reads(spark: SparkSession) -> VectorSafety:
    """Turns Iceberg's vectorized Parquet reads off in this session when they are unsafe (see above)."""
    safety = vector_safety(spark)
    if not safety.vectorized_reads_are_safe:
        spark.conf.set(SESSION_SETTING, "false")
    return safety
