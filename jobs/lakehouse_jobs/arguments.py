"""Job arguments: the AWS-shaped `--key value` pairs Glue passes, parsed into each job's own type before any
work.

Every job has a type of its own (below): the arguments it is given, each of the type the job reads, so a
job cannot read an argument it is not given. A required argument that is missing, or an argument of
another job (or of maintenance's other mode), is refused naming the argument and the job. Glue also
passes its own keys (`--JOB_NAME`, `--job-bookmark-option`, ...), so keys that are no job's are ignored
(`parse_known_args`). The values are parsed by argument_values.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .argument_values import (
    ROLLBACK_FLAGS,
    parse_check_list,
    parse_identifier,
    parse_orphan_file_min_age_days,
    parse_rollback_target,
    parse_run_id,
    parse_share,
    parse_table_write_options,
    parse_tables,
    parse_timestamp,
    parse_whole_number,
)
from .publication import PUBLISHED_TABLES
from .quality_spec import Expectations, parse_quality_expectations
from .rollback_target import RollbackTarget


@dataclass(frozen=True, kw_only=True)
class JobArguments:
    """What every job is given: where the tables are, the run's id, the write options of what it writes."""

    job: str
    catalog: str
    database: str
    warehouse: str
    run_id: str
    table_write_options: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class PublishingArguments(JobArguments):
    """A pipeline job, which publishes through audit branches (write-audit-publish, publish.py)."""

    quality_expectations: Mapping[str, Expectations]
    run_tag_retention_days: int
    as_of: datetime | None = None  # freshness is measured from here; None: when the checks run
    accept_failed_checks: tuple[str, ...] = ()
    audit_branches: Mapping[str, str] = field(default_factory=dict)  # set by publish.audited_run


@dataclass(frozen=True, kw_only=True)
class QuarantiningArguments(PublishingArguments):
    """A pipeline job that quarantines the records it cannot read exactly, up to a share of its input."""

    max_bad_record_share: float


@dataclass(frozen=True, kw_only=True)
class BronzeIngestArguments(QuarantiningArguments):
    landing_uri: str  # always ends with "/"


@dataclass(frozen=True, kw_only=True)
class SilverOrdersArguments(QuarantiningArguments):
    pass


@dataclass(frozen=True, kw_only=True)
class SilverCustomersArguments(QuarantiningArguments):
    pass


@dataclass(frozen=True, kw_only=True)
class GoldDailyMetricsArguments(PublishingArguments):
    pass


@dataclass(frozen=True, kw_only=True)
class MaintenanceArguments(JobArguments):
    snapshot_retention_days: int
    snapshots_to_keep: int
    orphan_file_min_age_days: int
    target_file_size_mb: int
    tables: tuple[str, ...] | None = None  # None: every table of the database


@dataclass(frozen=True, kw_only=True)
class RollbackArguments(JobArguments):
    """`maintenance --mode rollback`."""

    rollback: RollbackTarget


JOB_KEYS = ("bronze_ingest", "silver_customers", "silver_orders", "gold_daily_metrics", "maintenance")
ROLLBACK = "maintenance --mode rollback"  # maintenance's other mode, an argument type of its own

_SHARED_REQUIRED = ("--catalog", "--database", "--warehouse")
# --JOB_RUN_ID is Glue's own: the run id when Step Functions did not give one.
_SHARED_OPTIONAL = ("--table-write-options", "--run-id", "--JOB_RUN_ID")
_PUBLISHING_REQUIRED = ("--quality-expectations", "--run-tag-retention-days")
_PUBLISHING_OPTIONAL = ("--as-of", "--accept-failed-checks")
_MAINTENANCE_SETTINGS = (
    "--snapshot-retention-days",
    "--snapshots-to-keep",
    "--orphan-file-min-age-days",
    "--target-file-size-mb",
)


