"""Row counts and costs every job logs, and the one-line summary it ends with."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .cost_metrics import TableCost, total

LOG = logging.getLogger("lakehouse_jobs")


@dataclass
class JobReport:
    job: str
    rows_in: int = 0
    rows_out: int = 0
    quarantined: int = 0
    details: dict[str, object] = field(default_factory=dict)
    cost: dict[str, TableCost] = field(default_factory=dict)  # per table (cost_metrics.py)
    # The last query before a write-audit-publish job's quality checks: their reads are reported apart.
    checks_after: int | None = None

    def note(self, key: str, value: object) -> None:
        self.details[key] = value
        LOG.info("%s: %s=%s", self.job, key, value)

    def add_cost(self, source: str, cost: TableCost) -> None:
        """A read or write outside the tables (bronze: the landing files it read)."""
        self.cost[source] = self.cost.get(source, TableCost()) + cost

    def record_cost(self, cost: dict[str, TableCost]) -> None:
        for table, c in cost.items():
            self.add_cost(table, c)
        for table, c in self.cost.items():
            LOG.info(
                "%s: %s read %d files %d bytes, wrote %d files %d bytes",
                *(self.job, table, c.files_read, c.bytes_read, c.files_written, c.bytes_written),
            )

    def summary(self, status: str, seconds: float) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.details.items())
        c = total(self.cost.values())
        cost = (
            f"files_read={c.files_read} bytes_read={c.bytes_read} "
            f"files_written={c.files_written} bytes_written={c.bytes_written}"
        )
        return (
            f"{self.job} {status}: in={self.rows_in} out={self.rows_out} quarantined={self.quarantined} "
            f"{cost}{' ' + extra if extra else ''} ({seconds:.1f} s)"
        )
