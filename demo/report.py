"""The demo's final report: as text for the person who ran it, as JSON for programs and the test."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .steps import StepTiming


def next_steps(stack: str, warehouse: str, database: str) -> list[str]:
    return [
        f"pulumi up --stack {stack}   # the real stack on AWS: needs the Pulumi CLI and AWS credentials",
        f"npm run policy:check -- {stack}   # the full policy report; npm run plan -- {stack}: the plan",
        "cd jobs && ../.venv/bin/python   # then, to query the local warehouse:",
        "  >>> from pathlib import Path; from lakehouse_jobs import local",
        f"  >>> spark = local.create_local_session(Path({warehouse!r}))",
        f'  >>> spark.sql("SELECT * FROM glue_catalog.{database}.agg_daily_metrics").show()',
    ]


def safe_publishing_line(safe: Mapping[str, Any]) -> str:
    rollback, orders = safe["rollback"], "curated_orders"
    return (
        f"Safe publishing: a bad batch stopped by {len(safe['badBatch']['failedChecks'])} failed checks, "
        f"rows unchanged; run {rollback['run']} published ({orders} {safe['before'][orders]} -> "
        f"{rollback['published'][orders]} rows), then rolled back ({rollback['after'][orders]} rows)"
    )


def render_report(facts: Mapping[str, Any], timings: list[StepTiming]) -> list[str]:
    """The report's lines (pure)."""
    plan, tables = facts["plan"], facts["tables"]
    travel, evolution, queries = facts["timeTravel"], facts["schemaEvolution"], facts["namedQueries"]
    width = max(len(name) for name in tables)
    row = "  {:<{w}}  {:>7}  {:>9}  {:>10}  {:>10}"
    ran = ", ".join(f"{name} ({query['rows']} rows)" for name, query in queries.items())
    return [
        (
            f"Stack {plan['stack']} ({plan['region']}), planned offline: {plan['resources']} resources in "
            f"{plan['components']} components; {plan['policy']['summary']} Diagram: {plan['diagram']}"
        ),
        (
            f"Local warehouse: {facts['warehouse']} (Iceberg 1.7.1, catalog glue_catalog, "
            f"database {facts['database']})"
        ),
        "",
        row.format("table", "rows", "snapshots", "data files", "bytes", w=width),
        *(
            row.format(name, t["rows"], t["snapshots"], t["dataFiles"], t["bytes"], w=width)
            for name, t in tables.items()
        ),
        "",
        f"Named queries run as on Athena: {ran}",
        (
            f"Time travel: {travel['table']} had {travel['rowsThen']} rows before the last run (snapshot "
            f"{travel['snapshotBeforeLastRun']}), {travel['rowsNow']} now: +{travel['difference']}"
        ),
        safe_publishing_line(facts["safePublishing"]),
        (
            f"Schema and partition evolution: {evolution['table']}.{evolution['column']['name']} added; "
            f"NULL in {evolution['rowsWithNull']} of {evolution['rows']} rows; "
            f"{'; '.join(u['summary'] for u in evolution['icebergUpdates'])}; "
            f"{evolution['rewrittenDataFiles']} of {evolution['dataFilesBefore']} data files rewritten "
            f"(files by spec id: {evolution['dataFilesBySpec']}); the oldest snapshot reads "
            f"{evolution['oldSnapshot']['rows']} rows"
        ),
        "",
        "Elapsed per step:",
        *(f"  {i}. {t.name[:60].ljust(60)} {t.seconds:6.1f} s" for i, t in enumerate(timings, 1)),
        f"  {'total'.ljust(63)} {sum(t.seconds for t in timings):6.1f} s",
        "",
        "Next:",
        *(f"  {line}" for line in next_steps(plan["stack"], facts["warehouse"], facts["database"])),
    ]


def write_report_json(path: Path, facts: Mapping[str, Any], timings: list[StepTiming]) -> None:
    report = {
        **facts,
        "steps": [{"name": t.name, "seconds": round(t.seconds, 1)} for t in timings],
        "totalSeconds": round(sum(t.seconds for t in timings), 1),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
