"""A table-wide unique key is checked for the keys a run wrote: against every row of the table, or, when
the run's rows are every row of the table (a first load), among them, with no second read of the table.
Both give the same counts; the second runs one Spark query with no join."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession

from lakehouse_jobs.cost_metrics import last_execution
from lakehouse_jobs.quality_checks import CheckResult, scope_pass, unique_check
from lakehouse_jobs.quality_spec import Expectations, UniqueKey

CURRENT_CUSTOMER = UniqueKey(("customer_id",), where="is_current")
ORDER = UniqueKey(("order_id",))


def _versions(spark: SparkSession, rows: list[tuple]) -> DataFrame:
    return spark.createDataFrame(rows, "customer_id string, is_current boolean, run_seq int")


# C1 is current twice, C2 has one current version and one closed one, C3 is current once, and one row
# has no key (not a key: a null never equals a null).
FIRST_LOAD = [
    ("C1", True, 1),
    ("C1", True, 1),
    ("C2", True, 1),
    ("C2", False, 1),
    ("C3", True, 1),
    (None, True, 1),
]
REPEATED = CheckResult(
    "curated_customers",
    "unique:customer_id",
    1,
    "keys",
    3,
    "0 keys repeated where is_current",
    False,
    "customer_id=C1 (2 rows)",
)


def test_a_first_load_is_counted_among_its_own_rows_in_one_query_without_a_join(spark: SparkSession) -> None:
    scope = _versions(spark, FIRST_LOAD)
    counted = scope_pass(scope, Expectations(unique=(CURRENT_CUSTOMER,)))
    before = last_execution(spark)
    result = unique_check("curated_customers", None, scope, CURRENT_CUSTOMER, counted)
    # One query counts the keys (a second, for the sample, only because one is repeated).
    assert result == REPEATED
    first = before + 1
    plan = spark._jsparkSession.sharedState().statusStore().execution(first).get().physicalPlanDescription()
    assert "Join" not in plan
    assert last_execution(spark) == before + 2


def test_a_later_run_is_counted_against_every_row_of_the_table(spark: SparkSession) -> None:
    # The table as the run leaves it: run 1's rows, then run 2's (the scope). C1 is repeated across the
    # two runs and C2 within run 2; C9 is repeated in run 1 only, a key run 2 did not write: not counted.
    table = _versions(
        spark,
        [
            ("C1", True, 1),
            ("C9", True, 1),
            ("C9", True, 1),
            ("C1", True, 2),
            ("C2", True, 2),
            ("C2", True, 2),
            ("C3", False, 2),
        ],
    )
    scope = table.where("run_seq = 2")
    counted = scope_pass(scope, Expectations(unique=(CURRENT_CUSTOMER,)))
    result = unique_check("curated_customers", table, scope, CURRENT_CUSTOMER, counted)
    # C3's only row is closed: not a current key. Of C1 and C2, both repeated.
    assert (result.observed, result.checked, result.passed) == (2, 2, False)
    assert result.detail == "customer_id=C1 (2 rows), customer_id=C2 (2 rows)"


def test_a_first_load_without_a_repeated_key_passes(spark: SparkSession) -> None:
    scope = spark.createDataFrame([("O1",), ("O2",), (None,)], "order_id string")
    counted = scope_pass(scope, Expectations(unique=(ORDER,)))
    result = unique_check("curated_orders", None, scope, ORDER, counted)
    assert result == CheckResult(
        "curated_orders", "unique:order_id", 0, "keys", 2, "0 keys repeated", True, None
    )


def test_both_paths_give_the_same_result_on_the_same_rows(spark: SparkSession) -> None:
    # The first load's rows checked both ways: among themselves, and as the whole table they are (the
    # path a later run takes). The module's "same counts" rests on this.
    scope = _versions(spark, FIRST_LOAD)
    counted = scope_pass(scope, Expectations(unique=(CURRENT_CUSTOMER,)))
    among_themselves = unique_check("curated_customers", None, scope, CURRENT_CUSTOMER, counted)
    against_the_table = unique_check("curated_customers", scope, scope, CURRENT_CUSTOMER, counted)
    assert among_themselves == against_the_table == REPEATED
