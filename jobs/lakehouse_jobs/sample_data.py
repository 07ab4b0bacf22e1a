"""Deterministic sample data (the seed's e-commerce generator, fixed) written as landing JSON files.

Fixed against the seed: one seeded `random.Random` (same seed, same bytes), ids derived from counters
instead of uuid4, money as `Decimal` with cents (never float), every timestamp in UTC relative to a
fixed start date instead of `now()`. The same data feeds the tests, the demo and the benchmark.

Landing layout (what `bronze_ingest` reads), JSON lines:
`<landing>/<entity>/landed_at=<YYYYMMDDTHHMMSSZ>/part-00000.json`.
Money is written as JSON strings ("19.99") so no reader can turn it into a float.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

CENT = Decimal("0.01")
FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
    "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
]  # fmt: skip
CATEGORIES = ["Electronics", "Clothing", "Home & Garden", "Sports", "Books", "Toys", "Health", "Automotive"]
SUBCATEGORIES = {
    "Electronics": ["Phones", "Laptops", "Tablets", "Audio"],
    "Clothing": ["Men", "Women", "Kids", "Accessories"],
    "Home & Garden": ["Furniture", "Decor", "Kitchen", "Outdoor"],
    "Sports": ["Fitness", "Outdoor", "Team Sports", "Water Sports"],
}
CITIES = [
    ("New York", "NY"), ("Los Angeles", "CA"), ("Chicago", "IL"),
    ("Houston", "TX"), ("Phoenix", "AZ"), ("Philadelphia", "PA"),
]  # fmt: skip
STATUSES = ["pending", "processing", "shipped", "delivered", "cancelled"]

# Scale factor 1 is the seed's volume: 1000 customers, 500 products, 5000 orders over 90 days.
CUSTOMERS_PER_SCALE = 1000
PRODUCTS_PER_SCALE = 500
ORDERS_PER_SCALE_PER_90_DAYS = 5000


@dataclass(frozen=True)
class SampleConfig:
    seed: int = 42
    scale: float = 1.0
    start: date = date(2024, 1, 1)
    days: int = 90
    bad_record_share: float = 0.0
    """Share of customers and of orders replaced by a bad variant (null key, malformed email,
    negative quantity, unknown product), for quarantine demos."""

    def __post_init__(self) -> None:
        if not self.scale > 0:
            raise ValueError(f"[scale] must be > 0; got {self.scale}")
        if self.days < 1:
            raise ValueError(f"[days] must be >= 1; got {self.days}")
        if not 0 <= self.bad_record_share <= 1:
            raise ValueError(f"[bad_record_share] must be from 0 to 1; got {self.bad_record_share}")


@dataclass
class SampleData:
    customers: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def utc(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def line_net_amount(item: dict[str, Any]) -> Decimal:
    """A line after its discount, rounded to cents per line (the rule silver_orders applies)."""
    gross = item["unit_price"] * item["quantity"]
    return gross - cents(gross * item["discount"])


def order_count(config: SampleConfig) -> int:
    return max(1, round(ORDERS_PER_SCALE_PER_90_DAYS * config.scale * config.days / 90))


def dimensions(config: SampleConfig) -> SampleData:
    """The customers and products of `config` (no orders)."""
    rng = random.Random(config.seed)
    customer_count = max(1, round(CUSTOMERS_PER_SCALE * config.scale))
    product_count = max(1, round(PRODUCTS_PER_SCALE * config.scale))
    customers = [_customer(rng, i, config.start) for i in range(1, customer_count + 1)]
    products = [_product(rng, i, config.start) for i in range(1, product_count + 1)]
    _inject_bad_customers(random.Random(f"{config.seed}:bad-customers"), customers, config.bad_record_share)
    return SampleData(customers, products, [])


def orders_by_day(
    config: SampleConfig, dims: SampleData, first_id: int = 1, only: date | None = None
) -> Iterator[tuple[date, list[dict[str, Any]]]]:
    """The orders of `config`, one day at a time: the same orders whether kept in a list or streamed to
    files, so that 2 million of them never sit in memory. Each day has its own seeded generator and an
    even share of the orders; ids grow with time (`ORD-00000001` is the earliest), as a source's order
    numbers do, and start at `first_id`. With `only`, just that day's orders are made (same ids)."""
    total = order_count(config)
    bad = _bad_orders(config, total)
    n = 0
    for day_index in range(config.days):
        rng = random.Random(f"{config.seed}:orders:{day_index}")
        day = config.start + timedelta(days=day_index)
        count = total * (day_index + 1) // config.days - total * day_index // config.days
        if only is not None and day != only:
            n += count
            continue
        orders = sorted(
            (_order(rng, day, dims.customers, dims.products) for _ in range(count)),
            key=lambda o: o["order_date"],
        )
        for order in orders:
            order["order_id"] = f"ORD-{first_id + n:08d}"
            if n in bad:
                _make_bad(order, bad[n])
            n += 1
        yield day, orders


