"""The local harness: Glue-shaped job arguments from the contract and table DDL aimed at a test
database (pure)."""

from __future__ import annotations

import pytest

from lakehouse_jobs.local import create_table_sql, job_arguments

SPECS = {
    "stack": "dev",
    "catalog": "glue_catalog",
    "database": "ecommerce_lakehouse",
    "tables": [
        {
            "name": "raw_orders",
            "sparkCreateTable": "CREATE TABLE `glue_catalog`.`ecommerce_lakehouse`.`raw_orders` (\n  `order_id` string\n)\nUSING iceberg",
        },
        {
            "name": "quarantine_records",
            "sparkCreateTable": "CREATE TABLE `other`.`db`.`quarantine_records` (\n)",
        },
    ],
    "jobs": {
        "bronze_ingest": {
            "parameters": {
                "--table-write-options": '{"raw_orders":{"distribution-mode":"hash"}}',
                "--max-bad-record-share": "0.05",
            },
            "readsLanding": True,
        },
    },
}


def test_jobs_get_the_stacks_parameters_and_local_locations() -> None:
    assert job_arguments("bronze_ingest", "test_1", "/tmp/wh", SPECS, landing_uri="/tmp/landing") == [
        "--JOB_NAME", "bronze_ingest", "--job-bookmark-option", "job-bookmark-disable",
        "--catalog", "glue_catalog", "--database", "test_1", "--warehouse", "/tmp/wh",
        "--table-write-options", '{"raw_orders":{"distribution-mode":"hash"}}',
        "--max-bad-record-share", "0.05", "--landing-uri", "/tmp/landing",
    ]  # fmt: skip


def test_a_value_given_replaces_the_stacks() -> None:
    argv = job_arguments("bronze_ingest", "t", "/w", SPECS, max_bad_record_share=1, landing_uri="/l")
    assert argv[argv.index("--max-bad-record-share") + 1] == "1"
    assert argv.count("--max-bad-record-share") == 1


def test_a_job_the_stack_does_not_have_is_named() -> None:
    with pytest.raises(KeyError) as error:
        job_arguments("maintenance", "t", "/w", SPECS)
    assert error.value.args[0] == "[job] the dev stack has no job maintenance; its jobs: bronze_ingest"


def test_the_specs_ddl_is_aimed_at_another_database() -> None:
    assert create_table_sql(SPECS, SPECS["tables"][0], "test_7") == (
        "CREATE TABLE IF NOT EXISTS `glue_catalog`.`test_7`.`raw_orders` (\n  `order_id` string\n)\nUSING iceberg"
    )
    with pytest.raises(ValueError) as error:
        create_table_sql(SPECS, SPECS["tables"][1], "test_7")
    assert str(error.value) == (
        "[sparkCreateTable] of quarantine_records does not start with "
        "'CREATE TABLE `glue_catalog`.`ecommerce_lakehouse`.`quarantine_records` ('"
    )
