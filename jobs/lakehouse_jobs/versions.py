"""The version order: which of several records of one key is the latest. One rule, used by every job.

A record's version key is, compared field by field, the later one winning:
1. `updated_at`: the time the source says it last changed the record (orders, customers and
   products all carry one). A record without it ranks below every record with one.
2. `landed_at`: its landing batch (the `landed_at=` folder, = `_ingestion_timestamp`).
3. `source_file`: its landing file's path, in text order, inside that batch.
4. `source_line`: its line in that file.
Two raw rows never share the last three, so there are no ties. The key depends only on what landed
(content, folder and file names), never on when a job ran: an incremental run, a rerun and a full
reprocess choose the same version, and a record replayed late with an older `updated_at` never
replaces a newer one. Spark compares structs field by field with null lowest, as this order needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

VERSION_COLUMN = "_source_version"
VERSION_FIELDS = ("updated_at", "landed_at", "source_file", "source_line")


def version_key(updated_at: Column) -> Column:
    """The version key of a raw row (a struct, comparable with `<`/`>` and sortable). `updated_at` is
    the entity's source update time as a timestamp (customers send it as text: parse it first)."""
    return F.struct(
        updated_at.cast("timestamp_ntz").alias("updated_at"),
        F.col("_ingestion_timestamp").cast("timestamp_ntz").alias("landed_at"),
        F.col("_source_file").alias("source_file"),
        F.col("_source_line").cast("bigint").alias("source_line"),
    )


def with_version(rows: DataFrame, updated_at: Column) -> DataFrame:
    return rows.withColumn(VERSION_COLUMN, version_key(updated_at))


def latest_versions(rows: DataFrame, key: str) -> DataFrame:
    """One row per `key`: the one with the highest `_source_version` (add it with `with_version`)."""
    window = Window.partitionBy(key).orderBy(F.col(VERSION_COLUMN).desc())
    return rows.withColumn("_rank", F.row_number().over(window)).where("_rank = 1").drop("_rank")


# Up to this many keys that occur more than once, they are broadcast to split the rows (below); above
# it, the window runs over every row. A million order ids is about 40 MB, by estimate.
MAX_BROADCAST_REPEATED_KEYS = 1_000_000


@dataclass(frozen=True)
class LatestVersions:
    rows: DataFrame  # one per key: its latest version
    superseded: int  # how many rows were not kept: older versions of a key


def latest_versions_of_persisted(rows: DataFrame, key: str) -> LatestVersions:
    """The rows `latest_versions` keeps, for persisted `rows` (read up to four times here), and how many
    it drops. A key that occurs once is its own latest version, so only the rows of keys that occur more
    than once go through the window: a history or a day's batch rarely repeats a key (a re-delivery
    does), and the window shuffles and sorts every row (500 MB for a 2-million-order history) where
    counting the keys shuffles only them. The same count says how many rows are dropped, so the caller
    need not count the result. Null keys are compared null-safe: the window ranks them as one key."""
    repeated = rows.groupBy(key).count().where("count > 1")
    counted = repeated.agg(F.count("*"), F.sum(F.col("count") - 1)).first()
    keys, superseded = counted[0], counted[1] or 0
    if keys == 0:
        return LatestVersions(rows, 0)
    if keys > MAX_BROADCAST_REPEATED_KEYS:
        return LatestVersions(latest_versions(rows, key), superseded)
    repeated_keys = F.broadcast(repeated.select(F.col(key).alias("_repeated_key")))
    same_key = F.col(key).eqNullSafe(F.col("_repeated_key"))
    once = rows.join(repeated_keys, same_key, "left_anti")
    windowed = latest_versions(rows.join(repeated_keys, same_key, "left_semi"), key)
    return LatestVersions(once.unionByName(windowed), superseded)


def is_newer(candidate: Column, current: Column) -> Column:
    """True when `candidate` is a later version than `current`; a row without a recorded version
    (written before versions were recorded) is older than any candidate."""
    return current.isNull() | (candidate > current)
