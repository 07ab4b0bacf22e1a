"""Job arguments: the AWS-shaped `--key value` pairs Glue passes, parsed and validated before any work.

Glue also passes its own keys (`--JOB_NAME`, `--job-bookmark-option`, ...), so unknown keys are
ignored (`parse_known_args`). Every error names the argument in brackets and says what is accepted.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

IDENTIFIER = re.compile(r"^[a-z0-9_]{1,128}$")
# The bounds of the stack configuration's schema (config/stack-config.ts), checked again here because a
# job can also be started by hand with any arguments. The contract (build/table-specs.json) exports the
# schema's own bounds and tests/test_contract.py holds these equal to them: one place, checked.
PARAMETER_BOUNDS: Mapping[str, tuple[float, float]] = {
    "--max-bad-record-share": (0, 1),
    "--snapshot-retention-days": (1, 3650),
    "--snapshots-to-keep": (1, 1000),
    "--orphan-file-min-age-days": (3, 3650),
    "--target-file-size-mb": (16, 1024),
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
_OPTIONAL_PARAMETERS: Mapping[str, tuple[str, ...]] = {"maintenance": ("--tables",)}


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
    required = ("--catalog", "--database", "--warehouse", *_JOB_PARAMETERS[job])
    optional = ("--table-write-options", *_OPTIONAL_PARAMETERS.get(job, ()))
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
    }
    if job == "bronze_ingest":
        args["landing_uri"] = value("--landing-uri").rstrip("/") + "/"
    if job in ("bronze_ingest", "silver_customers", "silver_orders"):
        args["max_bad_record_share"] = parse_share("--max-bad-record-share", value("--max-bad-record-share"))
    if job == "maintenance":
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
