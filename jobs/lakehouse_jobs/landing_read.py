"""Landing files read as numbered lines, each parsed with the raw table's schema and checked.

Every non-blank line becomes one record with its landing position (`_source_file`, `_source_line`:
the physical line number, blank lines counted) and batch time (`_ingestion_timestamp`), plus:
- `_record`: the parsed fields (timestamps as instants, decimals as text: see exact_decimals), with
  `_corrupt_record` set when the line is not JSON of the table's types;
- `_problems`: why its decimals are refused, or null (exact_decimals.decimal_problems);
- `_undeclared`: the paths of fields the table does not declare (undeclared_fields);
- `_line`: the line as received where bronze needs it, else null (`kept_lines`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType, TimestampNTZType, TimestampType

from .exact_decimals import PARTIAL_RESULTS_CONF, as_text, decimal_problems, has_decimals, number_probe_of
from .landing import LandingFile
from .undeclared_fields import undeclared_paths

# What bronze adds to a raw row; every other column of a raw table comes from the landing record.
BRONZE_COLUMNS = ("_ingestion_timestamp", "_ingestion_id", "_source_file", "_source_line")
CORRUPT = "_corrupt_record"
_PROBE = "_decimal_probe"
_GLOB = re.compile(r"([\\\[\]{}*?])")


def source_schema(table_schema: StructType) -> StructType:
    return StructType([f for f in table_schema.fields if f.name not in BRONZE_COLUMNS])


def timestamps_as_instants(source: StructType) -> StructType:
    """`source` with its timestamps read as instants: landing files carry offsets ("...Z"), which
    Spark's JSON parser refuses for `timestamp_ntz` (what Athena's `timestamp` is in Iceberg), leaving
    the field null; the write casts them back, as UTC wall-clock time (the session runs in UTC)."""
    return StructType(
        [
            StructField(f.name, TimestampType() if isinstance(f.dataType, TimestampNTZType) else f.dataType)
            for f in source.fields
        ]
    )


def parse_schema(source: StructType) -> StructType:
    """Timestamps read as instants (`timestamps_as_instants`) and decimals as text, to be checked before
    any cast."""
    return StructType([*timestamps_as_instants(as_text(source)).fields, StructField(CORRUPT, StringType())])


def glob_escaped(path: str) -> str:
    """Spark expands glob characters in the paths it reads; a file name may contain them (pure)."""
    return _GLOB.sub(r"\\\1", path)


def numbered_lines(spark: SparkSession, files: Sequence[LandingFile]) -> DataFrame:
    """(`_uri`, `_source_line`, `_line`) of every line of `files`. A file may be split into blocks read
    by different tasks; one task reads a block's lines in order with consecutive row ids. So a line's
    number is the lines of the file's earlier blocks plus its place in its block: one small count per
    block, no sort or window over a whole file (a history batch can be a file of millions of lines)."""
    lines = spark.read.text([glob_escaped(f.path) for f in files]).select(
        F.input_file_name().alias("_uri"),  # = Hadoop's Path.toUri().toString(), as LandingFile.uri
        F.col("_metadata.file_block_start").alias("_block"),
        F.monotonically_increasing_id().alias("_row"),
        F.col("value").alias("_line"),
    )
    earlier = Window.partitionBy("_uri").orderBy("_block").rowsBetween(Window.unboundedPreceding, -1)
    blocks = (
        lines.groupBy("_uri", "_block")
        .agg(F.min("_row").alias("_first_row"), F.count("*").alias("_lines"))
        .withColumn("_before", F.coalesce(F.sum("_lines").over(earlier), F.lit(0)))
    )
    number = F.col("_before") + F.col("_row") - F.col("_first_row") + 1
    return lines.join(F.broadcast(blocks), ["_uri", "_block"]).select(
        "_uri", number.cast("bigint").alias("_source_line"), "_line"
    )


def read_records(spark: SparkSession, files: Sequence[LandingFile], source: StructType) -> DataFrame:
    listing = spark.createDataFrame(
        [(f.uri, f.path, f.landed_at) for f in files],
        "_uri string, _source_file string, _ingestion_timestamp timestamp_ntz",
    )
    lines = (
        numbered_lines(spark, files)
        .join(F.broadcast(listing), "_uri")
        .drop("_uri")
        .where(F.trim("_line") != "")
    )
    return kept_lines(checked_records(lines, source))


def kept_lines(records: DataFrame) -> DataFrame:
    """`_line` kept only where bronze uses it: a line that is not JSON of the table's types (the error
    names it), a refused record (its quarantine payload) and one with undeclared fields (the log's
    sample); null elsewhere. Bronze persists the records between its checks and its writes, and it
    held the text of every accepted line too (1.2 GB of landing JSON for a 2-million-order history)."""
    needed = (
        F.col(f"_record.{CORRUPT}").isNotNull() | F.col("_problems").isNotNull() | (F.size("_undeclared") > 0)
    )
    return records.withColumn("_line", F.when(needed, F.col("_line")))


def checked_records(lines: DataFrame, source: StructType) -> DataFrame:
    """Adds `_record`, `_problems` and `_undeclared` to the `_line` of each row of `lines`."""
    lines.sparkSession.conf.set(PARTIAL_RESULTS_CONF, "true")  # exact_decimals needs it
    options = {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT}
    record = F.from_json("_line", parse_schema(source), options)
    probe = number_probe_of(F.col("_line"), source) if has_decimals(source) else F.lit(None)
    # Each line is parsed once, in a projection of its own; the checks read the parsed columns. Checked
    # in the same projection, a parse under a higher-order function (the items' decimals) would run
    # again for every item: Spark evaluates lambdas without sharing common subexpressions.
    parsed = lines.select("*", record.alias("_record"), probe.alias(_PROBE))
    return parsed.select(
        *lines.columns,
        "_record",
        decimal_problems(F.col("_record"), F.col(_PROBE), source).alias("_problems"),
        undeclared_paths(F.col("_line"), source).alias("_undeclared"),
    )


def raw_rows(records: DataFrame, table_schema: StructType, ingestion_id: int) -> DataFrame:
    """Accepted records (no `_problems`) as rows of the raw table: every decimal text is exact by
    then, so the cast to the table's types changes no value."""
    columns = []
    for f in table_schema.fields:
        if f.name == "_ingestion_id":
            columns.append(F.lit(ingestion_id).cast("bigint").alias(f.name))
        elif f.name in BRONZE_COLUMNS:
            columns.append(F.col(f.name).cast(f.dataType).alias(f.name))
        else:
            columns.append(F.col(f"_record.{f.name}").cast(f.dataType).alias(f.name))
    return records.where("_problems IS NULL").select(*columns)
