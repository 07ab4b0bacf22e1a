"""The demo's sample data: the days end on the run's date, split into the history and that day; the
files it lands hold exactly the records `demo_batches` lists."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from demo.sample import demo_batches, land_day, land_history

AS_OF = date(2026, 3, 15)


def test_history_lands_at_the_days_start_and_the_days_orders_at_its_end() -> None:
    history, day = demo_batches(AS_OF, scale=0.2, days=35)
    assert history.landed_at == datetime(2026, 3, 15, tzinfo=UTC)
    assert day.landed_at == datetime(2026, 3, 16, tzinfo=UTC)
    # round(5000 x 0.2 x 35 / 90) = 389 orders, an even share a day: 12 on the last day.
    assert history.counts() == {"customers": 200, "products": 100, "orders": 377}
    assert day.counts() == {"orders": 12}
    assert min(o["order_date"] for o in history.records["orders"]) == datetime(2026, 2, 9, 2, 8, tzinfo=UTC)
    assert max(o["order_date"] for o in history.records["orders"]) < history.landed_at
    assert {o["order_date"].date() for o in day.records["orders"]} == {AS_OF}
    ids = [o["order_id"] for o in history.records["orders"] + day.records["orders"]]
    assert ids == [f"ORD-{n:08d}" for n in range(1, 390)]  # order numbers grow with time


def _records(folder: Path) -> list[dict]:
    return [
        json.loads(line) for path in sorted(folder.glob("*.json")) for line in path.read_text().splitlines()
    ]


def test_the_landed_files_hold_the_listed_records_and_the_same_date_gives_the_same_bytes(
    tmp_path: Path,
) -> None:
    counts = [land(tmp_path / "a", AS_OF, 0.05, 35) for land in (land_history, land_day)]
    for land in (land_history, land_day):
        land(tmp_path / "b", AS_OF, 0.05, 35)
    files = sorted((tmp_path / "a").rglob("*.json"))
    assert [p.read_bytes() for p in files] == [
        p.read_bytes() for p in sorted((tmp_path / "b").rglob("*.json"))
    ]
    assert [p.relative_to(tmp_path / "a").as_posix() for p in files][:3] == [
        "customers/landed_at=20260315T000000Z/part-00000.json",
        "orders/landed_at=20260315T000000Z/part-20260209.json",
        "orders/landed_at=20260315T000000Z/part-20260210.json",
    ]
    assert len(files) == 1 + 34 + 1 + 1  # customers, one orders file a day of history, the day, products
    history, day = demo_batches(AS_OF, 0.05, 35)
    assert counts == [history.counts(), day.counts()]
    landed = _records(tmp_path / "a" / "orders" / "landed_at=20260315T000000Z")
    assert [o["order_id"] for o in landed] == [o["order_id"] for o in history.records["orders"]]
    assert [o["order_id"] for o in _records(tmp_path / "a" / "orders" / "landed_at=20260316T000000Z")] == [
        o["order_id"] for o in day.records["orders"]
    ]
