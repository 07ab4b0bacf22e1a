"""Row counts every job logs, and the one-line summary it ends with."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

LOG = logging.getLogger("lakehouse_jobs")


@dataclass
class JobReport:
    job: str
    rows_in: int = 0
    rows_out: int = 0
    quarantined: int = 0
    details: dict[str, object] = field(default_factory=dict)

    def note(self, key: str, value: object) -> None:
        self.details[key] = value
        LOG.info("%s: %s=%s", self.job, key, value)

    def summary(self, status: str, seconds: float) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.details.items())
        return (
            f"{self.job} {status}: in={self.rows_in} out={self.rows_out} quarantined={self.quarantined}"
            f"{' ' + extra if extra else ''} ({seconds:.1f} s)"
        )
