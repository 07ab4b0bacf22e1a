"""The landing folder's rules, pure: which files are read, skipped or refused, and how they are named."""

from __future__ import annotations

from datetime import datetime

import pytest

from lakehouse_jobs.bronze import undeclared_by_batch
from lakehouse_jobs.ingestion_log import FileCounts, LoggedFile, new_files
from lakehouse_jobs.landing import Entry, LandingFile, classify
from lakehouse_jobs.landing_read import glob_escaped

ROOT = "s3://d/landing/orders/"
LATE, EARLY = f"{ROOT}landed_at=20240302T030000Z", f"{ROOT}landed_at=20240301T230000Z"


def _file(path: str, size: int = 10, etag: str | None = None) -> LandingFile:
    return LandingFile(path, path, size, datetime(2024, 3, 2, 3, 5), etag, "20240302T030000Z")


def test_every_file_of_every_batch_is_a_candidate_in_batch_and_path_order() -> None:
    entries = [
        Entry(LATE, "landed_at=20240302T030000Z", True),
        Entry(EARLY, "landed_at=20240301T230000Z", True),
        Entry(f"{ROOT}stray.json", "stray.json", False),
        Entry(f"{ROOT}_SUCCESS", "_SUCCESS", False),
    ]
    batches = {
        LATE: [Entry(f"{LATE}/b.json", "b.json", False), Entry(f"{LATE}/a.json", "a.json", False)],
        EARLY: [
            Entry(f"{EARLY}/z.json", "z.json", False),
            Entry(f"{EARLY}/.z.json.crc", ".z.json.crc", False),
            Entry(f"{EARLY}/sub", "sub", True),
        ],
    }
    files, skipped = classify(ROOT, entries, batches)
    assert [(batch, entry.name) for batch, entry in files] == [
        ("20240301T230000Z", "z.json"),
        ("20240302T030000Z", "a.json"),
        ("20240302T030000Z", "b.json"),
    ]
    assert [(s.path, s.reason) for s in skipped] == [
        (f"{EARLY}/sub", "a folder inside a batch is not read"),
        (f"{ROOT}stray.json", "not inside a landed_at=YYYYMMDDTHHMMSSZ batch folder"),
    ]


@pytest.mark.parametrize("folder", ["2024-03-01", "landed_at=20241301T000000Z"])
def test_a_folder_that_is_not_a_batch_is_refused(folder: str) -> None:
    with pytest.raises(ValueError) as error:
        classify(ROOT, [Entry(f"{ROOT}{folder}", folder, True)], {})
    assert str(error.value) == (
        f"[--landing-uri] {ROOT}{folder} is not a landing batch; "
        "batch folders are named landed_at=YYYYMMDDTHHMMSSZ (UTC)"
    )


def test_a_file_is_new_until_logged_and_a_logged_file_that_changed_is_skipped_with_the_reason() -> None:
    same, grown, retagged, fresh = (
        _file(f"{LATE}/same.json"),
        _file(f"{LATE}/grown.json", size=25),
        _file(f"{LATE}/retagged.json", etag="b"),
        _file(f"{LATE}/fresh.json"),
    )
    logged = {
        f.path: LoggedFile(f.path, 10, datetime(2024, 3, 2, 3, 5), "a") for f in (same, grown, retagged)
    }
    unread, changed = new_files([same, grown, retagged, fresh], logged)
    assert unread == [fresh]
    rule = "not read again: landing files are immutable, land new content as a new file"
    assert [(s.path, s.reason) for s in changed] == [
        (grown.path, f"changed after it was ingested (size 10 -> 25); {rule}"),
        (retagged.path, f"changed after it was ingested (etag a -> b); {rule}"),
    ]


def test_glob_characters_in_file_names_are_read_literally() -> None:
    assert glob_escaped("s3://d/l/x y[1]/f{a,b}*?.json") == r"s3://d/l/x y\[1\]/f\{a,b\}\*\?.json"


def test_undeclared_fields_are_summed_per_batch_over_the_files_of_a_table() -> None:
    early = [LandingFile(f"{EARLY}/{n}", "", 1, datetime(2024, 3, 2), None, "20240301T230000Z") for n in "ab"]
    late = [_file(f"{LATE}/c.json"), _file(f"{LATE}/d.json")]
    counts = {
        early[0].path: FileCounts(3, 3, 0, {"coupon_code": 2, "items[].gift_wrap": 1}, "{...}"),
        early[1].path: FileCounts(1, 1, 0, {"coupon_code": 1}, "{...}"),
        late[0].path: FileCounts(1, 1, 0, {}, None),
    }
    assert undeclared_by_batch([*early, *late], counts) == {
        "20240301T230000Z": "coupon_code:3,items[].gift_wrap:1"
    }
    assert undeclared_by_batch(late, counts) == {}
