"""The demo's run folder (warehouse, landing files, logs): fresh on every run, and never a folder the
demo did not make. `--keep` keeps the previous run's folder (renamed aside) instead of deleting it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

MARKER = ".lakehouse-demo"


def check_run_folder(folder: Path) -> None:
    """Refuses, before anything is changed, a non-empty folder the demo did not make (pure check)."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"[--dir] {folder} is a file; give a folder for the demo's warehouse")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise ValueError(
            f"[--dir] {folder} is not empty and was not made by the demo (it has no {MARKER} file); "
            "nothing was touched: give a new or empty folder"
        )


def fresh_run_folder(folder: Path, keep: bool, now: datetime | None = None) -> str | None:
    """Empties the demo's previous folder (or, with `keep`, renames it aside) and marks the new one.
    Returns where a kept folder went, else None."""
    check_run_folder(folder)
    kept = None
    if folder.is_dir() and any(folder.iterdir()):
        if keep:
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
            kept = str(folder.with_name(f"{folder.name}.kept-{stamp}"))
            folder.rename(kept)
        else:
            shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(
        "Made by the lakehouse demo (bash scripts/demo.sh): emptied on its next run, or kept with --keep.\n",
        encoding="utf-8",
    )
    return kept
