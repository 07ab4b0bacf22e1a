"""The demo's sample data: the days end on the run's date, split into the history and that day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from demo.sample import demo_batches, land

AS_OF = date(2026, 3, 15)


def test_history_lands_at_the_days_start_and_the_days_orders_at_its_end() -> None:
    history, day = demo_batches(AS_OF, scale=0.2, days=35)
    assert history.landed_at == datetime(2026, 3, 15, tzinfo=UTC)
    assert day.landed_at == datetime(2026, 3, 16, tzinfo=UTC)
    assert history.counts() == {"customers": 200, "products": 100, "orders": 376}
    assert day.counts() == {"orders": 13}
    assert min(o["order_date"] for o in history.records["orders"]) == datetime(2026, 2, 9, 1, 24, tzinfo=UTC)
    assert max(o["order_date"] for o in history.records["orders"]) < history.landed_at
    assert {o["order_date"].date() for o in day.records["orders"]} == {AS_OF}


def test_the_same_date_gives_the_same_bytes(tmp_path: Path) -> None:
    first = [p.read_bytes() for batch in demo_batches(AS_OF, 0.05) for p in land(tmp_path / "a", batch)]
    again = [p.read_bytes() for batch in demo_batches(AS_OF, 0.05) for p in land(tmp_path / "b", batch)]
    assert first == again
    assert [p.relative_to(tmp_path / "a").as_posix() for p in sorted((tmp_path / "a").rglob("*.json"))] == [
        "customers/landed_at=20260315T000000Z/part-00000.json",
        "orders/landed_at=20260315T000000Z/part-00000.json",
        "orders/landed_at=20260316T000000Z/part-00000.json",
        "products/landed_at=20260315T000000Z/part-00000.json",
    ]
