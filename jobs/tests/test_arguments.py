"""Job arguments as Glue passes them: parsed, validated, refused with the argument named."""

from __future__ import annotations

import pytest

from lakehouse_jobs.arguments import parse_job_arguments
from lakehouse_jobs.quarantine import bad_share_error

COMMON = [
    "--catalog",
    "glue_catalog",
    "--database",
    "ecommerce_lakehouse",
    "--warehouse",
    "s3://b/warehouse/",
]
GLUE_OWN = ["--JOB_NAME", "job-x", "--job-bookmark-option", "job-bookmark-disable", "--TempDir", "s3://t/"]
MAINTENANCE = [
    "--snapshot-retention-days", "7", "--snapshots-to-keep", "10",
    "--orphan-file-min-age-days", "3", "--target-file-size-mb", "128",
]  # fmt: skip


def test_glue_arguments_parse_and_glue_own_keys_are_ignored() -> None:
    args = parse_job_arguments("silver_orders", [*GLUE_OWN, *COMMON, "--max-bad-record-share", "0.05"])
    assert (args.catalog, args.database, args.warehouse, args.max_bad_record_share) == (
        "glue_catalog", "ecommerce_lakehouse", "s3://b/warehouse/", 0.05,
    )  # fmt: skip
    assert args.table_write_options == {}


def test_maintenance_arguments_and_optional_table_list() -> None:
    args = parse_job_arguments(
        "maintenance", [*COMMON, *MAINTENANCE, "--tables", "raw_orders, curated_orders"]
    )
    assert (args.snapshot_retention_days, args.snapshots_to_keep, args.orphan_file_min_age_days) == (7, 10, 3)
    assert (args.target_file_size_mb, args.tables) == (128, ("raw_orders", "curated_orders"))


def test_bronze_landing_uri_always_ends_with_a_slash() -> None:
    argv = [*COMMON, "--landing-uri", "s3://data/landing", "--max-bad-record-share", "0.01"]
    args = parse_job_arguments("bronze_ingest", argv)
    assert (args.landing_uri, args.max_bad_record_share) == ("s3://data/landing/", 0.01)


@pytest.mark.parametrize(
    ("job", "argv", "message"),
    [
        ("silver_orders", COMMON, "[--max-bad-record-share] required by job silver_orders but not given"),
        ("bronze_ingest", [*COMMON, "--landing-uri", "s3://d/l/"], "[--max-bad-record-share] required by job bronze_ingest but not given"),
        ("gold_daily_metrics", ["--catalog", "glue_catalog"], "[--database, --warehouse] required by job gold_daily_metrics but not given"),
        ("silver_orders", [*COMMON, "--max-bad-record-share", "1.5"], "[--max-bad-record-share] must be a number from 0 to 1 (a share of the input); got '1.5'"),
        ("silver_orders", [*COMMON, "--max-bad-record-share", "lots"], "[--max-bad-record-share] must be a number from 0 to 1 (a share of the input); got 'lots'"),
        ("gold_daily_metrics", ["--catalog", "glue_catalog", "--database", "Sales-DB", "--warehouse", "w"], "[--database] must be lowercase letters, digits and underscores; got 'Sales-DB'"),
        ("maintenance", [*COMMON, *MAINTENANCE[:4], "--orphan-file-min-age-days", "2", *MAINTENANCE[6:]], "[--orphan-file-min-age-days] must be a whole number >= 3: younger orphan files can belong to writes in flight; got '2'"),
        ("maintenance", [*COMMON, "--snapshot-retention-days", "0", *MAINTENANCE[2:]], "[--snapshot-retention-days] must be a whole number from 1 to 3650; got '0'"),
        ("maintenance", [*COMMON, *MAINTENANCE[:6], "--target-file-size-mb", "8"], "[--target-file-size-mb] must be a whole number from 16 to 1024; got '8'"),
        ("maintenance", [*COMMON, *MAINTENANCE, "--tables", " , "], "[--tables] must list table names separated by commas; got an empty list"),
        ("gold_daily_metrics", [*COMMON, "--table-write-options", "[1]"], "[--table-write-options] must be a JSON object of table name -> {option: string value}"),
        ("gold_daily_metrics", [*COMMON, "--table-write-options", "{"], "[--table-write-options] must be JSON; Expecting property name enclosed in double quotes at character 1"),
        ("nightly", COMMON, "[job] must be one of bronze_ingest, silver_customers, silver_orders, gold_daily_metrics, maintenance; got 'nightly'"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_naming_the_argument(job: str, argv: list[str], message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_job_arguments(job, argv)
    assert str(error.value) == message


def test_bad_share_fails_only_above_the_threshold() -> None:
    assert bad_share_error("silver_orders", "raw_orders", 10, 1, 0.1) is None
    assert bad_share_error("silver_orders", "raw_orders", 0, 0, 0.0) is None
    assert bad_share_error("silver_orders", "raw_orders", 10, 2, 0.1) == (
        "silver_orders: 2 of 10 rows read from raw_orders (20.00%) were quarantined, above "
        "[--max-bad-record-share] 0.1; see quarantine_records where job_name = 'silver_orders'. "
        "The target table was not changed and the next run reads the same rows. To move past them: land "
        "corrected records if they can be corrected, then run this job once with --max-bad-record-share 1 "
        "to accept the rest as quarantined."
    )
