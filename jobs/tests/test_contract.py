"""The contract between the stack and the jobs (build/table-specs.json, exported for the dev stack by
the test command): every job's parameters as the stack passes them to Glue parse with the jobs' own
argument parser, and the parser's bounds are the configuration schema's (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from lakehouse_jobs.argument_values import PARAMETER_BOUNDS
from lakehouse_jobs.arguments import parse_job_arguments
from lakehouse_jobs.local import job_arguments, load_table_specs

SPECS = load_table_specs()
# Which job takes each bounded parameter, and the field it becomes.
TAKES = {
    "--max-bad-record-share": ("silver_orders", "max_bad_record_share"),
    "--snapshot-retention-days": ("maintenance", "snapshot_retention_days"),
    "--snapshots-to-keep": ("maintenance", "snapshots_to_keep"),
    "--orphan-file-min-age-days": ("maintenance", "orphan_file_min_age_days"),
    "--target-file-size-mb": ("maintenance", "target_file_size_mb"),
    "--run-tag-retention-days": ("silver_orders", "run_tag_retention_days"),
}


def _argv(job: str, **overrides: object) -> list[str]:
    landing = {"landing_uri": "/tmp/landing"} if SPECS["jobs"][job]["readsLanding"] else {}
    return job_arguments(job, "contract_test", "/tmp/warehouse", SPECS, **landing, **overrides)


def test_the_contract_is_the_dev_stacks() -> None:
    assert (SPECS["stack"], SPECS["catalog"], SPECS["database"]) == (
        "dev",
        "glue_catalog",
        "ecommerce_lakehouse_dev",
    )
    assert sorted(SPECS["jobs"]) == [
        "bronze_ingest",
        "gold_daily_metrics",
        "maintenance",
        "silver_customers",
        "silver_orders",
    ]


@pytest.mark.parametrize("job", sorted(SPECS["jobs"]))
def test_every_jobs_parameters_parse_with_the_jobs_own_parser(job: str) -> None:
    args = parse_job_arguments(job, _argv(job))
    parameters: dict[str, Any] = SPECS["jobs"][job]["parameters"]
    for flag, (_taker, field) in TAKES.items():
        if flag in parameters:
            assert str(getattr(args, field)) in (parameters[flag], f"{parameters[flag]}.0")
    if "--tables" in parameters:
        assert args.tables == tuple(parameters["--tables"].split(","))
    assert (args.catalog, args.database) == ("glue_catalog", "contract_test")


def test_the_dev_stacks_values_reach_the_jobs() -> None:
    maintenance = parse_job_arguments("maintenance", _argv("maintenance"))
    kept = (maintenance.snapshot_retention_days, maintenance.snapshots_to_keep)
    assert (*kept, maintenance.orphan_file_min_age_days, maintenance.target_file_size_mb) == (3, 5, 3, 64)
    assert parse_job_arguments("bronze_ingest", _argv("bronze_ingest")).table_write_options == {
        "raw_orders": {"distribution-mode": "hash", "advisory-partition-size": "134217728"}
    }


def test_the_parsers_bounds_are_the_schemas() -> None:
    exported = {flag: (b["min"], b["max"]) for flag, b in SPECS["parameterBounds"].items()}
    assert exported == PARAMETER_BOUNDS
    assert set(TAKES) == set(exported)


@pytest.mark.parametrize("flag", sorted(TAKES))
def test_the_parser_accepts_exactly_the_schemas_range(flag: str) -> None:
    job, field = TAKES[flag]
    bounds = SPECS["parameterBounds"][flag]
    step = 1 if bounds["integer"] else 0.001
    for inside in (bounds["min"], bounds["max"]):
        assert getattr(parse_job_arguments(job, _argv(job, **{field: inside})), field) == inside
    for outside in (bounds["min"] - step, bounds["max"] + step):
        with pytest.raises(ValueError, match=rf"^\[{flag}\] must be"):
            parse_job_arguments(job, _argv(job, **{field: outside}))
