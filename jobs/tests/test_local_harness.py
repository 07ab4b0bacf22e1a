"""The local harness: Glue-shaped job arguments and table DDL aimed at a test database (pure)."""

from __future__ import annotations

import pytest

from lakehouse_jobs.local import create_table_sql, job_arguments, table_write_options

SPECS = {
    "catalog": "glue_catalog",
    "database": "ecommerce_lakehouse",
    "tables": [
        {
            "name": "raw_orders",
            "sparkWriteOptions": {"distribution-mode": "hash"},
            "sparkCreateTable": "CREATE TABLE `glue_catalog`.`ecommerce_lakehouse`.`raw_orders` (\n  `order_id` string\n)\nUSING iceberg",
        },
        {
            "name": "quarantine_records",
            "sparkCreateTable": "CREATE TABLE `other`.`db`.`quarantine_records` (\n)",
        },
    ],
}


def test_jobs_get_the_arguments_glue_passes() -> None:
    assert job_arguments("silver_orders", "test_1", "/tmp/wh", SPECS, max_bad_record_share=0.05) == [
        "--JOB_NAME", "silver_orders", "--job-bookmark-option", "job-bookmark-disable",
        "--catalog", "glue_catalog", "--database", "test_1", "--warehouse", "/tmp/wh",
        "--table-write-options", '{"raw_orders":{"distribution-mode":"hash"}}',
        "--max-bad-record-share", "0.05",
    ]  # fmt: skip
    assert table_write_options({"tables": [{"name": "t"}]}) == "{}"


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