def iter_orders(config: SampleConfig, dims: SampleData, first_id: int = 1) -> Iterator[dict[str, Any]]:
    for _day, orders in orders_by_day(config, dims, first_id):
        yield from orders


def generate(config: SampleConfig) -> SampleData:
    dims = dimensions(config)
    return SampleData(dims.customers, dims.products, list(iter_orders(config, dims)))


def _customer(rng: random.Random, i: int, start: date) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city, state = rng.choice(CITIES)
    created = utc(start - timedelta(days=rng.randint(1, 365)), rng.randint(0, 23), rng.randint(0, 59))
    return {
        "customer_id": f"CUST-{i:06d}",
        "email": f"{first.lower()}.{last.lower()}{i}@example.com",
        "first_name": first,
        "last_name": last,
        "phone": f"+1-{rng.randint(200, 999)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "address": {
            "street": f"{rng.randint(100, 9999)} Main Street",
            "city": city,
            "state": state,
            "zip": f"{rng.randint(10000, 99999)}",
            "country": "USA",
        },
        "created_at": created,
        "updated_at": created,
        "source_system": rng.choice(["web", "mobile", "store"]),
    }


def _product(rng: random.Random, i: int, start: date) -> dict[str, Any]:
    category = rng.choice(CATEGORIES)
    subcategory = rng.choice(SUBCATEGORIES.get(category, ["General"]))
    price = Decimal(rng.randint(999, 99999)) * CENT
    created = utc(start - timedelta(days=rng.randint(1, 365)))
    return {
        "product_id": f"PROD-{i:05d}",
        "sku": f"SKU-{category[:3].upper()}-{i:04d}",
        "name": f"{category} {subcategory} Product {i}",
        "description": f"High quality {category.lower()} product",
        "category": category,
        "subcategory": subcategory,
        "price": price,
        "cost": cents(price * Decimal(rng.randint(30, 70)) / 100),
        "stock_quantity": rng.randint(0, 1000),
        "attributes": {
            "weight": f"{Decimal(rng.randint(10, 5000)) * CENT} kg",
            "color": rng.choice(["Black", "White", "Red", "Blue"]),
            "warranty": f"{rng.choice([12, 24, 36])} months",
        },
        "created_at": created,
        "updated_at": created,
    }


def _order(
    rng: random.Random, day: date, customers: list[dict[str, Any]], products: list[dict[str, Any]]
) -> dict[str, Any]:
    customer = rng.choice(customers)
    items = []
    for _ in range(rng.randint(1, 5)):
        product = rng.choice(products)
        items.append(
            {
                "product_id": product["product_id"],
                "quantity": rng.randint(1, 3),
                "unit_price": product["price"],
                "discount": Decimal(rng.randint(0, 20)) * CENT,
            }
        )
    order_date = utc(day, rng.randint(0, 23), rng.randint(0, 59))
    status = rng.choice(STATUSES)
    shipped = order_date + timedelta(days=rng.randint(1, 5)) if status in ("shipped", "delivered") else None
    return {
        "order_id": None,  # numbered in date order by iter_orders
        "customer_id": customer["customer_id"],
        "order_status": status,
        "order_date": order_date,
        "required_date": order_date + timedelta(days=rng.randint(3, 10)),
        "shipped_date": shipped,
        "items": items,
        "shipping_address": dict(customer["address"]),
        "total_amount": sum((line_net_amount(item) for item in items), Decimal("0.00")),
        "updated_at": shipped or order_date,  # the order's version: its last change at the source
    }


