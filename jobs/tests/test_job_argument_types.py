"""Each job's arguments are a type of its own: the arguments it is given, nothing else. A required one
missing, or one the job does not take (another job's, or maintenance's other mode's), is refused naming
the argument and the job; Glue's own keys are still ignored."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from lakehouse_jobs.arguments import (
    BronzeIngestArguments,
    GoldDailyMetricsArguments,
    MaintenanceArguments,
    RollbackArguments,
    SilverCustomersArguments,
    SilverOrdersArguments,
    parse_job_arguments,
)
from lakehouse_jobs.publication import PUBLISHED_TABLES
from lakehouse_jobs.rollback_target import RollbackTarget

COMMON = ["--catalog", "glue_catalog", "--database", "sales", "--warehouse", "s3://b/warehouse/"]
GLUE_OWN = ["--JOB_NAME", "job-x", "--job-bookmark-option", "job-bookmark-disable", "--TempDir", "s3://t/"]


def publishing(job: str) -> list[str]:
    checks = json.dumps({table: {} for table in PUBLISHED_TABLES[job]})
    return ["--quality-expectations", checks, "--run-tag-retention-days", "7"]


# What the stack gives each job (beyond Glue's own keys), flag by flag.
GIVEN = {
    "bronze_ingest": {"--landing-uri": "s3://d/landing", "--max-bad-record-share": "0.01"},
    "silver_orders": {"--max-bad-record-share": "0.05"},
    "silver_customers": {"--max-bad-record-share": "0"},
    "gold_daily_metrics": {},
    "maintenance": {
        "--snapshot-retention-days": "7",
        "--snapshots-to-keep": "10",
        "--orphan-file-min-age-days": "3",
        "--target-file-size-mb": "128",
        "--tables": "raw_orders",
    },
}


def argv(job: str, without: str = "", **extra: str) -> list[str]:
    given = {**dict(zip(COMMON[::2], COMMON[1::2], strict=True)), **GIVEN[job]}
    if job in PUBLISHED_TABLES:
        given.update(dict(zip(publishing(job)[::2], publishing(job)[1::2], strict=True)))
    given.update({f"--{flag.replace('_', '-')}": value for flag, value in extra.items()})
    return [*GLUE_OWN, *(item for flag, value in given.items() if flag != without for item in (flag, value))]


SHARED = {"job", "catalog", "database", "warehouse", "run_id", "table_write_options"}
PUBLISHING = SHARED | {
    "quality_expectations",
    "run_tag_retention_days",
    "as_of",
    "accept_failed_checks",
    "audit_branches",
}
QUARANTINING = PUBLISHING | {"max_bad_record_share"}
MAINTENANCE = SHARED | {
    "snapshot_retention_days",
    "snapshots_to_keep",
    "orphan_file_min_age_days",
    "target_file_size_mb",
    "tables",
}


@pytest.mark.parametrize(
    ("job", "kind", "names"),
    [
        ("bronze_ingest", BronzeIngestArguments, QUARANTINING | {"landing_uri"}),
        ("silver_orders", SilverOrdersArguments, QUARANTINING),
        ("silver_customers", SilverCustomersArguments, QUARANTINING),
        ("gold_daily_metrics", GoldDailyMetricsArguments, PUBLISHING),
        ("maintenance", MaintenanceArguments, MAINTENANCE),
    ],
)
def test_each_job_parses_into_its_own_type(job: str, kind: type, names: set[str]) -> None:
    args = parse_job_arguments(job, argv(job))
    assert type(args) is kind
    assert {f.name for f in fields(args)} == names
    assert (args.job, args.catalog, args.database) == (job, "glue_catalog", "sales")


def test_each_jobs_own_values() -> None:
    bronze = parse_job_arguments("bronze_ingest", argv("bronze_ingest"))
    assert isinstance(bronze, BronzeIngestArguments)
    assert (bronze.landing_uri, bronze.max_bad_record_share, bronze.run_tag_retention_days) == (
        "s3://d/landing/",
        0.01,
        7,
    )
    assert set(bronze.quality_expectations) == set(PUBLISHED_TABLES["bronze_ingest"])
    maintenance = parse_job_arguments("maintenance", argv("maintenance"))
    assert isinstance(maintenance, MaintenanceArguments)
    assert (
        maintenance.snapshot_retention_days,
        maintenance.snapshots_to_keep,
        maintenance.orphan_file_min_age_days,
        maintenance.target_file_size_mb,
        maintenance.tables,
    ) == (7, 10, 3, 128, ("raw_orders",))


def test_maintenance_in_rollback_mode_is_a_rollback_and_keeps_none_of_the_settings_glue_also_passes() -> None:
    args = parse_job_arguments("maintenance", argv("maintenance", mode="rollback", rollback_run="exec-7"))
    assert type(args) is RollbackArguments
    assert {f.name for f in fields(args)} == SHARED | {"rollback"}
    assert args.rollback == RollbackTarget(run_id="exec-7")


@pytest.mark.parametrize(
    ("job", "field"),
    [
        ("silver_orders", "landing_uri"),
        ("gold_daily_metrics", "max_bad_record_share"),
        ("bronze_ingest", "snapshots_to_keep"),
        ("maintenance", "quality_expectations"),
        ("maintenance", "rollback"),
    ],
)
def test_a_job_cannot_read_an_argument_it_is_not_given(job: str, field: str) -> None:
    with pytest.raises(AttributeError):
        getattr(parse_job_arguments(job, argv(job)), field)


@pytest.mark.parametrize(
    ("job", "flag"),
    [
        ("bronze_ingest", "--catalog"),
        ("bronze_ingest", "--landing-uri"),
        ("bronze_ingest", "--max-bad-record-share"),
        ("bronze_ingest", "--quality-expectations"),
        ("silver_orders", "--max-bad-record-share"),
        ("silver_orders", "--run-tag-retention-days"),
        ("silver_customers", "--max-bad-record-share"),
        ("silver_customers", "--warehouse"),
        ("gold_daily_metrics", "--quality-expectations"),
        ("gold_daily_metrics", "--run-tag-retention-days"),
        ("maintenance", "--snapshot-retention-days"),
        ("maintenance", "--snapshots-to-keep"),
        ("maintenance", "--orphan-file-min-age-days"),
        ("maintenance", "--target-file-size-mb"),
        ("maintenance", "--database"),
    ],
)
def test_a_missing_required_argument_is_named_with_the_job(job: str, flag: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_job_arguments(job, argv(job, without=flag))
    assert str(error.value) == f"[{flag}] required by job {job} but not given"


PIPELINE_TAKES = "--table-write-options, --run-id, --JOB_RUN_ID, --as-of, --accept-failed-checks"
QUARANTINING_TAKES = (
    "--max-bad-record-share, --quality-expectations, --run-tag-retention-days, " + PIPELINE_TAKES
)
MAINTENANCE_SETTINGS = (
    "--snapshot-retention-days, --snapshots-to-keep, --orphan-file-min-age-days, --target-file-size-mb"
)
BASE = "--catalog, --database, --warehouse"


@pytest.mark.parametrize(
    ("job", "extra", "message"),
    [
        ("silver_orders", {"landing_uri": "s3://d/l/"}, f"[--landing-uri] not taken by job silver_orders, which takes {BASE}, {QUARANTINING_TAKES}"),
        ("bronze_ingest", {"tables": "raw_orders"}, f"[--tables] not taken by job bronze_ingest, which takes {BASE}, --landing-uri, {QUARANTINING_TAKES}"),
        ("silver_customers", {"snapshot_retention_days": "7"}, f"[--snapshot-retention-days] not taken by job silver_customers, which takes {BASE}, {QUARANTINING_TAKES}"),
        ("gold_daily_metrics", {"max_bad_record_share": "0", "mode": "rollback"}, f"[--max-bad-record-share, --mode] not taken by job gold_daily_metrics, which takes {BASE}, --quality-expectations, --run-tag-retention-days, {PIPELINE_TAKES}"),
        ("maintenance", {"as_of": "2024-03-01T03:00:00Z"}, f"[--as-of] not taken by job maintenance, which takes {BASE}, {MAINTENANCE_SETTINGS}, --table-write-options, --run-id, --JOB_RUN_ID, --tables, --mode"),
        ("maintenance", {"rollback_run": "exec-7"}, f"[--rollback-run] not taken by job maintenance, which takes {BASE}, {MAINTENANCE_SETTINGS}, --table-write-options, --run-id, --JOB_RUN_ID, --tables, --mode; a rollback needs --mode rollback"),
        ("maintenance", {"mode": "maintenance", "to_tag": "t"}, f"[--to-tag] not taken by job maintenance, which takes {BASE}, {MAINTENANCE_SETTINGS}, --table-write-options, --run-id, --JOB_RUN_ID, --tables, --mode; a rollback needs --mode rollback"),
        ("maintenance", {"mode": "rollback", "rollback_run": "exec-7", "accept_failed_checks": "raw_orders.volume"}, f"[--accept-failed-checks] not taken by job maintenance --mode rollback, which takes {BASE}, --table-write-options, --run-id, --JOB_RUN_ID, --mode, --rollback-run, --rollback-table, --to-snapshot, --to-timestamp, --to-tag, {MAINTENANCE_SETTINGS}, --tables"),
    ],
)  # fmt: skip
def test_an_argument_the_job_does_not_take_is_refused_naming_it_and_the_job(
    job: str, extra: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        parse_job_arguments(job, argv(job, **extra))
    assert str(error.value) == message
