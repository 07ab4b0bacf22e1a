"""The Athena -> Spark SQL translation, on the queries the stack ships and on the edges of its rules."""

from __future__ import annotations

from datetime import date

import pytest

from demo.athena_sql import (
    NamedQuery,
    bind_example,
    load_named_queries,
    parse_named_query,
    to_spark_sql,
    use_database,
)
from demo.queries import SNAPSHOT_EXAMPLE, TIMESTAMP_EXAMPLE, Snapshot, bound_queries, format_rows

QUERIES = load_named_queries()


def spark(file: str) -> str:
    return to_spark_sql(QUERIES[file].sql, "glue_catalog", "lake_dev")


def test_every_shipped_query_is_loaded_with_its_header() -> None:
    assert {f: q.name for f, q in QUERIES.items()} == {
        "daily_revenue.sql": "daily-revenue",
        "quality_results_latest_run.sql": "quality-results-latest-run",
        "revenue_by_segment.sql": "revenue-by-customer-segment",
        "snapshot_history.sql": "snapshot-history-orders",
        "table_files.sql": "table-files-orders",
        "time_travel_by_snapshot.sql": "time-travel-orders-by-snapshot",
        "time_travel_by_timestamp.sql": "time-travel-orders-by-timestamp",
    }


def test_queries_in_the_common_dialect_pass_through_unchanged() -> None:
    for file in ("daily_revenue.sql", "revenue_by_segment.sql"):
        assert spark(file) == QUERIES[file].sql
    assert "current_date - INTERVAL '30' DAY" in spark("daily_revenue.sql")


def test_current_date_becomes_the_demos_day_outside_literals_and_comments() -> None:
    athena = "SELECT current_date, CURRENT_DATE - INTERVAL '30' DAY, 'current_date' -- current_date"
    assert to_spark_sql(athena, "c", "d", date(2026, 3, 15)) == (
        "SELECT DATE '2026-03-15', DATE '2026-03-15' - INTERVAL '30' DAY, 'current_date' -- current_date"
    )
    assert to_spark_sql(athena, "c", "d") == athena


def test_metadata_tables_become_fully_qualified_spark_metadata_tables() -> None:
    assert spark("snapshot_history.sql").splitlines()[-2:] == [
        "FROM `glue_catalog`.`lake_dev`.`curated_orders`.`snapshots`",
        "ORDER BY committed_at DESC;",
    ]
    assert spark("table_files.sql").splitlines()[-3] == (
        "FROM `glue_catalog`.`lake_dev`.`curated_orders`.`files`"
    )


def test_time_travel_clauses_lose_their_for() -> None:
    assert spark("time_travel_by_snapshot.sql").splitlines()[1] == (
        "FROM curated_orders VERSION AS OF 1234567890123456789"
    )
    assert spark("time_travel_by_timestamp.sql").splitlines()[1] == (
        "FROM curated_orders TIMESTAMP AS OF (current_timestamp - INTERVAL '1' DAY)"
    )


def test_rules_keep_case_and_spacing_and_never_touch_literals_or_comments() -> None:
    athena = (
        'SELECT \'for version as of "x$files"\' AS s, "Order Id", "a""b" FROM t for  Version\n'
        'as of 3 -- FOR TIMESTAMP AS OF "t$files"'
    )
    assert to_spark_sql(athena, "c", "d") == (
        'SELECT \'for version as of "x$files"\' AS s, `Order Id`, `a"b` FROM t Version\n'
        'AS OF 3 -- FOR TIMESTAMP AS OF "t$files"'
    )
    assert to_spark_sql('SELECT * FROM "t$unknown"', "c", "d") == "SELECT * FROM `t$unknown`"


def test_a_qualified_metadata_table_and_bad_names_are_refused() -> None:
    with pytest.raises(ValueError) as error:
        to_spark_sql('SELECT * FROM "lake"."t$snapshots"', "c", "d")
    assert str(error.value) == (
        '[sql] "t$snapshots" is qualified; write metadata tables unqualified, the database is set by USE'
    )
    with pytest.raises(ValueError) as error:
        to_spark_sql("SELECT 1", "c", "Lake-Dev")
    assert str(error.value) == "[database] must be lowercase letters, digits and underscores; got 'Lake-Dev'"


def test_use_database_sets_where_unqualified_names_resolve() -> None:
    assert use_database("glue_catalog", "lake_dev") == "USE `glue_catalog`.`lake_dev`"


def test_the_time_travel_examples_are_bound_to_the_snapshot_before_the_last_run() -> None:
    bound = bound_queries(QUERIES, Snapshot(42, "2026-03-15 10:11:12.345"))
    assert (
        bound["time_travel_by_snapshot.sql"].sql.splitlines()[1] == "FROM curated_orders FOR VERSION AS OF 42"
    )
    assert bound["time_travel_by_timestamp.sql"].sql.splitlines()[1] == (
        "FROM curated_orders FOR TIMESTAMP AS OF TIMESTAMP '2026-03-15 10:11:12.345 UTC'"
    )
    assert (SNAPSHOT_EXAMPLE, TIMESTAMP_EXAMPLE) == (
        "1234567890123456789",
        "(current_timestamp - INTERVAL '1' DAY)",
    )


def test_an_example_value_that_is_not_there_exactly_once_is_refused_naming_the_file() -> None:
    query = NamedQuery("q", "d", "q.sql", "SELECT 1 FROM t FOR VERSION AS OF 7 UNION SELECT 7")
    with pytest.raises(ValueError) as error:
        bind_example(query, "7", "8")
    assert str(error.value) == "[q.sql] the example value '7' occurs 2 times; the demo replaces it once"


def test_a_query_file_without_its_header_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        parse_named_query("x.sql", "-- name: x\nSELECT 1")
    assert str(error.value) == (
        'sql/named-queries/x.sql: starts with "-- name: <name>" and "-- description: <text>" lines'
    )


def test_results_are_shown_as_a_small_table_with_first_and_last_rows() -> None:
    rows = [(f"2026-03-{d:02d}", d * 10, None) for d in range(1, 8)]
    assert format_rows(["day", "revenue", "note"], rows, shown=2) == [
        "day         revenue  note",
        "2026-03-01  10       NULL",
        "2026-03-02  20       NULL",
        "...         ...      ...",
        "2026-03-06  60       NULL",
        "2026-03-07  70       NULL",
    ]
