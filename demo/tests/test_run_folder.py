"""The run folder: fresh each run, kept aside with --keep, and never a folder the demo did not make."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from demo.run_folder import MARKER, check_run_folder, fresh_run_folder

NOW = datetime(2026, 3, 15, 10, 11, 12, tzinfo=UTC)


def test_a_new_folder_is_made_and_marked(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    assert fresh_run_folder(folder, keep=False) is None
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]


def test_the_previous_run_is_emptied_or_with_keep_renamed_aside(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    fresh_run_folder(folder, keep=False)
    (folder / "warehouse").mkdir()
    fresh_run_folder(folder, keep=False)
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]

    (folder / "warehouse").mkdir()
    kept = fresh_run_folder(folder, keep=True, now=NOW)
    assert kept == str(tmp_path / "demo.kept-20260315T101112Z")
    assert sorted(p.name for p in Path(kept).iterdir()) == [MARKER, "warehouse"]
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]


def test_a_folder_the_demo_did_not_make_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    for keep in (False, True):
        with pytest.raises(ValueError) as error:
            fresh_run_folder(tmp_path, keep=keep)
        assert str(error.value) == (
            f"[--dir] {tmp_path} is not empty and was not made by the demo (it has no {MARKER} file); "
            "nothing was touched: give a new or empty folder"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    with pytest.raises(ValueError) as error:
        check_run_folder(tmp_path / "notes.txt")
    assert (
        str(error.value)
        == f"[--dir] {tmp_path / 'notes.txt'} is a file; give a folder for the demo's warehouse"
    )
    check_run_folder(tmp_path / "new")  # a folder that does not exist yet is fine
    (tmp_path / "empty").mkdir()
    check_run_folder(tmp_path / "empty")
