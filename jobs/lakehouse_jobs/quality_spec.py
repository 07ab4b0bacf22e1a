"""The quality expectations of the tables a job publishes, as the stack declares them beside each table's
columns (`quality` in tables/seed-tables.ts) and passes them in `--quality-expectations` (JSON by table).

Parsed and validated before any work, because a job can also be started by hand with any arguments:
every error names the field and what is accepted. The checks themselves are in quality_checks.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

ARGUMENT = "--quality-expectations"
COLUMN = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")  # `items.product_id`: a field of an array
DEFAULT_MIN_ROWS = 100  # a share of fewer rows says little: tolerant checks judge from this many on


@dataclass(frozen=True)
class Tolerance:
    """A check fails when the failing share of the rows it looked at is above `max_share`; a share is
    judged only over at least `min_rows` rows (a strict check, max_share 0, is always judged)."""

    max_share: float = 0.0
    min_rows: int = DEFAULT_MIN_ROWS


@dataclass(frozen=True)
class UniqueKey:
    columns: tuple[str, ...]
    scope: str = "table"  # "table": against every row (of `where`); "batch": among the rows of this run
    where: str | None = None  # a boolean column: unique among the rows where it is true (SCD2 current)
    tolerance: Tolerance = Tolerance()


@dataclass(frozen=True)
class Reference:
    column: str  # `customer_id`, or `items.product_id` for a field of an array of structs
    table: str
    table_column: str
    tolerance: Tolerance = Tolerance()


@dataclass(frozen=True)
class Freshness:
    column: str
    max_age_hours: int


@dataclass(frozen=True)
class Volume:
    """Rows a run adds, against the median of the last `trailing_runs` published runs that added rows:
    inside [median / max_ratio, median * max_ratio], judged once `min_runs` such runs exist."""

    max_ratio: float
    trailing_runs: int
    min_runs: int


@dataclass(frozen=True)
class Expectations:
    not_null: tuple[str, ...] = ()
    unique: tuple[UniqueKey, ...] = ()
    accepted_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ranges: Mapping[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    references: tuple[Reference, ...] = ()
    freshness: Freshness | None = None
    volume: Volume | None = None


class _Reader:
    """Reads one table's JSON object, naming each field it refuses (`t.unique[0].columns`)."""

    def __init__(self, table: str) -> None:
        self.table = table

    def fail(self, path: str, accepted: str, got: Any) -> ValueError:
        return ValueError(f"[{ARGUMENT}] {self.table}.{path} must be {accepted}; got {json.dumps(got)}")

    def obj(self, path: str, value: Any, keys: set[str] | None = None) -> dict[str, Any]:
        """An object; with `keys`, only those keys (a misspelt expectation is refused, never ignored)."""
        if not isinstance(value, dict):
            raise self.fail(path, "an object", value)
        unknown = sorted(set(value) - keys) if keys is not None else []
        if unknown:
            raise self.fail(path, f"an object of {', '.join(sorted(keys or ()))}", unknown)
        return value

    def column(self, path: str, value: Any) -> str:
        if not isinstance(value, str) or not COLUMN.match(value):
            raise self.fail(path, "a column name (lowercase, `array.field` for an array's field)", value)
        return value

    def columns(self, path: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(path, "a non-empty list of column names", value)
        return tuple(self.column(f"{path}[{i}]", v) for i, v in enumerate(value))

    def number(self, path: str, value: Any, low: float, high: float, whole: bool = False) -> Any:
        kind = int if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
            raise self.fail(path, f"a {'whole ' if whole else ''}number from {low:g} to {high:g}", value)
        return value

    def tolerance(self, path: str, value: dict[str, Any]) -> Tolerance:
        return Tolerance(
            float(self.number(f"{path}.maxShare", value.get("maxShare", 0.0), 0, 1)),
            self.number(f"{path}.minRows", value.get("minRows", DEFAULT_MIN_ROWS), 1, 10**9, whole=True),
        )

    def decimal(self, path: str, value: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise InvalidOperation
            return Decimal(value)
        except InvalidOperation:
            raise self.fail(path, 'a decimal as a string ("0.00")', value) from None


def _unique(r: _Reader, i: int, value: Any) -> UniqueKey:
    path = f"unique[{i}]"
    item = r.obj(path, value, {"columns", "scope", "where", "maxShare", "minRows"})
    scope = item.get("scope", "table")
    if scope not in ("table", "batch"):
        raise r.fail(f"{path}.scope", '"table" or "batch"', scope)
    where = item.get("where")
    return UniqueKey(
        r.columns(f"{path}.columns", item.get("columns")),
        scope,
        None if where is None else r.column(f"{path}.where", where),
        r.tolerance(path, item),
    )


def _reference(r: _Reader, i: int, value: Any) -> Reference:
    path = f"references[{i}]"
    item = r.obj(path, value, {"column", "table", "tableColumn", "maxShare", "minRows"})
    table = item.get("table")
    if not isinstance(table, str) or not re.fullmatch(r"[a-z0-9_]{1,128}", table):
        raise r.fail(f"{path}.table", "a table name", table)
    return Reference(
        r.column(f"{path}.column", item.get("column")),
        table,
        r.column(f"{path}.tableColumn", item.get("tableColumn")),
        r.tolerance(path, item),
    )


def _accepted_values(r: _Reader, value: Any) -> dict[str, tuple[str, ...]]:
    accepted = {}
    for column, values in r.obj("acceptedValues", value).items():
        r.column(f"acceptedValues.{column}", column)
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise r.fail(f"acceptedValues.{column}", "a non-empty list of strings", values)
        accepted[column] = tuple(values)
    return accepted


def _ranges(r: _Reader, value: Any) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    ranges = {}
    for column, bounds in r.obj("ranges", value).items():
        r.column(f"ranges.{column}", column)
        item = r.obj(f"ranges.{column}", bounds, {"min", "max"})
        low = r.decimal(f"ranges.{column}.min", item.get("min"))
        high = r.decimal(f"ranges.{column}.max", item.get("max"))
        if (low, high) == (None, None) or (low is not None and high is not None and low > high):
            raise r.fail(f"ranges.{column}", "an object with min and/or max, min <= max", bounds)
        ranges[column] = (low, high)
    return ranges


def parse_table_expectations(table: str, value: Any) -> Expectations:
    r = _Reader(table)
    keys = {"notNull", "unique", "acceptedValues", "ranges", "references", "freshness", "volume"}
    item = r.obj("quality", value, keys)
    freshness = volume = None
    if "freshness" in item:
        f = r.obj("freshness", item["freshness"], {"column", "maxAgeHours"})
        freshness = Freshness(
            r.column("freshness.column", f.get("column")),
            r.number("freshness.maxAgeHours", f.get("maxAgeHours"), 1, 24 * 3650, whole=True),
        )
    if "volume" in item:
        v = r.obj("volume", item["volume"], {"maxRatio", "trailingRuns", "minRuns"})
        trailing = r.number("volume.trailingRuns", v.get("trailingRuns"), 1, 1000, whole=True)
        volume = Volume(
            float(r.number("volume.maxRatio", v.get("maxRatio"), 1, 10**6)),
            trailing,
            r.number("volume.minRuns", v.get("minRuns"), 1, trailing, whole=True),
        )
    for name in ("unique", "references"):
        if not isinstance(item.get(name, []), list):
            raise r.fail(name, "a list", item[name])
    return Expectations(
        not_null=r.columns("notNull", item["notNull"]) if "notNull" in item else (),
        unique=tuple(_unique(r, i, u) for i, u in enumerate(item.get("unique", []))),
        accepted_values=_accepted_values(r, item.get("acceptedValues", {})),
        ranges=_ranges(r, item.get("ranges", {})),
        references=tuple(_reference(r, i, x) for i, x in enumerate(item.get("references", []))),
        freshness=freshness,
        volume=volume,
    )


def parse_quality_expectations(value: str, published: tuple[str, ...]) -> dict[str, Expectations]:
    """`{"raw_orders": {...}, ...}` for the tables the job publishes (`published`); every one of them
    must be named (an empty object: no checks), so a table is never published unchecked by mistake."""
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"[{ARGUMENT}] must be JSON; {error.msg} at character {error.pos}") from None
    if not isinstance(parsed, dict):
        raise ValueError(f"[{ARGUMENT}] must be a JSON object of table name -> expectations")
    named, wanted = set(parsed), set(published)
    if named != wanted:
        raise ValueError(
            f"[{ARGUMENT}] must name exactly the tables this job publishes ({', '.join(published)}); "
            f"missing: {', '.join(sorted(wanted - named)) or 'none'}; "
            f"not published by it: {', '.join(sorted(named - wanted)) or 'none'}"
        )
    return {table: parse_table_expectations(table, parsed[table]) for table in published}
