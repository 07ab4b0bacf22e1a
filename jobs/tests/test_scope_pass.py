"""One pass over a run's rows gives the row checks' counts and the bounds of each table-wide unique key,
in one Spark query: the key checks plan their range from these bounds without a query of their own."""

from __future__ import annotations

from decimal import Decimal

from pyspark.sql import SparkSession

from lakehouse_jobs.cost_metrics import last_execution
from lakehouse_jobs.quality_checks import ScopePass, scope_pass
from lakehouse_jobs.quality_spec import Expectations, UniqueKey

ORDER_KEY = UniqueKey(("order_id", "line"))
CUSTOMER_KEY = UniqueKey(("customer_id",), where="is_current")
BATCH_KEY = UniqueKey(("order_id",), scope="batch")


def test_one_query_counts_the_failing_rows_and_bounds_each_table_wide_key_among_rows_that_set_it(
    spark: SparkSession,
) -> None:
    rows = spark.createDataFrame(
        [
            ("O7", 1, None, "shipped", Decimal("5.00")),
            ("O3", None, "C2", "lost", Decimal("-1.00")),  # a key with a null column: not a key
            ("O5", 2, "C9", "pending", Decimal("0.00")),
            (None, 3, "C1", None, Decimal("7.50")),
        ],
        "order_id string, line int, customer_id string, order_status string, amount decimal(10,2)",
    )
    expectations = Expectations(
        not_null=("order_id", "customer_id"),
        unique=(ORDER_KEY, CUSTOMER_KEY, BATCH_KEY),
        accepted_values={"order_status": ("pending", "shipped")},
        ranges={"amount": (Decimal("0"), None)},
    )
    before = last_execution(spark)
    counted = scope_pass(rows, expectations)
    assert last_execution(spark) == before + 1
    # not null: order_id 1, customer_id 1; accepted values: "lost" (a null is not_null's); range: -1.00.
    assert counted == ScopePass(4, [1, 1, 1, 1], {ORDER_KEY: ("O5", "O7"), CUSTOMER_KEY: ("C1", "C9")})


def test_no_query_when_there_is_nothing_to_count(spark: SparkSession) -> None:
    rows = spark.createDataFrame([("O1",)], "order_id string")
    before = last_execution(spark)
    assert scope_pass(rows, Expectations(unique=(BATCH_KEY,))) == ScopePass(0, [], {})
    assert last_execution(spark) == before


def test_a_key_no_row_sets_has_no_bounds(spark: SparkSession) -> None:
    rows = spark.createDataFrame([(None, 1)], "order_id string, line int")
    assert scope_pass(rows, Expectations(unique=(ORDER_KEY,))).bounds == {ORDER_KEY: (None, None)}
