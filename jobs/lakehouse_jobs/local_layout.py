"""Local harness: a table's declared partition spec and sort order applied to a local Spark table with
Iceberg's own table API (UpdatePartitionSpec and ReplaceSortOrder, what Spark's `ALTER TABLE ... ADD/DROP/
REPLACE PARTITION FIELD` and `WRITE ORDERED BY` call), the whole spec in one commit, as Glue's Iceberg
update makes it on AWS (one Spark statement per field would leave a spec per statement). Existing files
keep the spec they were written with; nothing is rewritten. Used by the tests and the demo, never by a job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pyspark.sql import SparkSession

from .iceberg_tables import iceberg_table

TIME_TRANSFORMS = ("year", "month", "day", "hour")


def transform_text(field: Mapping[str, Any]) -> str:
    """Iceberg's text of a declared partition field's transform (`day`, `bucket[16]`)."""
    if field["transform"] == "bucket":
        return f"bucket[{field['buckets']}]"
    if field["transform"] == "truncate":
        return f"truncate[{field['width']}]"
    return str(field["transform"])


def describe_field(field: Mapping[str, Any]) -> str:
    """`day(order_date)`, `bucket(16, customer_id)`: as the TypeScript planner names a field."""
    sized = {"bucket": "buckets", "truncate": "width"}.get(field["transform"])
    size = f"{field[sized]}, " if sized else ""
    return f"{field['transform']}({size}{field['column']})"


def _term(spark: SparkSession, field: Mapping[str, Any]) -> Any:
    expressions = spark._jvm.org.apache.iceberg.expressions.Expressions
    column, transform = field["column"], field["transform"]
    if transform == "identity":
        return expressions.ref(column)
    if transform == "bucket":
        return expressions.bucket(column, int(field["buckets"]))
    if transform == "truncate":
        return expressions.truncate(column, int(field["width"]))
    if transform in TIME_TRANSFORMS:
        return getattr(expressions, transform)(column)
    raise ValueError(
        f"[partitionBy] unknown transform {transform!r}; accepted: identity, bucket, truncate, ..."
    )


def current_partitioning(table: Any) -> list[tuple[str, str, str]]:
    """(field name, source column, transform text) of the table's default spec, in order."""
    schema = table.schema()
    return [
        (f.name(), schema.findColumnName(f.sourceId()), f.transform().toString())
        for f in table.spec().fields()
    ]


def apply_partitioning(spark: SparkSession, name: str, declared: Sequence[Mapping[str, Any]]) -> list[str]:
    """Brings the default spec to `declared` (fields in declared order); returns what was done."""
    table = iceberg_table(spark, name)
    current = current_partitioning(table)
    wanted = [(f["column"], transform_text(f)) for f in declared]
    have = [(column, transform) for _, column, transform in current]
    if have == wanted:
        return []
    keep = next(
        (i for i, (a, b) in enumerate(zip(have, wanted, strict=False)) if a != b), min(len(have), len(wanted))
    )
    removed, added = current[keep:], list(declared[keep:])
    update, done = table.updateSpec(), []
    for field_name, _, _ in removed:
        update = update.removeField(field_name)
        done.append(f"removeField({field_name})")
    if any((f["column"], transform_text(f)) in [(c, t) for _, c, t in removed] for f in added):
        # In one commit Iceberg keeps a field removed and added again where it was: order needs two.
        update.commit()
        update = table.updateSpec()
    for field in added:
        update = update.addField(_term(spark, field))
        done.append(f"addField({describe_field(field)})")
    update.commit()
    return [f"UpdatePartitionSpec: {', '.join(done)}"]


def _resolved(field: Mapping[str, Any]) -> tuple[str, str, str]:
    direction = field.get("direction", "asc")
    return field["column"], direction, field.get("nulls", "first" if direction == "asc" else "last")


def current_sort_order(table: Any) -> list[tuple[str, str, str]]:
    """(column, asc|desc, first|last) of the table's sort order; a transform shows as `transform(column)`."""
    schema = table.schema()
    fields = []
    for f in table.sortOrder().fields():
        column = schema.findColumnName(f.sourceId())
        transform = f.transform().toString()
        term = column if transform == "identity" else f"{transform}({column})"
        nulls = "first" if f.nullOrder().name() == "NULLS_FIRST" else "last"
        fields.append((term, f.direction().name().lower(), nulls))
    return fields


def apply_sort_order(spark: SparkSession, name: str, declared: Sequence[Mapping[str, Any]]) -> list[str]:
    """Makes `declared` the table's sort order (an empty list: unsorted); returns what was done."""
    table = iceberg_table(spark, name)
    wanted = [_resolved(f) for f in declared]
    if current_sort_order(table) == wanted:
        return []
    jvm = spark._jvm.org.apache.iceberg
    replace, done = table.replaceSortOrder(), []
    for column, direction, nulls in wanted:
        null_order = jvm.NullOrder.NULLS_FIRST if nulls == "first" else jvm.NullOrder.NULLS_LAST
        term = jvm.expressions.Expressions.ref(column)
        replace = replace.asc(term, null_order) if direction == "asc" else replace.desc(term, null_order)
        done.append(f"{direction}({column}, nulls {nulls})")
    replace.commit()
    return [f"ReplaceSortOrder: {', '.join(done) or 'unsorted'}"]


def apply_layout(spark: SparkSession, name: str, table: Mapping[str, Any]) -> list[str]:
    """The declaration's partition spec, then its sort order (both metadata-only commits)."""
    return apply_partitioning(spark, name, table["partitionBy"]) + apply_sort_order(
        spark, name, table.get("sortOrder") or []
    )
