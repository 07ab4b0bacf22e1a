"""Job arguments: the AWS-shaped `--key value` pairs Glue passes, parsed and validated before any work.

Glue also passes its own keys (`--JOB_NAME`, `--job-bookmark-option`, ...), so unknown keys are
ignored (`parse_known_args`). Every error names the argument in brackets and says what is accepted.
"""

from __future__ import annotations

import argparse
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .publication import PUBLISHED_TABLES
from .quality_spec import Expectations, parse_quality_expectations
from .rollback_target import RollbackTarget

IDENTIFIER = re.compile(r"^[a-z0-9_]{1,128}$")
# A Step Functions execution name (a UUID for scheduled runs), a Glue job run id, or one given by hand.
RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
REF_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")  # an Iceberg tag or branch we accept
ROLLBACK_FLAGS = ("--rollback-run", "--rollback-table", "--to-snapshot", "--to-timestamp", "--to-tag")
_TABLE_TARGETS = ("--to-snapshot", "--to-timestamp", "--to-tag")
# The bounds of the stack configuration's schema (config/stack-config.ts), checked again here because a
# job can also be started by hand with any arguments. The contract (build/table-specs.json) exports the
# schema's own bounds and tests/test_contract.py holds these equal to them: one place, checked.
PARAMETER_BOUNDS: Mapping[str, tuple[float, float]] = {
    "--max-bad-record-share": (0, 1),
    "--snapshot-retention-days": (1, 3650),
    "--snapshots-to-keep": (1, 1000),
    "--orphan-file-min-age-days": (3, 3650),
    "--target-file-size-mb": (16, 1024),
    "--run-tag-retention-days": (1, 3650),
}
MIN_ORPHAN_FILE_AGE_DAYS = int(PARAMETER_BOUNDS["--orphan-file-min-age-days"][0])

JOB_KEYS = ("bronze_ingest", "silver_customers", "silver_orders", "gold_daily_metrics", "maintenance")
_JOB_PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "bronze_ingest": ("--landing-uri", "--max-bad-record-share"),
    "silver_customers": ("--max-bad-record-share",),
    "silver_orders": ("--max-bad-record-share",),
    "gold_daily_metrics": (),
    "maintenance": (
        "--snapshot-retention-days",
        "--snapshots-to-keep",
        "--orphan-file-min-age-days",
        "--target-file-size-mb",
    ),
}
_PUBLISH_PARAMETERS = ("--quality-expectations", "--run-tag-retention-days")
_OPTIONAL_PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "maintenance": ("--tables", "--mode", *ROLLBACK_FLAGS),
    **{job: ("--as-of", "--accept-failed-checks") for job in PUBLISHED_TABLES},
}


@dataclass(frozen=True)
class JobArguments:
    job: str
    catalog: str
    database: str
    warehouse: str
    table_write_options: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    landing_uri: str | None = None
    max_bad_record_share: float | None = None
    snapshot_retention_days: int | None = None
    snapshots_to_keep: int | None = None
    orphan_file_min_age_days: int | None = None
    target_file_size_mb: int | None = None
    tables: tuple[str, ...] | None = None
    run_id: str = ""
    # Publishing jobs (write-audit-publish, publish.py)
    quality_expectations: Mapping[str, Expectations] = field(default_factory=dict)
    run_tag_retention_days: int | None = None
    as_of: datetime | None = None  # freshness is measured from here; None: when the checks run
    accept_failed_checks: tuple[str, ...] = ()
    audit_branches: Mapping[str, str] = field(default_factory=dict)  # set by publish.audited_run
    # maintenance --mode rollback
    rollback: RollbackTarget | None = None


def parse_identifier(name: str, value: str) -> str:
    if not IDENTIFIER.match(value):
        raise ValueError(f"[{name}] must be lowercase letters, digits and underscores; got {value!r}")
    return value


def parse_share(name: str, value: str) -> float:
    low, high = PARAMETER_BOUNDS[name]
    try:
        share = float(value)
    except ValueError:
        share = float("nan")
    if not low <= share <= high:
        raise ValueError(
            f"[{name}] must be a number from {low:g} to {high:g} (a share of the input); got {value!r}"
        )
    return share


