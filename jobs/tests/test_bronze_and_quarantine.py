"""Refusals: malformed landing input and a bad-record share above the threshold change no table."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from lakehouse_jobs.quarantine import BadRecordShareExceeded

from . import scenario as s
from .builders import order, product
from .conftest import Lake


def test_a_malformed_landing_line_fails_bronze_naming_the_file_before_any_write(lake: Lake) -> None:
    lake.land("customers", s.CUSTOMERS_1, s.DAY1)
    orders_file = lake.land("orders", s.ORDERS_1, s.DAY1)
    orders_file.write_text(orders_file.read_text() + '{"order_id": "O10", "items": "not a list"}\n')
    with pytest.raises(ValueError) as error:
        lake.run("bronze_ingest")
    assert str(error.value) == (
        f"[--landing-uri] file:{orders_file}: a line is not valid JSON for raw_orders's columns (types or "
        """syntax): '{"order_id": "O10", "items": "not a list"}'; no table was changed"""
    )
    assert (lake.main_snapshot("raw_customers"), lake.main_snapshot("raw_orders")) == (None, None)


def test_a_folder_that_is_not_a_batch_fails_bronze(lake: Lake) -> None:
    (lake.landing / "products" / "2024-03-01").mkdir(parents=True)
    with pytest.raises(ValueError) as error:
        lake.run("bronze_ingest")
    assert str(error.value) == (
        f"[--landing-uri] {lake.landing}/products/2024-03-01 is not a landing batch; "
        "batch folders are named landed_at=YYYYMMDDTHHMMSSZ (UTC)"
    )


def test_too_many_bad_orders_fail_until_an_operator_accepts_them_then_are_never_read_again(
    lake: Lake,
) -> None:
    lake.land("products", s.PRODUCTS_1, s.DAY1)
    lake.land("orders", s.ORDERS_1, s.DAY1)
    lake.run("bronze_ingest")
    for _attempt in range(2):  # a rerun quarantines nothing twice
        with pytest.raises(BadRecordShareExceeded) as error:
            lake.run("silver_orders", max_bad_record_share=0.4)
        assert str(error.value) == (
            "silver_orders: 3 of 7 rows read from raw_orders (42.86%) were quarantined, above "
            "[--max-bad-record-share] 0.4; see quarantine_records where job_name = 'silver_orders'. "
            "The target table was not changed and the next run reads the same rows. To move past them: "
            "land corrected records if they can be corrected, then run this job once with "
            "--max-bad-record-share 1 to accept the rest as quarantined."
        )
        assert lake.main_snapshot("curated_orders") is None
        assert lake.rows("quarantine_records", ["record_key", "reason"]) == [
            ("O5", "negative quantity"),
            ("O6", "unknown product: P9"),
            (None, "order_id is null; negative quantity"),
        ]
    # The operator accepts the quarantine: one run with --max-bad-record-share 1.
    report = lake.run("silver_orders", max_bad_record_share=1)
    assert (report.rows_in, report.quarantined, report.rows_out) == (7, 3, 4)
    assert len(lake.rows("quarantine_records", ["record_key"])) == 3
    # Its progress is recorded: the normal threshold is back and the bad rows are never read again.
    report = lake.run("silver_orders", max_bad_record_share=0.4)
    assert (report.rows_in, report.details["raw_orders"]) == (0, "none after 1")
    assert lake.rows("job_progress", ["job_name", "source_table", "through_seq"]) == [
        ("silver_orders", "raw_orders", 1)
    ]


def test_a_refused_order_is_quarantined_with_the_total_it_was_sent_and_a_valid_one_gets_the_computed_total(
    lake: Lake,
) -> None:
    """curated_orders' total_amount is computed from the items (order_rules); the source's own total stays
    in raw_orders and in the quarantine's payload as received, never replaced by the computed one."""
    lake.land("products", [product("P1", "Books", "10.00")], s.DAY1)
    sent = [
        order("O1", "C1", "2024-02-10 10:00", "pending", [("P1", 1, "10.00", "0.00")]),
        order("O2", "C1", "2024-02-10 11:00", "weird", [("P1", 1, "10.00", "0.00")]),
    ]
    for record in sent:
        record["total_amount"] = Decimal("99.99")  # the source's figure: not what the items add up to
    lake.land("orders", sent, s.DAY1)
    lake.run("bronze_ingest")
    lake.run("silver_orders", max_bad_record_share=1)
    payload = json.loads(lake.rows("quarantine_records", ["payload"])[0][0], parse_float=Decimal)
    assert (payload["order_id"], payload["order_status"], payload["total_amount"]) == (
        "O2",
        "weird",
        Decimal("99.99"),
    )
    assert lake.rows("curated_orders", ["order_id", "total_amount"]) == [("O1", Decimal("10.00"))]
