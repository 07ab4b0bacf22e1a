"""The sample-data generator: deterministic, exact money, UTC, scalable, with seeded bad records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from lakehouse_jobs.sample_data import (
    SampleConfig,
    changed_customers,
    dimensions,
    generate,
    iter_orders,
    line_net_amount,
    orders_by_day,
    write_sample_landing,
)

LANDED = datetime(2024, 4, 1, 3, 0, tzinfo=UTC)


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    first = write_sample_landing(tmp_path / "a", generate(SampleConfig(seed=3, scale=0.01)), LANDED)
    second = write_sample_landing(tmp_path / "b", generate(SampleConfig(seed=3, scale=0.01)), LANDED)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = write_sample_landing(tmp_path / "c", generate(SampleConfig(seed=4, scale=0.01)), LANDED)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert [p.relative_to(tmp_path / "a").as_posix() for p in first] == [
        "customers/landed_at=20240401T030000Z/part-00000.json",
        "products/landed_at=20240401T030000Z/part-00000.json",
        "orders/landed_at=20240401T030000Z/part-00000.json",
    ]


def test_scale_factor_sets_the_seed_volumes() -> None:
    data = generate(SampleConfig(scale=0.1))
    assert (len(data.customers), len(data.products), len(data.orders)) == (100, 50, 500)
    week = generate(SampleConfig(scale=0.1, days=9))
    assert len(week.orders) == 50


def test_money_is_decimal_cents_and_order_totals_follow_the_line_rule() -> None:
    data = generate(SampleConfig(scale=0.02))
    prices = [p["price"] for p in data.products] + [i["discount"] for o in data.orders for i in o["items"]]
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in prices)
    for o in data.orders:
        assert o["total_amount"] == sum((line_net_amount(i) for i in o["items"]), Decimal("0.00"))


def test_timestamps_are_utc_and_written_with_z(tmp_path: Path) -> None:
    data = generate(SampleConfig(scale=0.01, days=5))
    assert all(o["order_date"].tzinfo is UTC for o in data.orders)
    assert {o["order_date"].date().isoformat() for o in data.orders} <= {f"2024-01-0{d}" for d in range(1, 6)}
    orders_file = write_sample_landing(tmp_path, data, LANDED)[2]
    first = json.loads(orders_file.read_text().splitlines()[0])
    assert first["order_date"].endswith("Z") and isinstance(first["total_amount"], str)


def test_bad_record_share_turns_that_share_into_quarantine_cases() -> None:
    data = generate(SampleConfig(scale=0.1, bad_record_share=0.1))
    bad_customers = [c for c in data.customers if c["customer_id"] is None or "@" not in c["email"]]
    negative = [o for o in data.orders if any(i["quantity"] < 0 for i in o["items"])]
    unknown = [o for o in data.orders if any(i["product_id"] == "PROD-UNKNOWN" for i in o["items"])]
    assert (len(bad_customers), len(negative), len(unknown)) == (10, 25, 25)


def test_changed_customers_are_new_versions_of_existing_ones() -> None:
    data = generate(SampleConfig(scale=0.05))
    changes = changed_customers(data, 0.2, LANDED)
    originals = {c["customer_id"]: c for c in data.customers}
    assert len(changes) == 10
    for change in changes:
        before = originals[change["customer_id"]]
        assert change["address"]["city"] != before["address"]["city"]
        assert change["updated_at"] == LANDED and change["email"].endswith("@mail.example.com")


def test_order_ids_grow_with_time_and_one_day_is_made_alone_with_the_same_ids() -> None:
    config = SampleConfig(scale=0.2, days=9)
    dims = dimensions(config)
    every = list(iter_orders(config, dims))
    assert [o["order_id"] for o in every] == [f"ORD-{n:08d}" for n in range(1, len(every) + 1)]
    assert [o["order_date"] for o in every] == sorted(o["order_date"] for o in every)
    fifth = config.start + timedelta(days=4)
    alone = [o for _day, orders in orders_by_day(config, dims, only=fifth) for o in orders]
    assert alone == [o for o in every if o["order_date"].date() == fifth]
