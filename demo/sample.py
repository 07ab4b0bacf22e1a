"""The demo's sample data: the seeded generator's days of orders ending on the run's UTC date, in
two landing batches, so the gold layer has the last 30 days (what the daily-revenue query shows) and
the last run adds one day (what time travel shows the difference of). Same date, same bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lakehouse_jobs.sample_data import SampleConfig, generate, write_landing

DAYS = 90
SEED = 42


@dataclass(frozen=True)
class LandingBatch:
    landed_at: datetime
    records: dict[str, list[dict[str, Any]]]  # entity (customers, products, orders) -> records

    def counts(self) -> dict[str, int]:
        return {entity: len(records) for entity, records in self.records.items()}


def demo_batches(as_of: date, scale: float, days: int = DAYS) -> tuple[LandingBatch, LandingBatch]:
    """`days` of orders ending on `as_of`. History (every customer and product, the orders before
    `as_of`) lands at `as_of` 00:00 UTC; the orders of `as_of` itself land when that day closes, at the
    next midnight UTC (pure)."""
    config = SampleConfig(seed=SEED, scale=scale, start=as_of - timedelta(days=days - 1), days=days)
    data = generate(config)
    opened = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    history = [o for o in data.orders if o["order_date"] < opened]
    day = [o for o in data.orders if o["order_date"] >= opened]
    return (
        LandingBatch(opened, {"customers": data.customers, "products": data.products, "orders": history}),
        LandingBatch(opened + timedelta(days=1), {"orders": day}),
    )


def land(landing: Path, batch: LandingBatch) -> list[Path]:
    return [
        write_landing(landing, entity, records, batch.landed_at) for entity, records in batch.records.items()
    ]
