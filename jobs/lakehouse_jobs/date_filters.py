"""Filters on a set of days that Iceberg prunes partitions and files with.

Consecutive days become one range (`>= first day AND < the day after the last`), each a predicate on
the column itself, which Iceberg evaluates against partition values and column bounds. A filter on
`to_date(column)` or an `IN` list of more than a few values would read every file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import reduce

from pyspark.sql import Column
from pyspark.sql import functions as F


def day_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Sorted runs of consecutive days as [first, day after last) (pure)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] == day:
            runs[-1] = (runs[-1][0], day + timedelta(days=1))
        else:
            runs.append((day, day + timedelta(days=1)))
    return runs


def month_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """The months that hold `days`, as runs of [first day of a month, first day after the run) (pure)."""
    months = {d.replace(day=1) for d in days}
    runs: list[tuple[date, date]] = []
    for month in sorted(months):
        following = (month + timedelta(days=32)).replace(day=1)
        if runs and runs[-1][1] == month:
            runs[-1] = (runs[-1][0], following)
        else:
            runs.append((month, following))
    return runs


def _literal(day: date, timestamps: bool) -> Column:
    return F.lit(day).cast("timestamp_ntz") if timestamps else F.lit(day)


def in_runs(column: str, runs: list[tuple[date, date]], timestamps: bool = True) -> Column:
    """`column` falls in one of `runs` (a timestamp column, or a date column with `timestamps=False`)."""
    if not runs:
        return F.lit(False)
    value = F.col(column)
    parts = [(value >= _literal(a, timestamps)) & (value < _literal(b, timestamps)) for a, b in runs]
    return reduce(lambda left, right: left | right, parts)


def in_days(column: str, days: Iterable[date], timestamps: bool = True) -> Column:
    return in_runs(column, day_runs(days), timestamps)


def in_days_sql(column: str, days: Iterable[date]) -> str:
    """The same filter on a timestamp column as SQL text, for a MERGE condition."""
    runs = day_runs(days)
    if not runs:
        return "false"
    return (
        "("
        + " OR ".join(
            f"({column} >= TIMESTAMP_NTZ '{a} 00:00:00' AND {column} < TIMESTAMP_NTZ '{b} 00:00:00')"
            for a, b in runs
        )
        + ")"
    )
