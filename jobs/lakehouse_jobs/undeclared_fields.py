"""Landing fields the raw table does not declare: named, so that dropping them is never silent.

A JSON line is read with the table's schema, which drops every other field. This finds them: the
keys of each JSON object (`json_object_keys`) minus the declared names, at the top level and inside
declared structs and arrays of structs, as paths such as `coupon_code` or `items[].gift_wrap`. Map
columns (`address`, `attributes`) take any key by declaration, so nothing under them is undeclared.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, DataType, StringType, StructField, StructType


def _no_paths() -> Column:
    return F.array().cast(ArrayType(StringType()))


def _object_text(data_type: DataType) -> DataType | None:
    """How to read a field's JSON text so that its nested objects stay JSON text, or None."""
    if isinstance(data_type, StructType):
        return StringType()
    if isinstance(data_type, ArrayType) and isinstance(data_type.elementType, StructType):
        return ArrayType(StringType())
    return None


def _keys(json_text: Column) -> Column:
    return F.coalesce(F.json_object_keys(json_text), _no_paths())


def _declared(schema: StructType) -> Column:
    return F.array(*[F.lit(name) for name in schema.names])


def _nested_texts(json_text: Column, schema: StructType) -> tuple[list[StructField], Column | None]:
    """The fields of `schema` holding objects, and `json_text` parsed with them as JSON text."""
    nested = [(f, _object_text(f.dataType)) for f in schema.fields]
    nested = [(f, text_type) for f, text_type in nested if text_type is not None]
    if not nested:
        return [], None
    texts = F.from_json(json_text, StructType([StructField(f.name, t) for f, t in nested]))
    return [f for f, _text_type in nested], texts


def _in_each_item(items: Column, element: StructType, prefix: str) -> Column:
    # PySpark passes a column for every parameter of a lambda: bind the schema here, not as a default.
    per_item = F.transform(items, lambda item: _paths(item, element, prefix))
    return F.flatten(F.coalesce(per_item, F.array().cast(ArrayType(ArrayType(StringType())))))


def _in_any_item(items: Column, element: StructType) -> Column:
    return F.coalesce(F.exists(items, lambda item: has_undeclared(item, element)), F.lit(False))


def _paths(json_text: Column, schema: StructType, prefix: str) -> Column:
    """array<string>: the undeclared paths, each after `prefix`, sorted."""
    parts = [
        F.transform(
            F.array_except(_keys(json_text), _declared(schema)), lambda key: F.concat(F.lit(prefix), key)
        )
    ]
    nested, texts = _nested_texts(json_text, schema)
    for field in nested:
        inner = texts[field.name]
        if isinstance(field.dataType, StructType):
            parts.append(_paths(inner, field.dataType, f"{prefix}{field.name}."))
        else:
            parts.append(_in_each_item(inner, field.dataType.elementType, f"{prefix}{field.name}[]."))
    return F.array_sort(F.array_distinct(F.flatten(F.array(*parts))))


def has_undeclared(json_text: Column, schema: StructType) -> Column:
    """boolean: whether the JSON object `json_text` holds a field `schema` does not declare, at any level
    `undeclared_paths` looks at (null and non-object items hold none)."""
    found = F.size(F.array_except(_keys(json_text), _declared(schema))) > 0
    nested, texts = _nested_texts(json_text, schema)
    for field in nested:
        inner = texts[field.name]
        if isinstance(field.dataType, StructType):
            found = found | has_undeclared(inner, field.dataType)
        else:
            found = found | _in_any_item(inner, field.dataType.elementType)
    return found


def undeclared_paths(json_text: Column, schema: StructType) -> Column:
    """array<string>: the paths in the JSON object `json_text` that `schema` does not declare. Almost
    every line declares all its fields: asking yes or no costs less than listing paths (600,000 order
    lines: 1.8 s against 2.6 s on this machine's 2 cores), so the paths are listed only where there is one."""
    return F.when(has_undeclared(json_text, schema), _paths(json_text, schema, "")).otherwise(_no_paths())
