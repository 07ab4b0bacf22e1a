"""The landing folder: which files there are, and which of them bronze reads.

Layout: `<landing-uri>/<entity>/landed_at=YYYYMMDDTHHMMSSZ/<file>` (JSON lines). Every file of every
batch folder is a candidate, whenever it appears: a batch that lands late or a file added to a batch
already read are read like any other new file. Names starting with `_` or `.` are not data (Spark's
and Hadoop's rule: `_SUCCESS`, `.crc`). A folder under an entity that is not a batch fails the run
(a typo in a layout must not be ignored); a file outside a batch folder or a folder inside a batch is
skipped and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from py4j.protocol import Py4JError
from pyspark.sql import SparkSession

BATCH_FOLDER = re.compile(r"^landed_at=(\d{8}T\d{6}Z)$")


@dataclass(frozen=True)
class LandingFile:
    path: str  # as the Hadoop file system names it: s3://bucket/landing/orders/landed_at=.../part-0.json
    uri: str  # the same, URI-encoded, as Spark's `input_file_name()` gives it
    size: int
    modified_at: datetime  # UTC, naive (as the tables store timestamps)
    etag: str | None
    batch: str  # YYYYMMDDTHHMMSSZ

    @property
    def landed_at(self) -> datetime:
        return batch_time(self.batch)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class Entry:
    """One item of a folder listing (pure input of `classify`)."""

    path: str
    name: str
    is_folder: bool


def batch_time(batch: str) -> datetime:
    return datetime.strptime(batch, "%Y%m%dT%H%M%SZ")


def is_hidden(name: str) -> bool:
    return name.startswith(("_", "."))


def batch_name(entity_uri: str, folder: str) -> str:
    """The batch time of a folder under an entity; anything else is an error (pure)."""
    refusal = ValueError(
        f"[--landing-uri] {entity_uri}{folder} is not a landing batch; batch folders are named "
        "landed_at=YYYYMMDDTHHMMSSZ (UTC)"
    )
    match = BATCH_FOLDER.match(folder)
    if match is None:
        raise refusal
    try:
        batch_time(match.group(1))
    except ValueError:  # an impossible date such as month 13
        raise refusal from None
    return match.group(1)


def classify(
    entity_uri: str, entries: Sequence[Entry], batches: Mapping[str, Sequence[Entry]]
) -> tuple[list[tuple[str, Entry]], list[Skipped]]:
    """(batch, file) pairs to consider, in batch and path order, and what is skipped (pure).
    `entries` is the entity folder's listing; `batches` the listing of each batch folder by path."""
    files, skipped = [], []
    for entry in entries:
        if is_hidden(entry.name):
            continue
        if not entry.is_folder:
            skipped.append(Skipped(entry.path, "not inside a landed_at=YYYYMMDDTHHMMSSZ batch folder"))
            continue
        batch = batch_name(entity_uri, entry.name)
        for item in batches.get(entry.path, ()):
            if is_hidden(item.name):
                continue
            if item.is_folder:
                skipped.append(Skipped(item.path, "a folder inside a batch is not read"))
            else:
                files.append((batch, item))
    return sorted(files, key=lambda f: (f[0], f[1].path)), sorted(skipped, key=lambda s: s.path)


def _etag(status) -> str | None:
    try:  # S3A's FileStatus is an EtagSource; the local file system's has no getEtag
        return status.getEtag()
    except Py4JError:
        return None


def list_landing(spark: SparkSession, entity_uri: str) -> tuple[list[LandingFile], list[Skipped]]:
    """Lists one entity's landing files through Hadoop's FileSystem (s3:// on Glue, local paths alike)."""
    jvm = spark.sparkContext._jvm
    root = jvm.org.apache.hadoop.fs.Path(entity_uri)
    fs = root.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(root):
        return [], []

    def listing(path) -> list[tuple[Entry, object]]:
        return [
            (Entry(s.getPath().toString(), s.getPath().getName(), s.isDirectory()), s)
            for s in fs.listStatus(path)
        ]

    top = listing(root)
    statuses, batches = {}, {}
    for entry, status in top:
        if entry.is_folder and not is_hidden(entry.name) and BATCH_FOLDER.match(entry.name):
            inner = listing(status.getPath())
            batches[entry.path] = [e for e, _ in inner]
            statuses.update({e.path: s for e, s in inner})
    files, skipped = classify(entity_uri, [e for e, _ in top], batches)
    landed = []
    for batch, entry in files:
        status = statuses[entry.path]
        modified = datetime.fromtimestamp(status.getModificationTime() / 1000, UTC).replace(tzinfo=None)
        uri = status.getPath().toUri().toString()
        landed.append(LandingFile(entry.path, uri, status.getLen(), modified, _etag(status), batch))
    return landed, skipped
