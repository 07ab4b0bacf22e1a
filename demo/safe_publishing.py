"""Demo step: safe publishing. A bad batch is stopped by bronze's quality gate (main untouched, the
failing checks in quality_results); then a batch that passes its checks but should not have landed is
published by a whole pipeline run and rolled back with `maintenance --mode rollback --rollback-run`, the
same job code the rollback command starts on AWS. Row counts before and after each."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from lakehouse_jobs.publish import QualityGateFailed
from lakehouse_jobs.sample_data import landing_batch_name, write_landing

from .lakehouse import LocalLakehouse
from .sample import LandingBatch

# What a pipeline run publishes and a rollback restores (quality_results keeps every run's checks).
COUNTED = ("raw_orders", "curated_orders", "curated_customers", "agg_daily_metrics", "job_progress")
BAD_RUN, LATE_RUN = "demo-bad-batch", "demo-late-batch"


def bad_batch(history: LandingBatch, after: LandingBatch) -> LandingBatch:
    """60 orders of the history sent twice with the same version, and 40 orders of customers that never
    landed: repeated versions and broken references, each far above what raw_orders tolerates (pure)."""
    orders = history.records["orders"][:60]
    strangers = [
        {**o, "order_id": f"STRANGER-{n:03}", "customer_id": f"NOBODY-{n:03}"}
        for n, o in enumerate(history.records["orders"][60:100])
    ]
    return LandingBatch(after.landed_at + timedelta(hours=1), {"orders": [*orders, *orders, *strangers]})


def late_batch(day: LandingBatch) -> LandingBatch:
    """The day's orders again under new ids: valid, so every gate passes it, and unwanted (pure)."""
    orders = [{**o, "order_id": f"LATE-{o['order_id']}"} for o in day.records["orders"]]
    return LandingBatch(day.landed_at + timedelta(hours=2), {"orders": orders})


def _land(landing: Path, batch: LandingBatch) -> None:
    for entity, records in batch.records.items():
        write_landing(landing, entity, records, batch.landed_at)


def _move_aside(landing: Path, batch: LandingBatch, rejected: Path) -> None:
    """What an operator does with a batch the source must send again: out of the landing folder."""
    for entity in batch.records:
        source = landing / entity / landing_batch_name(batch.landed_at)
        shutil.move(source, rejected / entity / source.name)


def safe_publishing(
    lake: LocalLakehouse,
    landing: Path,
    rejected: Path,
    batches: Sequence[LandingBatch],
    run_pipeline: Callable[[str, LandingBatch], None],
    say: Callable[[str], None],
) -> dict[str, Any]:
    history, day = batches
    counts = lambda: {t: lake.rows(t) for t in COUNTED}  # noqa: E731
    (rejected / "orders").mkdir(parents=True, exist_ok=True)
    facts: dict[str, Any] = {"before": counts()}

    bad = bad_batch(history, day)
    _land(landing, bad)
    try:
        lake.run_job("bronze_ingest", landing_uri=str(landing), run_id=BAD_RUN, as_of=_utc(bad))
        raise RuntimeError("the quality gate let the bad batch through")
    except QualityGateFailed:
        pass
    failed = lake.spark.sql(
        f"SELECT table_name, check_name, observed, checked FROM {lake.table('quality_results')} "
        f"WHERE run_id = '{BAD_RUN}' AND NOT passed ORDER BY check_name"
    ).collect()
    facts["badBatch"] = {
        "lines": bad.counts()["orders"],
        "failedChecks": [f"{r.table_name}.{r.check_name}: {r.observed} of {r.checked}" for r in failed],
        "after": counts(),
    }
    say(f"  a bad batch of {bad.counts()['orders']} order lines: bronze_ingest stopped by its quality gate")
    for line in facts["badBatch"]["failedChecks"]:
        say(f"    failed {line}")
    say(f"  rows before {facts['before']}")
    say(f"  rows after  {facts['badBatch']['after']} (main untouched; the batch is moved aside)")
    _move_aside(landing, bad, rejected)

    late = late_batch(day)
    _land(landing, late)
    run_pipeline(LATE_RUN, late)
    published = counts()
    lake.run_job("maintenance", mode="rollback", rollback_run=LATE_RUN)
    facts["rollback"] = {"run": LATE_RUN, "published": published, "after": counts()}
    say(f"  run {LATE_RUN} published {late.counts()['orders']} unwanted orders: rows {published}")
    say(f"  maintenance --mode rollback --rollback-run {LATE_RUN}: rows {facts['rollback']['after']}")
    _move_aside(landing, late, rejected)
    return facts


def _utc(batch: LandingBatch) -> str:
    return f"{batch.landed_at:%Y-%m-%dT%H:%M:%SZ}"
