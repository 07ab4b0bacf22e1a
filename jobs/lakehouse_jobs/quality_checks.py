"""The quality checks of one audited table (expectations from quality_spec.py), run on its audit branch.

What a check looks at: on a table with a run sequence (progress.SEQUENCE_COLUMNS: raw rows by bronze
run, curated_orders rows by change, curated_customers versions), the rows this run wrote, the ones above
the highest sequence main holds; on the others, every row. A unique key is checked for the keys this
run wrote against every row of the table (`where`: every current row) that lies within the range of
those keys, or among this run's rows only (`scope: batch`: a batch that repeats a key). When the run's
rows are every row of the table (a first load, or a table without a run sequence), the table's keys
are counted among them: the same count, without reading the table again. A reference is
looked up in the referenced table as this run leaves it (its audit branch when the same job publishes
it). Freshness and volume: quality_signals.py.

Every check gives one CheckResult: what it observed, of how many, the threshold, passed or not, and a
few failing values as a sample for the operator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DataType

from .quality_spec import Expectations, Reference, Tolerance, UniqueKey
from .snapshots import Lakehouse

SAMPLE_SIZE = 3


@dataclass(frozen=True)
class CheckResult:
    table: str
    check: str  # `not_null:order_id`, `unique:order_id`, `references:items.product_id`, `volume`, ...
    observed: int | None
    unit: str  # what `observed` counts: rows, keys, values, minutes
    checked: int  # rows (keys, values) the check looked at
    threshold: str
    passed: bool
    detail: str | None = None

    @property
    def check_id(self) -> str:
        """How `--accept-failed-checks` and the job's summary name it: `raw_orders.volume`."""
        return f"{self.table}.{self.check}"

    def describe(self) -> str:
        sample = f"; e.g. {self.detail}" if self.detail else ""
        seen = f"{self.observed} {self.unit} of {self.checked}"
        return f"{self.check_id}: {seen}, expected {self.threshold}{sample}"


def judge(observed: int, population: int, tolerance: Tolerance, unit: str) -> tuple[bool, str]:
    """(passed, threshold text) of `observed` failing out of `population` (pure)."""
    if tolerance.max_share == 0:
        return observed == 0, f"0 {unit}"
    threshold = f"<= {tolerance.max_share:.0%} of {unit} (judged from {tolerance.min_rows} {unit})"
    if population < tolerance.min_rows:
        return True, f"{threshold}: not judged, {population} {unit}"
    return observed <= tolerance.max_share * population, threshold


def _sample(rows: DataFrame, value: Column, count: Column | None = None) -> str | None:
    counted = rows.groupBy(value.alias("_v")).agg((count if count is not None else F.count("*")).alias("_n"))
    top = counted.orderBy(F.desc("_n"), "_v").limit(SAMPLE_SIZE).collect()
    return ", ".join(f"{r._v!s} ({r._n} rows)" for r in top) or None


def _key_text(columns: tuple[str, ...]) -> Column:
    return F.concat_ws(
        ", ", *[F.concat(F.lit(f"{c}="), F.coalesce(F.col(c).cast("string"), F.lit("NULL"))) for c in columns]
    )


def _range_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f">= {low}" if low is not None else f"<= {high}"


def _row_conditions(expectations: Expectations) -> list[tuple[str, Column, str]]:
    """(check, failing-row condition, threshold) of each not-null, accepted-values and range check."""
    conditions: list[tuple[str, Column, str]] = []
    for column in expectations.not_null:
        conditions.append((f"not_null:{column}", F.col(column).isNull(), "0 nulls"))
    for column, values in expectations.accepted_values.items():
        bad = F.col(column).isNotNull() & ~F.col(column).isin(*values)
        conditions.append((f"accepted_values:{column}", bad, f"values in {', '.join(values)}"))
    for column, (low, high) in expectations.ranges.items():
        below = F.col(column) < F.lit(low) if low is not None else F.lit(False)
        above = F.col(column) > F.lit(high) if high is not None else F.lit(False)
        conditions.append((f"range:{column}", below | above, _range_text(low, high)))
    return conditions


