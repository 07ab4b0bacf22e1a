"""Step: the Athena SQL shipped with the stack, on the local warehouse, and time travel in numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .athena_sql import NamedQuery, bind_example, to_spark_sql, use_database
from .lakehouse import LocalLakehouse, Snapshot

TIME_TRAVEL_TABLE = "curated_orders"
# The example values the time-travel queries tell the user to change (see their descriptions).
SNAPSHOT_EXAMPLE = "1234567890123456789"
TIMESTAMP_EXAMPLE = "(current_timestamp - INTERVAL '1' DAY)"
SHOWN_ROWS = 3  # first and last rows shown of each result


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, Decimal | int | str):
        return str(value)
    if value is None:
        return "NULL"
    if hasattr(value, "asDict"):  # a struct, such as a metadata table's partition
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.asDict().items())
    return str(value)


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], shown: int = SHOWN_ROWS) -> list[str]:
    """A small text table: the first and last `shown` rows, `...` between when there are more (pure)."""
    cells = [[_cell(v) for v in row] for row in rows]
    if len(cells) > 2 * shown:
        cells = [*cells[:shown], ["..."] * len(columns), *cells[-shown:]]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    return [
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
        for line in [list(columns), *cells]
    ]


def bound_queries(queries: dict[str, NamedQuery], before: Snapshot) -> dict[str, NamedQuery]:
    """The queries with the time-travel examples replaced by the snapshot before the last run."""
    bound = dict(queries)
    by_snapshot, by_time = "time_travel_by_snapshot.sql", "time_travel_by_timestamp.sql"
    bound[by_snapshot] = bind_example(queries[by_snapshot], SNAPSHOT_EXAMPLE, str(before.snapshot_id))
    bound[by_time] = bind_example(queries[by_time], TIMESTAMP_EXAMPLE, f"TIMESTAMP '{before.at} UTC'")
    return bound


def run_named_queries(
    lake: LocalLakehouse,
    queries: dict[str, NamedQuery],
    before: Snapshot,
    today: date,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Every shipped query on the local warehouse, `current_date` being the demo's day (`today`)."""
    catalog = lake.specs["catalog"]
    lake.spark.sql(use_database(catalog, lake.database))
    say(f"  {use_database(catalog, lake.database)}   -- unqualified names resolve as in the Athena workgroup")
    results: dict[str, Any] = {}
    for file, query in bound_queries(queries, before).items():
        spark_sql = to_spark_sql(query.sql, catalog, lake.database, today)
        frame = lake.spark.sql(spark_sql)
        rows = [tuple(r) for r in frame.collect()]
        results[query.name] = {"file": f"sql/named-queries/{file}", "rows": len(rows), "sparkSql": spark_sql}
        say(f"\n  -- {query.name} (sql/named-queries/{file}): {_rows(len(rows))}. {query.description}")
        if spark_sql != query.sql:
            say("     as Spark SQL: " + " ".join(spark_sql.split()))
        for line in format_rows(frame.columns, rows):
            say(f"     {line}")
    by_snapshot = results["time-travel-orders-by-snapshot"]
    by_time = results["time-travel-orders-by-timestamp"]
    now, then = lake.rows(TIME_TRAVEL_TABLE), lake.rows(TIME_TRAVEL_TABLE, before.snapshot_id)
    same = lake.spark.sql(by_snapshot["sparkSql"]).collect() == lake.spark.sql(by_time["sparkSql"]).collect()
    time_travel = {
        "table": TIME_TRAVEL_TABLE,
        "snapshotBeforeLastRun": before.snapshot_id,
        "publishedAt": before.at,
        "rowsThen": then,
        "rowsNow": now,
        "difference": now - then,
        "byTimestampSameAsBySnapshot": same,
    }
    say(
        f"\n  Time travel: {TIME_TRAVEL_TABLE} has {now} rows now and had {then} as of snapshot "
        f"{before.snapshot_id} ({before.at} UTC, before the last run): {now - then} rows "
        f"more. By time and by snapshot id the query returns the same rows: {'yes' if same else 'NO'}."
    )
    return {"namedQueries": results, "timeTravel": time_travel}
