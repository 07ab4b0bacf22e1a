"""bronze_ingest: landing JSON files -> raw_customers, raw_products, raw_orders (append).

Landing layout: `<landing-uri>/<entity>/landed_at=YYYYMMDDTHHMMSSZ/*.json` (JSON lines). Each raw row
gets `_ingestion_timestamp` = its batch's landed_at (UTC), so reruns and replays are deterministic.
A table's commit records the newest batch it holds (`lakehouse.landed-through`); a run appends only
newer batches, in one commit per table, so running it twice appends nothing the second time. Batches
must therefore land in landed_at order; an older batch that lands later is not picked up.

The JSON schema is the raw table's own schema (without `_ingestion_timestamp`), read from the catalog:
a column added to the table spec is read from the next batch on. Bad input (a folder name that is not
a batch, a line that is not valid JSON of that schema) fails the run with the file named, before any
table is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType, TimestampNTZType, TimestampType

from .arguments import JobArguments
from .report import JobReport
from .snapshots import JOB_PROPERTY, Lakehouse, commit_with_properties, recorded_sources

JOB = "bronze_ingest"
LANDING_TABLES = {"customers": "raw_customers", "products": "raw_products", "orders": "raw_orders"}
LANDED_THROUGH = "lakehouse.landed-through"
BATCH_FOLDER = re.compile(r"^landed_at=(\d{8}T\d{6}Z)$")
CORRUPT = "_corrupt_record"


@dataclass(frozen=True)
class LandingBatch:
    name: str  # the folder name's timestamp, YYYYMMDDTHHMMSSZ (sorts in time order)
    uri: str

    @property
    def landed_at(self) -> datetime:
        return datetime.strptime(self.name, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def parse_batch_folders(entity_uri: str, folder_names: list[str]) -> list[LandingBatch]:
    """Landing batches of one entity in time order; any other folder is an error (pure)."""
    batches = []
    for name in folder_names:
        match = BATCH_FOLDER.match(name)
        if match is None:
            raise ValueError(
                f"[--landing-uri] {entity_uri}{name} is not a landing batch; batch folders are named "
                "landed_at=YYYYMMDDTHHMMSSZ (UTC)"
            )
        batch = LandingBatch(match.group(1), f"{entity_uri}{name}/")
        batch.landed_at  # noqa: B018 - raises ValueError for an impossible date such as month 13
        batches.append(batch)
    return sorted(batches, key=lambda b: b.name)


def list_batches(spark: SparkSession, entity_uri: str) -> list[LandingBatch]:
    """Lists folders through Hadoop's FileSystem, which reads s3:// on Glue and local paths alike."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(entity_uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(path):
        return []
    names = [status.getPath().getName() for status in fs.listStatus(path) if status.isDirectory()]
    return parse_batch_folders(entity_uri, names)


def landing_schema(spark: SparkSession, table: str) -> StructType:
    """The table's columns, but timestamps read as instants: landing files carry offsets ("...Z"),
    which Spark's parser refuses for `timestamp_ntz` (what Athena's `timestamp` is in Iceberg). The
    write casts them back to the table's types, as UTC wall-clock time (the session runs in UTC)."""
    fields = [
        StructField(f.name, TimestampType(), f.nullable) if isinstance(f.dataType, TimestampNTZType) else f
        for f in spark.table(table).schema.fields
        if f.name != "_ingestion_timestamp"
    ]
    return StructType([*fields, StructField(CORRUPT, StringType())])


def read_batches(spark: SparkSession, schema: StructType, batches: list[LandingBatch]) -> DataFrame:
    frames = [
        spark.read.schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .json(batch.uri)
        .withColumn("_ingestion_timestamp", F.lit(batch.landed_at).cast("timestamp"))
        .withColumn("_source_file", F.input_file_name())
        for batch in batches
    ]
    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame)
    return rows


def check_no_corrupt_lines(rows: DataFrame, table: str) -> None:
    corrupt = rows.where(F.col(CORRUPT).isNotNull()).select("_source_file", CORRUPT).limit(3).collect()
    if corrupt:
        first = corrupt[0]
        raise ValueError(
            f"[--landing-uri] {first['_source_file']}: a line is not valid JSON for {table}'s columns "
            f"(types or syntax): {first[CORRUPT][:200]!r}; no table was changed"
        )


def run(spark: SparkSession, args: JobArguments, report: JobReport) -> None:
    lakehouse = Lakehouse(args.catalog, args.database, args.table_write_options)
    landing = args.landing_uri or ""
    plans = []
    for entity, table_name in LANDING_TABLES.items():
        table = lakehouse.table(table_name)
        through = recorded_sources(spark, table).get(LANDED_THROUGH, "")
        batches = [b for b in list_batches(spark, f"{landing}{entity}/") if b.name > through]
        report.note(f"{table_name}.new_batches", ",".join(b.name for b in batches) or "none")
        if batches:
            rows = read_batches(spark, landing_schema(spark, table), batches).persist()
            check_no_corrupt_lines(rows, table_name)  # every table is checked before any is written
            plans.append((table_name, batches[-1].name, rows))
    for table_name, newest, rows in plans:
        table = lakehouse.table(table_name)
        columns = [F.col(f.name).cast(f.dataType).alias(f.name) for f in spark.table(table).schema.fields]
        count = rows.count()
        report.rows_in += count
        writer = rows.select(*columns).writeTo(table).options(**lakehouse.write_options.get(table_name, {}))
        properties = {JOB_PROPERTY: JOB, LANDED_THROUGH: newest}
        commit_with_properties(spark, properties, writer.append)
        report.rows_out += count
        report.note(f"{table_name}.appended", count)
        rows.unpersist()