@dataclass(frozen=True)
class _Signature:
    """The arguments one job (or maintenance's rollback mode) takes beyond the shared ones."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    def flags(self) -> tuple[str, ...]:
        return (*_SHARED_REQUIRED, *self.required, *_SHARED_OPTIONAL, *self.optional)


def _quarantining(*own: str) -> _Signature:
    return _Signature((*own, "--max-bad-record-share", *_PUBLISHING_REQUIRED), _PUBLISHING_OPTIONAL)


SIGNATURES: Mapping[str, _Signature] = {
    "bronze_ingest": _quarantining("--landing-uri"),
    "silver_orders": _quarantining(),
    "silver_customers": _quarantining(),
    "gold_daily_metrics": _Signature(_PUBLISHING_REQUIRED, _PUBLISHING_OPTIONAL),
    "maintenance": _Signature(_MAINTENANCE_SETTINGS, ("--tables", "--mode")),
    # The maintenance job's default arguments (its settings, --tables) come with every run Glue starts,
    # a rollback's too: accepted there, and not read.
    ROLLBACK: _Signature((), ("--mode", *ROLLBACK_FLAGS, *_MAINTENANCE_SETTINGS, "--tables")),
}
_EVERY_FLAG = tuple(dict.fromkeys(flag for s in SIGNATURES.values() for flag in s.flags()))


def _flag_values(argv: Sequence[str], flags: Sequence[str]) -> dict[str, str | None]:
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for flag in flags:
        parser.add_argument(flag)
    known, _glue_keys = parser.parse_known_args(list(argv))
    return {flag: getattr(known, flag[2:].replace("-", "_")) for flag in flags}


def _checked_values(job: str, mode: str | None, argv: Sequence[str]) -> dict[str, str]:
    """The values of the flags the job (in its mode) takes; refuses another job's flag and a missing one."""
    label = ROLLBACK if mode == "rollback" else job
    signature = SIGNATURES[label]
    values = _flag_values(argv, _EVERY_FLAG)
    accepted = signature.flags()
    foreign = [flag for flag in _EVERY_FLAG if values[flag] is not None and flag not in accepted]
    if foreign:
        hint = "; a rollback needs --mode rollback" if set(foreign) & set(ROLLBACK_FLAGS) else ""
        raise ValueError(
            f"[{', '.join(foreign)}] not taken by job {label}, which takes {', '.join(accepted)}{hint}"
        )
    missing = [flag for flag in (*_SHARED_REQUIRED, *signature.required) if values[flag] in (None, "")]
    if missing:
        raise ValueError(f"[{', '.join(missing)}] required by job {job} but not given")
    return {flag: value for flag, value in values.items() if value is not None}


def _shared(job: str, values: Mapping[str, str]) -> dict[str, object]:
    return {
        "job": job,
        "catalog": parse_identifier("--catalog", values["--catalog"]),
        "database": parse_identifier("--database", values["--database"]),
        "warehouse": values["--warehouse"],
        "table_write_options": parse_table_write_options(values.get("--table-write-options") or "{}"),
        "run_id": parse_run_id(values.get("--run-id"), values.get("--JOB_RUN_ID")),
    }


def _publishing(job: str, values: Mapping[str, str]) -> dict[str, object]:
    as_of = values.get("--as-of")
    return {
        "quality_expectations": parse_quality_expectations(
            values["--quality-expectations"], PUBLISHED_TABLES[job]
        ),
        "run_tag_retention_days": parse_whole_number(
            "--run-tag-retention-days", values["--run-tag-retention-days"]
        ),
        "as_of": None if as_of is None else parse_timestamp("--as-of", as_of),
        "accept_failed_checks": parse_check_list(values.get("--accept-failed-checks") or ""),
    }


def _share(values: Mapping[str, str]) -> float:
    return parse_share("--max-bad-record-share", values["--max-bad-record-share"])


def _maintenance(values: Mapping[str, str]) -> dict[str, object]:
    tables = values.get("--tables")
    return {
        "snapshot_retention_days": parse_whole_number(
            "--snapshot-retention-days", values["--snapshot-retention-days"]
        ),
        "snapshots_to_keep": parse_whole_number("--snapshots-to-keep", values["--snapshots-to-keep"]),
        "orphan_file_min_age_days": parse_orphan_file_min_age_days(values["--orphan-file-min-age-days"]),
        "target_file_size_mb": parse_whole_number("--target-file-size-mb", values["--target-file-size-mb"]),
        "tables": None if tables is None else parse_tables(tables),
    }


def parse_job_arguments(job: str, argv: Sequence[str]) -> JobArguments:
    """Parses and validates every argument of `job` into its type; raises ValueError before anything is
    touched."""
    if job not in JOB_KEYS:
        raise ValueError(f"[job] must be one of {', '.join(JOB_KEYS)}; got {job!r}")
    mode = _flag_values(argv, ("--mode",))["--mode"] if job == "maintenance" else None
    if mode not in (None, "maintenance", "rollback"):
        raise ValueError(f"[--mode] must be maintenance or rollback; got {mode!r}")
    values = _checked_values(job, mode, argv)
    shared = _shared(job, values)
    if mode == "rollback":
        target = parse_rollback_target({flag: values.get(flag) for flag in ROLLBACK_FLAGS})
        return RollbackArguments(**shared, rollback=target)  # type: ignore[arg-type]
    if job == "maintenance":
        return MaintenanceArguments(**shared, **_maintenance(values))  # type: ignore[arg-type]
    publishing = {**shared, **_publishing(job, values)}
    if job == "gold_daily_metrics":
        return GoldDailyMetricsArguments(**publishing)  # type: ignore[arg-type]
    if job == "bronze_ingest":
        landing_uri = values["--landing-uri"].rstrip("/") + "/"
        return BronzeIngestArguments(
            **publishing, max_bad_record_share=_share(values), landing_uri=landing_uri
        )  # type: ignore[arg-type]
    quarantining = SilverOrdersArguments if job == "silver_orders" else SilverCustomersArguments
    return quarantining(**publishing, max_bad_record_share=_share(values))  # type: ignore[arg-type]
