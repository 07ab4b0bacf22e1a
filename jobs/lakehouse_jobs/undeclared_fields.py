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


def _in_each_item(items: Column, element: StructType, prefix: str) -> Column:
    # PySpark passes a column for every parameter of a lambda: bind the schema here, not as a default.
    per_item = F.transform(items, lambda item: undeclared_paths(item, element, prefix))
    return F.flatten(F.coalesce(per_item, F.array().cast(ArrayType(ArrayType(StringType())))))


def undeclared_paths(json_text: Column, schema: StructType, prefix: str = "") -> Column:
    """array<string>: the paths in the JSON object `json_text` that `schema` does not declare."""
    keys = F.coalesce(F.json_object_keys(json_text), _no_paths())
    declared = F.array(*[F.lit(name) for name in schema.names])
    parts = [F.transform(F.array_except(keys, declared), lambda key: F.concat(F.lit(prefix), key))]
    nested = [(f, _object_text(f.dataType)) for f in schema.fields]
    nested = [(f, text_type) for f, text_type in nested if text_type is not None]
    if nested:
        texts = F.from_json(json_text, StructType([StructField(f.name, t) for f, t in nested]))
        for field, _text_type in nested:
            inner = texts[field.name]
            if isinstance(field.dataType, StructType):
                parts.append(undeclared_paths(inner, field.dataType, f"{prefix}{field.name}."))
            else:
                parts.append(_in_each_item(inner, field.dataType.elementType, f"{prefix}{field.name}[]."))
    return F.array_sort(F.array_distinct(F.flatten(F.array(*parts))))