def parse_whole_number(name: str, value: str) -> int:
    low, high = (int(bound) for bound in PARAMETER_BOUNDS[name])
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise ValueError(f"[{name}] must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def parse_orphan_file_min_age_days(value: str) -> int:
    name = "--orphan-file-min-age-days"
    if re.fullmatch(r"\d+", value) and int(value) < MIN_ORPHAN_FILE_AGE_DAYS:
        raise ValueError(
            f"[{name}] must be a whole number >= {MIN_ORPHAN_FILE_AGE_DAYS}: younger orphan files can "
            f"belong to writes in flight; got {value!r}"
        )
    return parse_whole_number(name, value)


def parse_table_write_options(value: str) -> dict[str, dict[str, str]]:
    """`{"raw_orders": {"distribution-mode": "hash"}}`: the specs' sparkWriteOptions, per table."""
    name = "--table-write-options"
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"[{name}] must be JSON; {error.msg} at character {error.pos}") from None
    valid = isinstance(parsed, dict) and all(
        isinstance(options, dict) and all(isinstance(v, str) for v in options.values())
        for options in parsed.values()
    )
    if not valid:
        raise ValueError(f"[{name}] must be a JSON object of table name -> {{option: string value}}")
    for table in parsed:
        if not IDENTIFIER.match(table):
            raise ValueError(
                f"[{name}] table names are lowercase letters, digits and underscores; got {table!r}"
            )
    return parsed


def parse_run_id(value: str | None, glue_run_id: str | None) -> str:
    """`--run-id` (the Step Functions execution name), else Glue's own run id, else a new one."""
    run_id = value or glue_run_id or f"manual-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    if not RUN_ID.match(run_id):
        raise ValueError(
            "[--run-id] must be 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit; "
            f"got {run_id!r}"
        )
    return run_id


