"""Landing data for the benchmark, written order by order from the seeded generator (never all in
memory): a history, then daily batches shaped like a real day's: the day's new orders, status changes
of a share of the last three days' orders, and new versions of a share of the customers."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from lakehouse_jobs.sample_data import (
    SampleConfig,
    SampleData,
    changed_customers,
    dimensions,
    order_count,
    orders_by_day,
    write_landing,
)

START = date(2024, 1, 1)
NEXT_STATUS = {"pending": "processing", "processing": "shipped", "shipped": "delivered"}
UPDATED_SHARE = 0.10  # of the last three days' orders, a status change each day
CHANGED_CUSTOMERS_SHARE = 0.001  # of the customers, a new version each day


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


@dataclass(frozen=True)
class Landed:
    orders: int
    order_json_bytes: int
    files: int


@dataclass(frozen=True)
class Volume:
    """One history of `days` days at `scale` (sample_data: 5000 * scale / 90 orders a day)."""

    scale: float
    days: int
    seed: int = 42

    @property
    def config(self) -> SampleConfig:
        return SampleConfig(seed=self.seed, scale=self.scale, start=START, days=self.days)

    @property
    def history_landed_at(self) -> datetime:
        return midnight(START + timedelta(days=self.days))

    def dims(self) -> SampleData:
        return dimensions(self.config)

    def land_history(self, landing: Path, dims: SampleData) -> Landed:
        """Customers, products and one orders file a day, in one batch landed after the last day."""
        at = self.history_landed_at
        write_landing(landing, "customers", dims.customers, at)
        write_landing(landing, "products", dims.products, at)
        orders = size = files = 0
        for day, records in orders_by_day(self.config, dims):
            path = write_landing(landing, "orders", records, at, f"part-{day:%Y%m%d}.json")
            orders, size, files = orders + len(records), size + path.stat().st_size, files + 1
        return Landed(orders, size, files)

    def day_config(self, n: int) -> SampleConfig:
        """The n-th day after the history (0 first), at the same scale."""
        day = START + timedelta(days=self.days + n)
        return SampleConfig(seed=self.seed + 1 + n, scale=self.scale, start=day, days=1)

    def land_day(self, landing: Path, dims: SampleData, n: int, hour: int = 3) -> Landed:
        """Day n's batch: its new orders (ids after every earlier one), status changes of a share of
        the history's last three days' orders, new versions of a share of the customers."""
        config, rng = self.day_config(n), random.Random(f"{self.seed}:day:{n}")
        at = midnight(config.start + timedelta(days=1)) + timedelta(hours=hour)
        first_id = order_count(self.config) + n * order_count(config) + 1
        new = [o for _d, orders in orders_by_day(config, dims, first_id) for o in orders]
        updates = []
        for back in range(1, 4):
            day = START + timedelta(days=self.days - back)
            for _d, orders in orders_by_day(self.config, dims, only=day):
                open_orders = [o for o in orders if o["order_status"] in NEXT_STATUS]
                for o in rng.sample(open_orders, round(len(orders) * UPDATED_SHARE)):
                    updates.append({**o, "order_status": NEXT_STATUS[o["order_status"]], "updated_at": at})
        path = write_landing(landing, "orders", new + updates, at)
        changed = changed_customers(
            dims, CHANGED_CUSTOMERS_SHARE, at - timedelta(hours=1), seed=self.seed + n
        )
        write_landing(landing, "customers", changed, at)
        return Landed(len(new) + len(updates), path.stat().st_size, 2)

    def land_hourly(
        self, landing: Path, dims: SampleData, n: int, hours: int, ingest: Callable[[], None]
    ) -> list[datetime]:
        """Day n's new orders landed in `hours` hourly batches (for compaction), `ingest` run after each
        one lands, as production's hourly bronze runs would (landing all hours first would make them one
        batch: one bronze run reads every landing it has not read); returns their times."""
        config = self.day_config(n)
        first_id = order_count(self.config) + n * order_count(config) + 1
        orders = [o for _d, day_orders in orders_by_day(config, dims, first_id) for o in day_orders]
        landed = []
        for hour in range(hours):
            at = midnight(config.start + timedelta(days=1)) + timedelta(hours=hour)
            write_landing(landing, "orders", orders[hour::hours], at)
            ingest()
            landed.append(at)
        return landed
