"""The values of job arguments: each parsed and checked on its own, every error naming the argument in
brackets and saying what is accepted. Which job takes which argument is arguments.py's.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from .rollback_target import RollbackTarget

IDENTIFIER = re.compile(r"^[a-z0-9_]{1,128}$")
# A Step Functions execution name (a UUID for scheduled runs), a Glue job run id, or one given by hand.
RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
REF_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")  # an Iceberg tag or branch we accept
_TABLE_TARGETS = ("--to-snapshot", "--to-timestamp", "--to-tag")
ROLLBACK_FLAGS = ("--rollback-run", "--rollback-table", *_TABLE_TARGETS)
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