def parse_timestamp(name: str, value: str) -> datetime:
    """An ISO-8601 UTC time (`2024-03-01T03:00:00Z`), as a naive UTC datetime like the tables hold."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise ValueError(f"[{name}] must be an ISO-8601 UTC time such as 2024-03-01T03:00:00Z; got {value!r}")
    return moment.astimezone(UTC).replace(tzinfo=None)


def parse_check_list(value: str) -> tuple[str, ...]:
    """`raw_orders.volume,raw_orders.references:customer_id`: checks whose failure this run accepts."""
    checks = tuple(c.strip() for c in value.split(",") if c.strip() != "")
    for check in checks:
        if not re.fullmatch(r"[a-z0-9_]+\.[a-z_]+(:[a-z0-9_.+]+)?", check):
            raise ValueError(
                "[--accept-failed-checks] must list checks as <table>.<check> (as quality_results names "
                f"them, e.g. raw_orders.volume), separated by commas; got {check!r}"
            )
    return checks


def _usage(message: str) -> ValueError:
    return ValueError(
        f"{message}; a rollback takes either --rollback-run <run id>, or --rollback-table <table> with "
        "exactly one of --to-snapshot <id>, --to-timestamp <ISO-8601 UTC>, --to-tag <name>"
    )


def parse_rollback_target(values: Mapping[str, str | None]) -> RollbackTarget:
    given = {flag: value for flag, value in values.items() if value not in (None, "")}
    run, table = given.get("--rollback-run"), given.get("--rollback-table")
    targets = [flag for flag in _TABLE_TARGETS if flag in given]
    if (run is None) == (table is None):
        raise _usage("[--rollback-run, --rollback-table] give exactly one")
    if run is not None:
        if targets:
            raise _usage(f"[{', '.join(targets)}] only with --rollback-table")
        if not RUN_ID.match(run):
            raise ValueError(
                f"[--rollback-run] must be a pipeline run id (letters, digits, '_', '.', '-'); got {run!r}"
            )
        return RollbackTarget(run_id=run)
    if not IDENTIFIER.match(table or ""):
        raise ValueError(
            f"[--rollback-table] must be a table name (lowercase letters, digits, '_'); got {table!r}"
        )
    if len(targets) != 1:
        raise _usage(
            f"[{', '.join(_TABLE_TARGETS)}] give exactly one with --rollback-table, got {len(targets)}"
        )
    flag, value = targets[0], given[targets[0]] or ""
    if flag == "--to-snapshot":
        if not re.fullmatch(r"-?\d{1,19}", value):
            raise ValueError(f"[--to-snapshot] must be a snapshot id (a whole number); got {value!r}")
        return RollbackTarget(table=table, snapshot_id=int(value))
    if flag == "--to-tag":
        if not REF_NAME.match(value):
            raise ValueError(f"[--to-tag] must be a tag name (letters, digits, '_', '.', '-'); got {value!r}")
        return RollbackTarget(table=table, tag=value)
    return RollbackTarget(table=table, timestamp=parse_timestamp("--to-timestamp", value))


def parse_tables(value: str) -> tuple[str, ...]:
    tables = tuple(t.strip() for t in value.split(",") if t.strip() != "")
    if len(tables) == 0:
        raise ValueError("[--tables] must list table names separated by commas; got an empty list")
    return tuple(parse_identifier("--tables", t) for t in tables)


def _flag_values(argv: Sequence[str], flags: Sequence[str]) -> dict[str, str | None]:
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for flag in flags:
        parser.add_argument(flag)
    known, _glue_keys = parser.parse_known_args(list(argv))
    return {flag: getattr(known, flag[2:].replace("-", "_")) for flag in flags}


def parse_job_arguments(job: str, argv: Sequence[str]) -> JobArguments:
    """Parses and validates every argument of `job`; raises ValueError before anything is touched."""
    if job not in _JOB_PARAMETERS:
        raise ValueError(f"[job] must be one of {', '.join(JOB_KEYS)}; got {job!r}")
    publishes = job in PUBLISHED_TABLES
    mode = _flag_values(argv, ("--mode",))["--mode"] if job == "maintenance" else None
    if mode not in (None, "maintenance", "rollback"):
        raise ValueError(f"[--mode] must be maintenance or rollback; got {mode!r}")
    rollback_mode = mode == "rollback"
    own = () if rollback_mode else _JOB_PARAMETERS[job]
    required = ("--catalog", "--database", "--warehouse", *own, *(_PUBLISH_PARAMETERS if publishes else ()))
    optional = ("--table-write-options", "--run-id", "--JOB_RUN_ID", *_OPTIONAL_PARAMETERS.get(job, ()))
    values = _flag_values(argv, (*required, *optional))
    missing = [flag for flag in required if values[flag] in (None, "")]
    if missing:
        raise ValueError(f"[{', '.join(missing)}] required by job {job} but not given")

    def value(flag: str) -> str:
        return values[flag] or ""

    args: dict[str, object] = {
        "job": job,
        "catalog": parse_identifier("--catalog", value("--catalog")),
        "database": parse_identifier("--database", value("--database")),
        "warehouse": value("--warehouse"),
        "table_write_options": parse_table_write_options(values["--table-write-options"] or "{}"),
        "run_id": parse_run_id(values["--run-id"], values["--JOB_RUN_ID"]),
    }
    if publishes:
        args["quality_expectations"] = parse_quality_expectations(
            value("--quality-expectations"), PUBLISHED_TABLES[job]
        )
        args["run_tag_retention_days"] = parse_whole_number(
            "--run-tag-retention-days", value("--run-tag-retention-days")
        )
        if values["--as-of"] is not None:
            args["as_of"] = parse_timestamp("--as-of", value("--as-of"))
        args["accept_failed_checks"] = parse_check_list(values["--accept-failed-checks"] or "")
    if job == "bronze_ingest":
        args["landing_uri"] = value("--landing-uri").rstrip("/") + "/"
    if job in ("bronze_ingest", "silver_customers", "silver_orders"):
        args["max_bad_record_share"] = parse_share("--max-bad-record-share", value("--max-bad-record-share"))
    if rollback_mode:
        args["rollback"] = parse_rollback_target({flag: values[flag] for flag in ROLLBACK_FLAGS})
    elif job == "maintenance":
        args["snapshot_retention_days"] = parse_whole_number(
            "--snapshot-retention-days", value("--snapshot-retention-days")
        )
        args["snapshots_to_keep"] = parse_whole_number("--snapshots-to-keep", value("--snapshots-to-keep"))
        args["orphan_file_min_age_days"] = parse_orphan_file_min_age_days(value("--orphan-file-min-age-days"))
        args["target_file_size_mb"] = parse_whole_number(
            "--target-file-size-mb", value("--target-file-size-mb")
        )
        if values["--tables"] is not None:
            args["tables"] = parse_tables(value("--tables"))
    return JobArguments(**args)  # type: ignore[arg-type]