def _present(key: UniqueKey) -> Column:
    """Every column of the key is set: NULL is never equal to NULL, as in SQL."""
    present = F.lit(True)
    for c in key.columns:
        present = present & F.col(c).isNotNull()
    return present


@dataclass(frozen=True)
class ScopePass:
    """What one pass over the rows in scope counts: the rows, the failing rows of each row check, and
    the lowest and highest first column of each table-wide unique key among the rows that set it."""

    rows: int
    failing: list[int]
    bounds: dict[UniqueKey, tuple[object, object]]


def scope_pass(scope: DataFrame, expectations: Expectations) -> ScopePass:
    """One query: the row checks' counts and the table-wide keys' bounds together, since each is a
    pass over the same rows (a query of its own per key cost a Spark job each, 7 a daily run)."""
    conditions = _row_conditions(expectations)
    keys = [key for key in expectations.unique if key.scope != "batch"]
    if not conditions and not keys:
        return ScopePass(0, [], {})  # nothing to count: no query
    first = [F.when(_present(key), F.col(key.columns[0])) for key in keys]
    figures = scope.agg(
        F.count("*"),
        *[F.count_if(bad) for _, bad, _ in conditions],
        *[bound for value in first for bound in (F.min(value), F.max(value))],
    ).first()
    bounds = figures[1 + len(conditions) :]
    return ScopePass(
        figures[0],
        list(figures[1 : 1 + len(conditions)]),
        {key: (bounds[2 * i], bounds[2 * i + 1]) for i, key in enumerate(keys)},
    )


def row_checks(
    table: str, scope: DataFrame, expectations: Expectations, counted: ScopePass
) -> Iterator[CheckResult]:
    """Not null, accepted values and ranges over the rows in scope, from `counted` (scope_pass)."""
    conditions = _row_conditions(expectations)
    for (check, bad, threshold), observed in zip(conditions, counted.failing, strict=True):
        column = check.split(":", 1)[1]
        detail = _sample(scope.where(bad), F.col(column).cast("string")) if observed else None
        yield CheckResult(table, check, observed, "rows", counted.rows, threshold, observed == 0, detail)


def _within_bounds(column: str, kind: DataType, bounds: tuple[object, object]) -> Column:
    """`column` between the lowest and highest of the run's keys (`bounds`, of type `kind`): every row
    that can repeat one of them. As a literal range, Iceberg's planning drops the files whose column
    statistics lie outside it, so with keys that grow with time (order ids) the check reads the files
    of the run's days, not the table. With scattered keys (UUIDs) the range spans every file: the whole
    table, as without it. Two values reach the driver, never the keys."""
    low, high = bounds
    if low is None:
        return F.lit(False)  # no key to look for
    # A literal of the column's own type: no cast on the column.
    return F.col(column).between(F.lit(low).cast(kind), F.lit(high).cast(kind))


def _counted_keys(
    audited: DataFrame | None, scope: DataFrame, key: UniqueKey, counted: ScopePass
) -> DataFrame:
    """(the key's columns, `count`): how many rows hold each key the run wrote, among the run's rows
    (`scope: batch`) or in the table. `audited` None: the run's rows are every row of the table."""
    columns = list(key.columns)
    present = _present(key)
    if key.scope == "batch":
        return scope.where(present).groupBy(*columns).count()
    if audited is None:
        # The count among the run's rows is the count in the table. The look-up below would read every
        # file again and join it with the run's keys: curated_orders' key check in the 2-million-order
        # history load took 9.0 s with it, 3.3 s without (bench/README.md, the load's profile).
        rows = scope if key.where is None else scope.where(F.col(key.where))
        return rows.where(present).groupBy(*columns).count()
    rows = audited if key.where is None else audited.where(F.col(key.where))
    keys = scope.where(present).select(*columns).distinct()
    in_range = _within_bounds(columns[0], scope.schema[columns[0]].dataType, counted.bounds[key])
    return rows.where(in_range).join(keys, columns, "left_semi").groupBy(*columns).count()