def _inject_bad_customers(rng: random.Random, customers: list[dict[str, Any]], share: float) -> None:
    """Turns a seeded share of customers into the bad kinds silver_customers quarantines."""
    for n, customer in enumerate(rng.sample(customers, round(len(customers) * share))):
        if n % 2 == 0:
            customer["email"] = customer["email"].replace("@", " at ")
        else:
            customer["customer_id"] = None


def _bad_orders(config: SampleConfig, total: int) -> dict[int, str]:
    """Which orders (by position) become which bad kind: a seeded share, half of each kind."""
    rng = random.Random(f"{config.seed}:bad-orders")
    chosen = rng.sample(range(total), round(total * config.bad_record_share))
    return {n: "negative quantity" if k % 2 == 0 else "unknown product" for k, n in enumerate(chosen)}


def _make_bad(order: dict[str, Any], kind: str) -> None:
    if kind == "negative quantity":
        order["items"][0]["quantity"] = -order["items"][0]["quantity"]
    else:
        order["items"][0]["product_id"] = "PROD-UNKNOWN"


def changed_customers(
    data: SampleData, share: float, changed_at: datetime, seed: int = 7
) -> list[dict[str, Any]]:
    """New versions of a seeded share of customers (moved city, new email), for SCD2 demos."""
    rng = random.Random(seed)
    valid = [c for c in data.customers if c["customer_id"] is not None and "@" in c["email"]]
    changes = []
    for customer in rng.sample(valid, round(len(valid) * share)):
        city, state = rng.choice([c for c in CITIES if c[0] != customer["address"]["city"]])
        changes.append(
            {
                **customer,
                "email": customer["email"].replace("@example.com", "@mail.example.com"),
                "address": {**customer["address"], "city": city, "state": state},
                "updated_at": changed_at,
            }
        )
    return changes


def landing_batch_name(landed_at: datetime) -> str:
    return f"landed_at={landed_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: sample data must be UTC")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    raise TypeError(f"cannot write {type(value).__name__} to landing JSON")


def write_landing(
    landing_dir: Path,
    entity: str,
    records: Iterable[dict[str, Any]],
    landed_at: datetime,
    name: str = "part-00000.json",
) -> Path:
    """Writes one landing file (JSON lines) of a batch, record by record, and returns it; identical
    input, identical bytes."""
    folder = Path(landing_dir) / entity / landing_batch_name(landed_at)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, default=_json_value, separators=(",", ":"), ensure_ascii=False))
            out.write("\n")
    return path


def write_sample_landing(landing_dir: Path, data: SampleData, landed_at: datetime) -> list[Path]:
    return [
        write_landing(landing_dir, "customers", data.customers, landed_at),
        write_landing(landing_dir, "products", data.products, landed_at),
        write_landing(landing_dir, "orders", data.orders, landed_at),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write deterministic sample landing JSON files")
    parser.add_argument("--out", required=True, help="landing folder")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the seed's 1000/500/5000 records")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1), help="first order day")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--bad-record-share", type=float, default=0.0)
    parser.add_argument("--landed-at", default="2024-04-01T03:00:00+00:00", help="ISO time with offset")
    args = parser.parse_args(argv)
    landed_at = datetime.fromisoformat(args.landed_at)
    if landed_at.tzinfo is None:
        parser.error(f"[--landed-at] needs a UTC offset (e.g. +00:00); got {args.landed_at}")
    config = SampleConfig(args.seed, args.scale, args.start, args.days, args.bad_record_share)
    for path in write_sample_landing(Path(args.out), generate(config), landed_at):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
