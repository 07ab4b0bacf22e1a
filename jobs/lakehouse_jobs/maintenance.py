"""maintenance: Iceberg's own procedures, one table at a time.

Per table, in this order (compaction first, so that expiry can drop the files it replaced once they are
old enough):
1. rewrite_data_files: small files towards --target-file-size-mb; sorted by the table's sort order when it
                       declares one (the `sort` strategy), else bin-packed. As Iceberg does after a partition
                       spec change: files of the current spec are compacted within their partitions, small
                       files written under an older spec are grouped together and rewritten into the
                       current spec; well-sized files of an older spec keep it (nothing forces a rewrite)
2. rewrite_manifests:  regroup manifests so planning reads fewer of them
3. expire_snapshots:   snapshots older than --snapshot-retention-days, always keeping the last
                       --snapshots-to-keep (time travel stays possible inside that window)
4. remove_orphan_files: files no snapshot references, older than --orphan-file-min-age-days (>= 3:
                       younger files can belong to writes in flight; the argument is refused below 3)
Tables run one after another: orphan removal concurrent with expiry on one table can fail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pyspark.sql import SparkSession

from .argument_values import MIN_ORPHAN_FILE_AGE_DAYS
from .arguments import MaintenanceArguments
from .report import JobReport
from .snapshots import Lakehouse

JOB = "maintenance"


def _timestamp(moment: datetime) -> str:
    return f"TIMESTAMP '{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}'"


def sort_order(spark: SparkSession, table: str) -> str | None:
    """The table's sort order as Iceberg's Spark catalog reports it (`customer_id ASC NULLS FIRST`), or
    None when the table is unsorted."""
    properties = {r.key: r.value for r in spark.sql(f"SHOW TBLPROPERTIES {table}").collect()}
    return properties.get("sort-order")


def files_by_spec(spark: SparkSession, table: str) -> str:
    """`0:5,1:2`: data files per partition spec id."""
    rows = spark.sql(
        f"SELECT spec_id, count(*) AS n FROM {table}.data_files GROUP BY spec_id ORDER BY spec_id"
    ).collect()
    return ",".join(f"{r.spec_id}:{r.n}" for r in rows) or "none"


def table_counts(spark: SparkSession, table: str) -> tuple[int, int]:
    """(data files, snapshots) of a table now."""
    files = spark.sql(f"SELECT count(*) AS n FROM {table}.data_files").first()["n"]
    snapshots = spark.sql(f"SELECT count(*) AS n FROM {table}.snapshots").first()["n"]
    return files, snapshots


def maintain_table(
    spark: SparkSession, lakehouse: Lakehouse, name: str, args: MaintenanceArguments, now: datetime
) -> dict[str, int | str]:
    orphan_age = args.orphan_file_min_age_days
    if orphan_age < MIN_ORPHAN_FILE_AGE_DAYS:  # parse_job_arguments refuses it too; never run below 3
        raise ValueError(
            f"[--orphan-file-min-age-days] must be >= {MIN_ORPHAN_FILE_AGE_DAYS}; got {orphan_age}"
        )
    table, target = lakehouse.procedure_table(name), lakehouse.table(name)
    files_before, snapshots_before = table_counts(spark, target)
    specs_before = files_by_spec(spark, target)
    target_bytes = args.target_file_size_mb * 1024 * 1024
    strategy = "sort" if sort_order(spark, target) else "binpack"  # sort: by the table's own sort order
    rewritten = spark.sql(
        f"CALL {lakehouse.procedure('rewrite_data_files')}(table => '{table}', strategy => '{strategy}', "
        f"options => map('target-file-size-bytes', '{target_bytes}'))"
    ).first()
    spark.sql(f"CALL {lakehouse.procedure('rewrite_manifests')}(table => '{table}')").collect()
    expired = spark.sql(
        f"CALL {lakehouse.procedure('expire_snapshots')}(table => '{table}', "
        f"older_than => {_timestamp(now - timedelta(days=args.snapshot_retention_days))}, "
        f"retain_last => {args.snapshots_to_keep})"
    ).first()
    orphans = spark.sql(
        f"CALL {lakehouse.procedure('remove_orphan_files')}(table => '{table}', "
        f"older_than => {_timestamp(now - timedelta(days=orphan_age))})"
    ).collect()
    files_after, snapshots_after = table_counts(spark, target)
    return {
        "files_before": files_before,
        "files_after": files_after,
        "rewritten_files": rewritten["rewritten_data_files_count"],
        "snapshots_before": snapshots_before,
        "snapshots_after": snapshots_after,
        "expired_data_files": expired["deleted_data_files_count"],
        "orphan_files_removed": len(orphans),
        "strategy": strategy,
        "files_by_spec_before": specs_before,
        "files_by_spec_after": files_by_spec(spark, target),
    }


def run(
    spark: SparkSession,
    args: MaintenanceArguments,
    report: JobReport,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options)
    names = args.tables or tuple(
        sorted(r.tableName for r in spark.sql(f"SHOW TABLES IN {args.catalog}.{args.database}").collect())
    )
    for name in names:
        counts = maintain_table(spark, lakehouse, name, args, clock())
        report.rows_in += int(counts["files_before"])
        report.rows_out += int(counts["files_after"])
        report.note(name, " ".join(f"{k}={v}" for k, v in counts.items()))
