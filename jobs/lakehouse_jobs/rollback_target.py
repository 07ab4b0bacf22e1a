"""What a rollback restores, as `maintenance --mode rollback` is told it (arguments.py parses it): every
table one pipeline run published back to its pre-run tag, or one table to a snapshot, a time or a tag.
rollback.py does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PRE_RUN_TAG_PREFIX = "pre-run-"


def pre_run_tag(run_id: str) -> str:
    """The tag a pipeline run puts on each table's snapshot before it publishes (pure)."""
    return f"{PRE_RUN_TAG_PREFIX}{run_id}"


@dataclass(frozen=True)
class RollbackTarget:
    run_id: str | None = None  # every table the run published -> its pre-run tag
    table: str | None = None  # or this one table ->
    snapshot_id: int | None = None
    timestamp: datetime | None = None  # naive UTC: the snapshot that was current then
    tag: str | None = None

    def describe(self) -> str:
        if self.run_id is not None:
            return f"every table run {self.run_id} published, to its tag {pre_run_tag(self.run_id)}"
        to = (
            f"snapshot {self.snapshot_id}"
            if self.snapshot_id is not None
            else f"tag {self.tag}"
            if self.tag is not None
            else f"the snapshot current at {self.timestamp:%Y-%m-%d %H:%M:%S} UTC"
        )
        return f"{self.table} to {to}"