def unique_check(
    table: str, audited: DataFrame | None, scope: DataFrame, key: UniqueKey, counted: ScopePass
) -> CheckResult:
    """How many of the keys the run wrote occur more than once (`audited` as in `_counted_keys`)."""
    counted_keys = _counted_keys(audited, scope, key, counted)
    # One pass: how many keys the run wrote, and how many of them occur more than once.
    population, observed = counted_keys.agg(F.count("*"), F.count_if(F.col("count") > 1)).first()
    passed, threshold = judge(observed, population, key.tolerance, "keys")
    where = f" where {key.where}" if key.where else ""
    name = f"{'batch_unique' if key.scope == 'batch' else 'unique'}:{'+'.join(key.columns)}"
    threshold = f"{threshold} repeated{where}{' within the run' if key.scope == 'batch' else ''}"
    detail = (
        _sample(counted_keys.where("count > 1"), _key_text(key.columns), F.first("count"))
        if observed
        else None
    )
    return CheckResult(table, name, observed, "keys", population, threshold, passed, detail)


def _referencing_values(scope: DataFrame, column: str) -> DataFrame:
    """The non-null values of `column` (`items.product_id`: of every element of the array `items`)."""
    if "." in column:
        array, field = column.split(".", 1)
        values = scope.select(F.explode(array).alias("_e")).select(F.col(f"_e.{field}").alias("_v"))
    else:
        values = scope.select(F.col(column).alias("_v"))
    return values.where("_v IS NOT NULL")


def reference_check(
    spark: SparkSession, lakehouse: Lakehouse, table: str, scope: DataFrame, reference: Reference
) -> CheckResult:
    referenced = (
        spark.table(lakehouse.table(reference.table))
        .select(F.col(reference.table_column).alias("_r"), F.lit(True).alias("_found"))
        .dropDuplicates(["_r"])
    )
    values = _referencing_values(scope, reference.column).join(referenced, F.col("_v") == F.col("_r"), "left")
    population, observed = values.agg(F.count("*"), F.count_if(F.col("_found").isNull())).first()
    passed, threshold = judge(observed, population, reference.tolerance, "values")
    detail = _sample(values.where("_found IS NULL"), F.col("_v")) if observed else None
    target = f"{reference.table}.{reference.table_column}"
    return CheckResult(
        table,
        f"references:{reference.column}",
        observed,
        "values",
        population,
        f"{threshold} missing from {target}",
        passed,
        detail,
    )


def checked_columns(expectations: Expectations) -> list[str]:
    """The columns of a table the content checks read in its rows in scope, in the order they are named
    (`items.product_id` reads `items`) (pure)."""
    named = [
        *expectations.not_null,
        *expectations.accepted_values,
        *expectations.ranges,
        *(c for key in expectations.unique for c in key.columns),
        *(key.where for key in expectations.unique if key.where is not None),
        *(reference.column.split(".", 1)[0] for reference in expectations.references),
    ]
    return list(dict.fromkeys(named))


def content_checks(
    spark: SparkSession,
    lakehouse: Lakehouse,
    table: str,
    audited: DataFrame | None,
    scope: DataFrame,
    expectations: Expectations,
) -> list[CheckResult]:
    """Every check of the rows a run wrote (`scope`; `audited` None when they are every row of the
    table): nulls, values, ranges, keys, references. The rows a run wrote are persisted for the checks
    with only the columns the checks read: holding every column of a first load's 2 million raw orders
    (items and addresses included) was most of the checks' time (11 s of raw_orders' checks, 5 s with
    the checked columns only; Spark's event log of the benchmark's load)."""
    scope = scope.select(*checked_columns(expectations)).persist()
    counted = scope_pass(scope, expectations)
    results = [
        *row_checks(table, scope, expectations, counted),
        *(unique_check(table, audited, scope, key, counted) for key in expectations.unique),
        *(reference_check(spark, lakehouse, table, scope, ref) for ref in expectations.references),
    ]
    scope.unpersist()
    return results
