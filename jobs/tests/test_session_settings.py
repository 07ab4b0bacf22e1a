"""What a job sets in its Spark session before it reads anything (entry.run_job), and what the local
session sets (local.create_local_session)."""

from __future__ import annotations

import stat
from pathlib import Path

from py4j.java_gateway import JavaObject
from pyspark.sql import SparkSession

from lakehouse_jobs.entry import CACHE_COMPRESSION
from lakehouse_jobs.java_names import PYSPARK_CLASSES
from lakehouse_jobs.local import BARE_LOCAL_FS

from .conftest import Lake


def test_a_job_caches_its_batches_uncompressed(spark: SparkSession, lake: Lake) -> None:
    spark.conf.set(CACHE_COMPRESSION, "true")  # Spark's default
    try:
        lake.run("gold_daily_metrics")
        assert spark.conf.get(CACHE_COMPRESSION) == "false"
    finally:
        spark.conf.unset(CACHE_COMPRESSION)


def _jvm_view(spark: SparkSession) -> JavaObject:
    """The JVM side of py4j's default view, the one PySpark resolves bare class names in (py4j binds its
    server as GATEWAY_SERVER)."""
    server = JavaObject("GATEWAY_SERVER", spark._jvm._gateway_client)
    return server.getGateway().getDefaultJVMView()


def test_a_job_imports_the_classes_pyspark_looks_up_most_by_their_full_names(
    spark: SparkSession, lake: Lake
) -> None:
    view = _jvm_view(spark)
    for name in PYSPARK_CLASSES:
        view.removeSingleImport(name)
    assert not set(PYSPARK_CLASSES) & set(view.getSingleImportsMap().values())
    lake.run("gold_daily_metrics")
    imported = dict(view.getSingleImportsMap())
    assert {imported[name.rsplit(".", 1)[1]] for name in PYSPARK_CLASSES} == set(PYSPARK_CLASSES)
    # The bare name resolves to the class it resolved to through PySpark's wildcard imports.
    assert [getattr(spark._jvm, name.rsplit(".", 1)[1])._fqn for name in PYSPARK_CLASSES] == list(
        PYSPARK_CLASSES
    )


def test_the_local_session_sets_file_permissions_through_java_not_chmod(
    spark: SparkSession, tmp_path: Path
) -> None:
    """Hadoop's local file system with the permissions set through java.nio (local.BARE_LOCAL_FS): the
    same permissions Hadoop's `chmod` would set (0666 less Hadoop's default umask, 022), the same
    checksum file beside it."""
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = spark._jvm.org.apache.hadoop.fs.Path(str(tmp_path / "part.parquet"))
    file_system = path.getFileSystem(conf)
    assert file_system.getClass().getName() == BARE_LOCAL_FS
    file_system.create(path).close()
    assert stat.S_IMODE((tmp_path / "part.parquet").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [".part.parquet.crc", "part.parquet"]
