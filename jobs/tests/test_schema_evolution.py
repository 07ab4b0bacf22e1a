"""Schema evolution: a column added to a table's spec reaches the table without rewriting data."""

from __future__ import annotations

import copy

import pytest

from lakehouse_jobs.local import evolve_table, plan_added_columns, table_spec

from . import scenario as s
from .builders import customer
from .conftest import Lake

EXISTING = [("id", "string"), ("amount", "decimal(12,2)"), ("_ingestion_timestamp", "timestamp")]


def test_added_columns_become_alter_table_add_columns_at_their_declared_place() -> None:
    declared = [
        {"name": "id", "type": "string"},
        {"name": "amount", "type": "decimal(12, 2)"},
        {"name": "tier", "type": "string", "comment": "loyalty tier, it's new"},
        {"name": "_ingestion_timestamp", "type": "timestamp"},
        {"name": "tags", "type": "array<string>"},
    ]
    assert plan_added_columns("c.d.t", EXISTING, declared) == [
        "ALTER TABLE c.d.t ADD COLUMNS (`tier` string COMMENT 'loyalty tier, it\\'s new' AFTER `amount`)",
        "ALTER TABLE c.d.t ADD COLUMNS (`tags` array<string> AFTER `_ingestion_timestamp`)",
    ]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (
            [{"name": "id", "type": "string"}, {"name": "_ingestion_timestamp", "type": "timestamp"}],
            "[columns] c.d.t.amount exists in the table but not in the spec; only added columns are applied",
        ),
        (
            [{"name": "id", "type": "bigint"}, {"name": "amount", "type": "decimal(12,2)"}, {"name": "_ingestion_timestamp", "type": "timestamp"}],
            "[columns] c.d.t.id is string in the table and bigint in the spec; only added columns are applied",
        ),
    ],
)  # fmt: skip
def test_other_spec_differences_are_refused_naming_the_column(
    declared: list[dict[str, str]], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        plan_added_columns("c.d.t", EXISTING, declared)
    assert str(error.value) == message


def test_a_new_spec_column_is_added_old_rows_read_null_and_no_data_file_is_rewritten(lake: Lake) -> None:
    lake.land("customers", s.CUSTOMERS_1[:2], s.DAY1)
    lake.run("bronze_ingest")
    before = lake.snapshots("raw_customers")[-1].snapshot_id
    files_before = {r[0] for r in lake.rows("raw_customers.files", ["file_path"])}

    evolved = copy.deepcopy(table_spec(lake.specs, "raw_customers"))
    new_column = {"name": "loyalty_tier", "type": "string", "comment": "new source field"}
    for key in ("columns", "sparkColumns"):  # a source field: before what bronze adds
        names = [c["name"] for c in evolved[key]]
        evolved[key].insert(names.index("_ingestion_timestamp"), new_column)
    statements = evolve_table(lake.spark, lake.specs, evolved, lake.database)
    assert statements == [
        f"ALTER TABLE glue_catalog.{lake.database}.raw_customers ADD COLUMNS (`loyalty_tier` string COMMENT 'new source field' AFTER `source_system`)"
    ]
    assert evolve_table(lake.spark, lake.specs, evolved, lake.database) == []  # applying twice is a no-op

    ana = {
        **customer("C5", "eve@example.com", "Eve Park", "Austin", "TX", "2024-02-01 00:00"),
        "loyalty_tier": "gold",
    }
    lake.land("customers", [ana], s.DAY2)
    lake.run("bronze_ingest")

    assert lake.rows("raw_customers", ["customer_id", "loyalty_tier"]) == [
        ("C1", None),
        ("C2", None),
        ("C5", "gold"),
    ]
    old = lake.spark.sql(f"SELECT * FROM {lake.table('raw_customers')} VERSION AS OF {before}")
    assert ("loyalty_tier" in old.columns, old.count()) == (False, 2)
    files_after = {r[0] for r in lake.rows("raw_customers.files", ["file_path"])}
    assert files_before < files_after and len(files_after - files_before) == 1
    columns = [f.name for f in lake.spark.table(lake.table("raw_customers")).schema]
    assert columns == [c["name"] for c in evolved["columns"]]
