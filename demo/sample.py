"""The demo's sample data: the seeded generator's days of orders ending on the run's UTC date, in
two landing batches, so the gold layer has the last 30 days (what the daily-revenue query shows) and
the last run adds one day (what time travel shows the difference of). Same date, same bytes.

The history batch holds the customers, the products and one orders file per day, written order by
order (`land_history`): at `--scale 360` that is 20,000 orders a day, 2 million over 100 days, never
all in memory. `demo_batches` gives the same records as lists, for the tests at small scales."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lakehouse_jobs.sample_data import SampleConfig, dimensions, orders_by_day, write_landing

DAYS = 90
SEED = 42


@dataclass(frozen=True)
class LandingBatch:
    landed_at: datetime
    records: dict[str, list[dict[str, Any]]]  # entity (customers, products, orders) -> records

    def counts(self) -> dict[str, int]:
        return {entity: len(records) for entity, records in self.records.items()}


def _config(as_of: date, scale: float, days: int) -> SampleConfig:
    return SampleConfig(seed=SEED, scale=scale, start=as_of - timedelta(days=days - 1), days=days)


def landing_times(as_of: date) -> tuple[datetime, datetime]:
    """History (every customer and product, the orders before `as_of`) lands at `as_of` 00:00 UTC; the
    orders of `as_of` itself land when that day closes, at the next midnight UTC (pure)."""
    opened = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    return opened, opened + timedelta(days=1)


def land_history(landing: Path, as_of: date, scale: float, days: int) -> dict[str, int]:
    """Writes the history batch (one orders file per day) and returns its record counts."""
    config = _config(as_of, scale, days)
    dims = dimensions(config)
    landed_at, _ = landing_times(as_of)
    write_landing(landing, "customers", dims.customers, landed_at)
    write_landing(landing, "products", dims.products, landed_at)
    orders = 0
    for day, records in orders_by_day(config, dims):
        if day < as_of:
            write_landing(landing, "orders", records, landed_at, f"part-{day:%Y%m%d}.json")
            orders += len(records)
    return {"customers": len(dims.customers), "products": len(dims.products), "orders": orders}


def land_day(landing: Path, as_of: date, scale: float, days: int) -> dict[str, int]:
    """Writes the batch of `as_of`'s orders and returns its record counts."""
    config = _config(as_of, scale, days)
    _, landed_at = landing_times(as_of)
    records = [o for _day, orders in orders_by_day(config, dimensions(config), only=as_of) for o in orders]
    write_landing(landing, "orders", records, landed_at)
    return {"orders": len(records)}


def demo_batches(as_of: date, scale: float, days: int = DAYS) -> tuple[LandingBatch, LandingBatch]:
    """The two batches' records as lists (what `land_history` and `land_day` write; pure)."""
    config = _config(as_of, scale, days)
    dims = dimensions(config)
    by_day = dict(orders_by_day(config, dims))
    history = [o for day, orders in sorted(by_day.items()) if day < as_of for o in orders]
    opened, closed = landing_times(as_of)
    return (
        LandingBatch(opened, {"customers": dims.customers, "products": dims.products, "orders": history}),
        LandingBatch(closed, {"orders": by_day.get(as_of, [])}),
    )
