"""Landing decimals (money, discounts) read exactly, or refused with the reason: never rounded or guessed.

A landing value for a `decimal(p,s)` column is accepted only as a JSON string of this form:
- an optional leading `-`, then digits without leading zeros (`0`, `12`, `1250`), then optionally a
  point and 1 to `s` digits: `"12"`, `"12.5"`, `"12.50"`, `"-3.10"`, `"0.125"` for a scale of 3;
- at most `p - s` digits before the point;
- nothing else: no spaces, `+`, thousands separators, decimal commas, exponents, `.5` or `5.`.
JSON `null` (or a missing field) is accepted as null; the silver rules decide whether null is allowed.
Refused, each with its reason: `"12,50"`, `" 12.5 "`, `""`, `"1e3"`, `"19.999"` in a scale of 2 (more
digits than the column keeps, so storing it would round it), a JSON number (`12.5`: producers send
money as text so that no float ever touches it, and Spark reads a JSON number through a double), and
any other JSON type. An accepted text is cast to the column's type, which is then exact.

Spark reads these fields as text; a second parse of only these fields as `double` tells a JSON number
from a string: Spark's JSON reader turns a number into a double and refuses a string
(`allowNonNumericNumbers` off), and with partial results (Spark 3.4+, set below) a refused field is
null while the others are kept. That parse is costly where a value is a string (the valid case): Spark's
reader throws an exception for each string it refuses as a double. So it runs only on lines that can
hold a JSON number under a decimal field's name (`number_probe_of`); elsewhere it would give null.
"""

from __future__ import annotations

import re

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    DataType,
    DecimalType,
    DoubleType,
    StringType,
    StructField,
    StructType,
)

# \A and \z, not ^ and $: Java's $ also matches before a final line break ("12.5\n").
_GRAMMAR = r"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?\z"
NUMBER_PROBE_OPTIONS = {"allowNonNumericNumbers": "false"}
PARTIAL_RESULTS_CONF = "spark.sql.json.enablePartialResults"


def has_decimals(data_type: DataType) -> bool:
    if isinstance(data_type, DecimalType):
        return True
    if isinstance(data_type, StructType):
        return any(has_decimals(f.dataType) for f in data_type.fields)
    if isinstance(data_type, ArrayType):
        return has_decimals(data_type.elementType)
    return False  # map values are free-form text here: no declared decimal lives in a map


def as_text(data_type: DataType) -> DataType:
    """The type to read landing JSON with: every decimal as a string, the rest unchanged."""
    if isinstance(data_type, DecimalType):
        return StringType()
    if isinstance(data_type, StructType):
        return StructType([StructField(f.name, as_text(f.dataType), f.nullable) for f in data_type.fields])
    if isinstance(data_type, ArrayType):
        return ArrayType(as_text(data_type.elementType), data_type.containsNull)
    return data_type


def number_probe(data_type: DataType) -> DataType:
    """Only the decimal fields of `data_type`, typed double (see the module docstring)."""
    if isinstance(data_type, DecimalType):
        return DoubleType()
    if isinstance(data_type, StructType):
        fields = [f for f in data_type.fields if has_decimals(f.dataType)]
        return StructType([StructField(f.name, number_probe(f.dataType)) for f in fields])
    if isinstance(data_type, ArrayType):
        return ArrayType(number_probe(data_type.elementType))
    raise TypeError(f"{data_type.simpleString()} holds no decimal")


def _decimal_names(data_type: DataType) -> set[str]:
    """Names of the fields that hold decimals themselves (or arrays of them): where a number can be."""
    if isinstance(data_type, StructType):
        names = set()
        for f in data_type.fields:
            inner = f.dataType
            while isinstance(inner, ArrayType):
                inner = inner.elementType
            names |= {f.name} if isinstance(inner, DecimalType) else _decimal_names(inner)
        return names
    if isinstance(data_type, ArrayType):
        return _decimal_names(data_type.elementType)
    return set()


def may_hold_a_number(line: Column, data_type: StructType) -> Column:
    """True whenever the JSON `line` holds anything but a string or null under one of the decimal
    fields of `data_type` (pure). Wider than needed, never narrower: a decimal field's name followed by
    a quote (" or ', as Spark's reader accepts both), a colon and, after any spaces, a number, an array,
    an object or any other value, at any depth; or a backslash anywhere, since a key can be spelled with
    escapes (`"unit\\u005fprice"`). Spark's reader matches keys in their exact case, so a key in
    another case is never a decimal field (the probe would read nothing under it either).
    One literal pattern per name, not one pattern of the alternatives: Java's regex engine skips to a
    literal's occurrences, and tries an alternation at every character (three times the cost)."""
    held = F.instr(line, "\\") > 0
    for name in sorted(_decimal_names(data_type)):
        # Possessive `\s*+`: the spaces after the colon are taken whole, so the look-ahead sees the value
        # (with `\s*` it would back off one space and find "not a quote" in front of every string).
        held = held | line.rlike(rf"{re.escape(name)}[\"']\s*+:\s*+(?![\"']|null\b)")
    return held


