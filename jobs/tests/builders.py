"""Hand-written landing records for the job tests (small, so every expected amount is checkable)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def ts(text: str) -> datetime:
    """`"2024-02-10 10:00"` as a UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def customer(
    customer_id: str | None,
    email: str,
    name: str,
    city: str,
    state: str,
    created: str,
    updated: str | None = None,
) -> dict[str, Any]:
    first, last = name.split(" ")
    return {
        "customer_id": customer_id,
        "email": email,
        "first_name": first,
        "last_name": last,
        "phone": "+1-312-555-0100",
        "address": {
            "street": "1 Main Street",
            "city": city,
            "state": state,
            "zip": "60601",
            "country": "USA",
        },
        "created_at": ts(created),
        "updated_at": ts(updated or created),
        "source_system": "web",
    }


def product(product_id: str, category: str, price: str) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "sku": f"SKU-{product_id}",
        "name": f"{category} item {product_id}",
        "description": "test product",
        "category": category,
        "subcategory": "General",
        "price": Decimal(price),
        "cost": (Decimal(price) / 2).quantize(Decimal("0.01")),
        "stock_quantity": 10,
        "attributes": {"color": "Blue"},
        "created_at": ts("2023-12-01 00:00"),
        "updated_at": ts("2023-12-01 00:00"),
    }


def order(
    order_id: str | None,
    customer_id: str | None,
    date: str,
    status: str | None,
    items: list[tuple[str, int, str, str]],
    updated: str | None = None,
) -> dict[str, Any]:
    """items: (product_id, quantity, unit_price, discount fraction); `updated`: the source's
    updated_at (the order's version), absent when None."""
    record = {
        "order_id": order_id,
        "customer_id": customer_id,
        "order_status": status,
        "order_date": ts(date),
        "required_date": ts(date),
        "shipped_date": None,
        "items": [
            {"product_id": p, "quantity": q, "unit_price": Decimal(price), "discount": Decimal(d)}
            for p, q, price, d in items
        ],
        "shipping_address": {"city": "Chicago", "state": "IL", "country": "USA"},
        "total_amount": None,
    }
    if updated is not None:
        record["updated_at"] = ts(updated)
    return record
