"""What each pipeline job publishes, in the order it publishes them.

A job writes these tables through an audit branch and publishes them together once their checks pass
(publish.py): its targets first, its bookkeeping (`ingestion_log`, `job_progress`) last, so a run
interrupted in between is the "committed, progress not recorded" case every job already resumes from.
The evidence tables (`quarantine_records`, `quality_results`) are written straight to main: what was
refused and what was checked must stay visible when a run is stopped. The stack declares the same
split (components/job-definitions.ts: writesTables; a job test holds the two equal).
"""

from __future__ import annotations

from collections.abc import Mapping

from .customer_index import TABLE as COUNTED_ORDERS
from .ingestion_log import INGESTION_LOG
from .progress import PROGRESS_TABLE

BOOKKEEPING_TABLES = (INGESTION_LOG, PROGRESS_TABLE)
EVIDENCE_TABLES = ("quarantine_records", "quality_results")

PUBLISHED_TABLES: Mapping[str, tuple[str, ...]] = {
    "bronze_ingest": ("raw_customers", "raw_products", "raw_orders", INGESTION_LOG),
    "silver_orders": ("curated_orders", PROGRESS_TABLE),
    "silver_customers": ("curated_customers", COUNTED_ORDERS, PROGRESS_TABLE),
    "gold_daily_metrics": ("agg_daily_metrics", PROGRESS_TABLE),
}

# The job that writes each data table (the one whose progress a rollback of the table rewinds).
WRITER_JOBS: Mapping[str, str] = {
    table: job
    for job, tables in PUBLISHED_TABLES.items()
    for table in tables
    if table not in BOOKKEEPING_TABLES
}