def number_probe_of(line: Column, source: StructType) -> Column:
    """`line` parsed with `number_probe(source)` where it may hold a decimal as a JSON number
    (`may_hold_a_number`), else null: the parse's own answer for such a line (every probed field null),
    without its exception per string."""
    parse = F.from_json(line, number_probe(source), NUMBER_PROBE_OPTIONS)
    return F.when(may_hold_a_number(line, source), parse)


def exact_pattern(decimal: DecimalType) -> str | None:
    """The texts `decimal` accepts, as one pattern: the grammar with at most p - s digits before the
    point and at most s after it (pure). None when no text fits (no digit allowed before the point)."""
    p, s = decimal.precision, decimal.scale
    if p - s < 1:
        return None
    fraction = rf"(\.[0-9]{{1,{s}}})?" if s > 0 else ""
    return rf"\A-?(0|[1-9][0-9]{{0,{p - s - 1}}}){fraction}\z"


def _value_problem(text: Column, number: Column, decimal: DecimalType, path: Column) -> Column:
    p, s = decimal.precision, decimal.scale
    declared = f"decimal({p},{s})"
    # Almost every value is exact: one pattern accepts it, and the reasons' three patterns (in a lambda
    # over items, evaluated without code generation) run only for a value it refuses.
    pattern = exact_pattern(decimal)
    exact = number.isNull() & text.rlike(pattern) if pattern is not None else F.lit(False)
    fraction = F.regexp_extract(text, r"\.([0-9]+)\z", 1)
    whole = F.regexp_extract(text, r"\A-?([0-9]+)", 1)
    quoted = F.concat(F.lit('"'), F.substring(text, 1, 40), F.lit('"'))
    reason = (
        F.when(text.isNull(), F.lit(None).cast("string"))
        .when(
            number.isNotNull(),
            F.lit(f' is a JSON number; {declared} values are sent as strings such as "12.50"'),
        )
        .when(
            ~text.rlike(_GRAMMAR),
            F.concat(
                F.lit(f" is not an exact {declared} string: "),
                quoted,
                F.lit(' (accepted: digits, an optional leading "-", one "." with digits after it)'),
            ),
        )
        .when(
            F.length(fraction) > s,
            F.concat(
                F.lit(f" is not an exact {declared} string: "),
                quoted,
                F.lit(f" (more than {s} digits after the point; it is never rounded)"),
            ),
        )
        .when(
            F.length(whole) > p - s,
            F.concat(
                F.lit(f" is not an exact {declared} string: "),
                quoted,
                F.lit(f" (more than {p - s} digits before the point)"),
            ),
        )
    )
    return F.when(~F.coalesce(exact, F.lit(False)) & reason.isNotNull(), F.concat(path, reason))


def _problems(text: Column, number: Column, data_type: DataType, path: Column) -> Column:
    """array<string> of the refused values under `text` (null entries where a value is fine)."""
    if isinstance(data_type, DecimalType):
        return F.array(_value_problem(text, number, data_type, path))
    if isinstance(data_type, StructType):
        parts = [
            _problems(text[f.name], number[f.name], f.dataType, _join(path, f.name))
            for f in data_type.fields
            if has_decimals(f.dataType)
        ]
        return F.flatten(F.array(*parts))
    if isinstance(data_type, ArrayType):
        element = data_type.elementType
        return F.flatten(
            F.coalesce(
                F.transform(
                    text,
                    lambda item, i: _problems(
                        item, number[i], element, F.concat(path, F.lit("["), i.cast("string"), F.lit("]"))
                    ),
                ),
                F.array().cast(ArrayType(ArrayType(StringType()))),
            )
        )
    raise TypeError(f"{data_type.simpleString()} holds no decimal")


def _join(path: Column | None, name: str) -> Column:
    return F.lit(name) if path is None else F.concat(path, F.lit(f".{name}"))


def decimal_problems(text: Column, numbers: Column, schema: StructType) -> Column:
    """`"reason; reason"` for every refused decimal of a record, or null. `text` is the record parsed
    with `as_text(schema)`, `numbers` the same JSON parsed with `number_probe(schema)`."""
    parts = [
        _problems(text[f.name], numbers[f.name], f.dataType, _join(None, f.name))
        for f in schema.fields
        if has_decimals(f.dataType)
    ]
    if not parts:
        return F.lit(None).cast("string")
    reasons = F.filter(F.flatten(F.array(*parts)), lambda r: r.isNotNull())
    return F.when(F.size(reasons) > 0, F.array_join(reasons, "; "))
