"""Java classes named from Python, found by py4j without a search of every jar on the class path.

py4j resolves a bare name, such as the `jvm.functions` behind every `pyspark.sql.functions` call, by trying
it in each package PySpark imports with a wildcard, in turn, until one holds the class. A full name
(`jvm.org.apache.iceberg...`) is resolved one part at a time, each part tried as a class first. Every miss
is a class loader's search of every jar on the class path (Spark has 252). One daily pipeline run of the
tests (four jobs) made about 3,900 such lookups, 1,572 of them `functions`, and a JVM profile of the
tests' pipeline runs found 12 % of the JVM's samples in them. A class imported by its full name is found
at once: `F.col` took 0.6 ms, not 1.6.
"""

from __future__ import annotations

from py4j.java_gateway import JavaClass, java_import
from pyspark.sql import SparkSession

# The bare names PySpark looks up most (in that daily run: functions 1,572, PythonUtils 475, SparkSession
# 157, Column 38). Each is a class in a package PySpark imports with a wildcard, so importing it by name
# changes nothing it resolves to (test_session_settings.py asserts so).
PYSPARK_CLASSES = (
    "org.apache.spark.sql.functions",
    "org.apache.spark.api.python.PythonUtils",
    "org.apache.spark.sql.SparkSession",
    "org.apache.spark.sql.Column",
)


def import_pyspark_classes(spark: SparkSession) -> None:
    """Imports PYSPARK_CLASSES by name into the JVM view PySpark resolves its names in."""
    for name in PYSPARK_CLASSES:
        java_import(spark.sparkContext._jvm, name)


def java_class(spark: SparkSession, name: str) -> JavaClass:
    """The Java class of full name `name`, for calls to its static methods, with no lookup by py4j (the
    class is loaded when a method of it is first called)."""
    return JavaClass(name, spark.sparkContext._jvm._gateway_client)
