"""Job arguments as Glue passes them: parsed, validated, refused with the argument named."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from lakehouse_jobs.arguments import RollbackArguments, parse_job_arguments
from lakehouse_jobs.publication import PUBLISHED_TABLES
from lakehouse_jobs.quarantine import bad_share_error
from lakehouse_jobs.rollback_target import RollbackTarget

COMMON = [
    "--catalog",
    "glue_catalog",
    "--database",
    "ecommerce_lakehouse",
    "--warehouse",
    "s3://b/warehouse/",
]
GLUE_OWN = ["--JOB_NAME", "job-x", "--job-bookmark-option", "job-bookmark-disable", "--TempDir", "s3://t/"]


def publishing(job: str, **expectations: object) -> list[str]:
    """The arguments a publishing job gets from the stack: checks by table (none unless given), tag days."""
    checks = {table: expectations.get(table, {}) for table in PUBLISHED_TABLES[job]}
    return ["--quality-expectations", json.dumps(checks), "--run-tag-retention-days", "7"]


SILVER = [*COMMON, *publishing("silver_orders"), "--max-bad-record-share", "0.05"]
MAINTENANCE = [
    "--snapshot-retention-days", "7", "--snapshots-to-keep", "10",
    "--orphan-file-min-age-days", "3", "--target-file-size-mb", "128",
]  # fmt: skip


def test_glue_arguments_parse_and_glue_own_keys_are_ignored() -> None:
    args = parse_job_arguments("silver_orders", [*GLUE_OWN, *SILVER, "--JOB_RUN_ID", "jr_0a1b"])
    assert (args.catalog, args.database, args.warehouse, args.max_bad_record_share) == (
        "glue_catalog", "ecommerce_lakehouse", "s3://b/warehouse/", 0.05,
    )  # fmt: skip
    assert (args.table_write_options, args.run_id, args.run_tag_retention_days) == ({}, "jr_0a1b", 7)


def test_a_publishing_job_takes_its_run_id_clock_and_accepted_failures() -> None:
    argv = [*SILVER, "--run-id", "3f2c-Exec.1", "--as-of", "2024-03-01T03:00:00Z"]
    argv += ["--accept-failed-checks", "curated_orders.volume, curated_orders.references:customer_id"]
    args = parse_job_arguments("silver_orders", argv)
    assert (args.run_id, args.as_of, args.accept_failed_checks) == (
        "3f2c-Exec.1",
        datetime(2024, 3, 1, 3, 0),
        ("curated_orders.volume", "curated_orders.references:customer_id"),
    )
    assert set(args.quality_expectations) == {"curated_orders", "job_progress"}


def test_maintenance_in_rollback_mode_needs_only_its_target() -> None:
    run = parse_job_arguments("maintenance", [*COMMON, "--mode", "rollback", "--rollback-run", "exec-7"])
    table = parse_job_arguments(
        "maintenance",
        [*COMMON, "--mode", "rollback", "--rollback-table", "curated_orders", "--to-tag", "pre-run-exec-7"],
    )
    assert (run.rollback, table.rollback) == (
        RollbackTarget(run_id="exec-7"),
        RollbackTarget(table="curated_orders", tag="pre-run-exec-7"),
    )
    assert (type(run), type(table)) == (RollbackArguments, RollbackArguments)
    assert not hasattr(run, "snapshot_retention_days")  # given by Glue's defaults, never read


def test_maintenance_arguments_and_optional_table_list() -> None:
    args = parse_job_arguments(
        "maintenance", [*COMMON, *MAINTENANCE, "--tables", "raw_orders, curated_orders"]
    )
    assert (args.snapshot_retention_days, args.snapshots_to_keep, args.orphan_file_min_age_days) == (7, 10, 3)
    assert (args.target_file_size_mb, args.tables) == (128, ("raw_orders", "curated_orders"))


def test_bronze_landing_uri_always_ends_with_a_slash() -> None:
    argv = [*COMMON, "--landing-uri", "s3://data/landing", "--max-bad-record-share", "0.01"]
    args = parse_job_arguments("bronze_ingest", [*argv, *publishing("bronze_ingest")])
    assert (args.landing_uri, args.max_bad_record_share) == ("s3://data/landing/", 0.01)


@pytest.mark.parametrize(
    ("job", "argv", "message"),
    [
        ("silver_orders", [*COMMON, *publishing("silver_orders")], "[--max-bad-record-share] required by job silver_orders but not given"),
        ("bronze_ingest", [*COMMON, *publishing("bronze_ingest"), "--landing-uri", "s3://d/l/"], "[--max-bad-record-share] required by job bronze_ingest but not given"),
        ("gold_daily_metrics", ["--catalog", "glue_catalog"], "[--database, --warehouse, --quality-expectations, --run-tag-retention-days] required by job gold_daily_metrics but not given"),
        ("silver_orders", [*COMMON, *publishing("silver_orders"), "--max-bad-record-share", "1.5"], "[--max-bad-record-share] must be a number from 0 to 1 (a share of the input); got '1.5'"),
        ("silver_orders", [*COMMON, *publishing("silver_orders"), "--max-bad-record-share", "lots"], "[--max-bad-record-share] must be a number from 0 to 1 (a share of the input); got 'lots'"),
        ("silver_orders", [*SILVER, "--run-id", "run 1"], "[--run-id] must be 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit; got 'run 1'"),
        ("silver_orders", [*SILVER, "--as-of", "2024-03-01 03:00"], "[--as-of] must be an ISO-8601 UTC time such as 2024-03-01T03:00:00Z; got '2024-03-01 03:00'"),
        ("silver_orders", [*SILVER, "--accept-failed-checks", "volume"], "[--accept-failed-checks] must list checks as <table>.<check> (as quality_results names them, e.g. raw_orders.volume), separated by commas; got 'volume'"),
        ("silver_orders", [*COMMON, *publishing("silver_orders")[:2], "--run-tag-retention-days", "0", "--max-bad-record-share", "0"], "[--run-tag-retention-days] must be a whole number from 1 to 3650; got '0'"),
        ("silver_orders", [*COMMON, "--quality-expectations", '{"curated_orders": {}}', "--run-tag-retention-days", "7", "--max-bad-record-share", "0"], "[--quality-expectations] must name exactly the tables this job publishes (curated_orders, job_progress); missing: job_progress; not published by it: none"),
        ("silver_orders", [*COMMON, *publishing("silver_orders", curated_orders={"unique": [{"columns": []}]})[:2], "--run-tag-retention-days", "7", "--max-bad-record-share", "0"], "[--quality-expectations] curated_orders.unique[0].columns must be a non-empty list of column names; got []"),
        ("silver_orders", [*COMMON, *publishing("silver_orders", curated_orders={"notNul": ["order_id"]})[:2], "--run-tag-retention-days", "7", "--max-bad-record-share", "0"], '[--quality-expectations] curated_orders.quality must be an object of acceptedValues, freshness, notNull, ranges, references, unique, volume; got ["notNul"]'),
        ("silver_orders", [*COMMON, *publishing("silver_orders", curated_orders={"ranges": {"net_amount": {"min": 0}}})[:2], "--run-tag-retention-days", "7", "--max-bad-record-share", "0"], '[--quality-expectations] curated_orders.ranges.net_amount.min must be a decimal as a string ("0.00"); got 0'),
        ("silver_orders", [*COMMON, *publishing("silver_orders", curated_orders={"volume": {"maxRatio": 5, "trailingRuns": 3, "minRuns": 4}})[:2], "--run-tag-retention-days", "7", "--max-bad-record-share", "0"], "[--quality-expectations] curated_orders.volume.minRuns must be a whole number from 1 to 3; got 4"),
        ("maintenance", [*COMMON, "--mode", "repair"], "[--mode] must be maintenance or rollback; got 'repair'"),
        ("maintenance", [*COMMON, "--mode", "rollback"], "[--rollback-run, --rollback-table] give exactly one; a rollback takes either --rollback-run <run id>, or --rollback-table <table> with exactly one of --to-snapshot <id>, --to-timestamp <ISO-8601 UTC>, --to-tag <name>"),
        ("maintenance", [*COMMON, "--mode", "rollback", "--rollback-run", "r1", "--rollback-table", "raw_orders"], "[--rollback-run, --rollback-table] give exactly one; a rollback takes either --rollback-run <run id>, or --rollback-table <table> with exactly one of --to-snapshot <id>, --to-timestamp <ISO-8601 UTC>, --to-tag <name>"),
        ("maintenance", [*COMMON, "--mode", "rollback", "--rollback-run", "r1", "--to-tag", "t"], "[--to-tag] only with --rollback-table; a rollback takes either --rollback-run <run id>, or --rollback-table <table> with exactly one of --to-snapshot <id>, --to-timestamp <ISO-8601 UTC>, --to-tag <name>"),
        ("maintenance", [*COMMON, "--mode", "rollback", "--rollback-table", "raw_orders", "--to-tag", "t", "--to-snapshot", "1"], "[--to-snapshot, --to-timestamp, --to-tag] give exactly one with --rollback-table, got 2; a rollback takes either --rollback-run <run id>, or --rollback-table <table> with exactly one of --to-snapshot <id>, --to-timestamp <ISO-8601 UTC>, --to-tag <name>"),
        ("maintenance", [*COMMON, "--mode", "rollback", "--rollback-table", "raw_orders", "--to-snapshot", "12ab"], "[--to-snapshot] must be a snapshot id (a whole number); got '12ab'"),
        ("maintenance", [*COMMON, "--mode", "rollback", "--rollback-table", "raw_orders", "--to-timestamp", "yesterday"], "[--to-timestamp] must be an ISO-8601 UTC time such as 2024-03-01T03:00:00Z; got 'yesterday'"),
        ("maintenance", [*COMMON, "--mode", "rollback", "--rollback-table", "Raw", "--to-tag", "t"], "[--rollback-table] must be a table name (lowercase letters, digits, '_'); got 'Raw'"),
        ("gold_daily_metrics", ["--catalog", "glue_catalog", "--database", "Sales-DB", "--warehouse", "w", *publishing("gold_daily_metrics")], "[--database] must be lowercase letters, digits and underscores; got 'Sales-DB'"),
        ("maintenance", [*COMMON, *MAINTENANCE[:4], "--orphan-file-min-age-days", "2", *MAINTENANCE[6:]], "[--orphan-file-min-age-days] must be a whole number >= 3: younger orphan files can belong to writes in flight; got '2'"),
        ("maintenance", [*COMMON, "--snapshot-retention-days", "0", *MAINTENANCE[2:]], "[--snapshot-retention-days] must be a whole number from 1 to 3650; got '0'"),
        ("maintenance", [*COMMON, *MAINTENANCE[:6], "--target-file-size-mb", "8"], "[--target-file-size-mb] must be a whole number from 16 to 1024; got '8'"),
        ("maintenance", [*COMMON, *MAINTENANCE, "--tables", " , "], "[--tables] must list table names separated by commas; got an empty list"),
        ("gold_daily_metrics", [*COMMON, *publishing("gold_daily_metrics"), "--table-write-options", "[1]"], "[--table-write-options] must be a JSON object of table name -> {option: string value}"),
        ("gold_daily_metrics", [*COMMON, *publishing("gold_daily_metrics"), "--table-write-options", "{"], "[--table-write-options] must be JSON; Expecting property name enclosed in double quotes at character 1"),
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
