"""Freshness and volume: checks of a table as a whole rather than of the rows a run wrote.

- freshness: the newest value of a time column is at most `maxAgeHours` older than the run's as-of
  time (`--as-of`, default when the checks run). Judged on every run, also one that changed nothing:
  a source that stopped sending is what it exists to notice.
- volume: the rows a run added (rows on the audit branch minus rows on main) against the median of what
  the last `trailingRuns` published runs added (runs that added none are left out): inside
  [median / maxRatio, median x maxRatio]. Judged once `minRuns` such runs exist; a run that added no
  rows is not judged (nothing to publish). The history is quality_results' own (quality_results.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from statistics import median

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .quality_checks import CheckResult
from .quality_spec import Freshness, Volume

VOLUME_CHECK = "volume"


def freshness_check(table: str, rows: DataFrame, freshness: Freshness, as_of: datetime) -> CheckResult:
    newest, count = rows.agg(F.max(freshness.column), F.count("*")).first()
    check = f"freshness:{freshness.column}"
    threshold = f"newest at most {freshness.max_age_hours} h before {as_of:%Y-%m-%dT%H:%M:%SZ}"
    if newest is None:
        return CheckResult(table, check, None, "minutes", count, threshold, True, "no rows yet")
    age = int((as_of - newest).total_seconds() // 60)
    detail = f"newest {freshness.column} {newest:%Y-%m-%dT%H:%M:%SZ}"
    return CheckResult(
        table, check, age, "minutes", count, threshold, age <= freshness.max_age_hours * 60, detail
    )


def volume_check(table: str, added: int, history: Sequence[int], volume: Volume) -> CheckResult:
    """`history`: rows added by the latest published runs that added any, newest first (pure)."""
    runs = list(history[: volume.trailing_runs])
    if len(runs) < volume.min_runs:
        threshold = f"not judged: {len(runs)} of {volume.min_runs} published runs that added rows"
        return CheckResult(table, VOLUME_CHECK, added, "rows", added, threshold, True)
    middle = median(runs)
    low, high = middle / volume.max_ratio, middle * volume.max_ratio
    threshold = (
        f"between {low:g} and {high:g} rows (median {middle:g} of the last {len(runs)} published runs, "
        f"x/÷ {volume.max_ratio:g})"
    )
    detail = f"last runs added {', '.join(str(r) for r in runs)}"
    return CheckResult(table, VOLUME_CHECK, added, "rows", added, threshold, low <= added <= high, detail)
