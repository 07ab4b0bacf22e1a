"""The demo, step by step (`bash scripts/demo.sh` runs `python -m demo`)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from lakehouse_jobs import local

from . import REPO
from .arguments import parse_arguments
from .athena_sql import load_named_queries
from .evolution import evolve
from .lakehouse import LocalLakehouse, log_jobs, start_spark
from .queries import TIME_TRAVEL_TABLE, run_named_queries
from .report import render_report, write_report_json
from .run_folder import fresh_run_folder
from .safe_publishing import safe_publishing
from .sample import demo_batches, land_day, land_history, landing_times
from .steps import DemoStepFailed, Steps

STEP_COUNT = 10
MAINTENANCE = "maintenance"


def offline_plan(stack: str, summary: Path) -> dict[str, Any]:
    """Step 1 in TypeScript (scripts/demo-plan.ts): its output goes straight to the screen."""
    command = [
        "npx",
        "--no-install",
        "ts-node",
        "--transpile-only",
        "scripts/demo-plan.ts",
        stack,
        str(summary),
    ]
    sys.stdout.flush()
    done = subprocess.run(command, cwd=REPO, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/demo-plan.ts {stack} exited {done.returncode} (its output is above)")
    return json.loads(summary.read_text(encoding="utf-8"))


def run_pipeline(lake: LocalLakehouse, steps: Steps, landing: Path, run_id: str, landed_at: datetime) -> None:
    """bronze -> silver orders -> silver customers -> gold, as the state machine runs them: one run id
    for all (their audit branches and pre-run tags), freshness judged as of the batch's landing."""
    bar = steps.bar(local.PIPELINE, "job")
    for job in bar:
        bar.set_description(job)
        parameters: dict[str, object] = {"run_id": run_id, "as_of": f"{landed_at:%Y-%m-%dT%H:%M:%SZ}"}
        if job == "bronze_ingest":
            parameters["landing_uri"] = str(landing)
        lake.run_job(job, **parameters)


def _maintenance_settings(specs: dict[str, Any]) -> str:
    """The stack's settings the jobs take, as the arguments Glue passes (`--snapshots-to-keep 5`)."""
    settings = {**specs["jobs"]["silver_orders"]["parameters"]}
    settings.update(specs["jobs"].get(MAINTENANCE, {"parameters": {}})["parameters"])
    return ", ".join(
        f"{flag} {value}" for flag, value in settings.items() if flag in specs["parameterBounds"]
    )


def run_demo(args: argparse.Namespace, steps: Steps, facts: dict[str, Any]) -> None:
    say = steps.say
    with steps.step(f"Offline plan of the {args.stack} stack"):
        plan = facts["plan"] = offline_plan(args.stack, args.report.parent / f"demo-plan-{args.stack}.json")
    database = facts["database"] = plan["database"]

    with steps.step("Fresh local warehouse with the declared tables"):
        kept = fresh_run_folder(args.dir, args.keep)
        if kept is not None:
            say(f"  kept the previous run's folder as {kept}")
        warehouse, landing = args.dir / "warehouse", args.dir / "landing"
        logs = {"jobs": str(args.dir / "jobs.log"), "spark": str(args.dir / "spark.log")}
        facts.update(warehouse=str(warehouse), landing=str(landing), logs=logs)
        log_jobs(args.dir / "jobs.log", lambda line: say(f"  {line}"))
        # The tables and the job parameters of the stack planned in step 1 (its Pulumi.<stack>.yaml).
        specs = local.export_table_specs(args.stack, args.report.parent / f"table-specs-{args.stack}.json")
        say(f"  job parameters of the {args.stack} stack: {_maintenance_settings(specs)}")
        spark = start_spark(warehouse, args.dir / "spark.log")
        lake = LocalLakehouse(spark, specs, database, warehouse)
        say(f"  {warehouse}: {', '.join(lake.create_tables())} in glue_catalog.{database}")
    try:
        _local_steps(args, steps, facts, lake, landing)
    finally:
        spark.stop()


def _local_steps(
    args: argparse.Namespace, steps: Steps, facts: dict[str, Any], lake: LocalLakehouse, landing: Path
) -> None:
    say = steps.say
    facts["sampleData"] = []
    history_at, day_at = landing_times(args.as_of)

    def land_batch(landed_at: datetime, land: Callable[..., dict[str, int]]) -> None:
        counts = land(landing, args.as_of, args.scale, args.days)
        facts["sampleData"].append({"landedAt": landed_at.isoformat(), **counts})
        say(f"  {landing}: landed_at={landed_at:%Y-%m-%dT%H:%M:%SZ} {counts}")

    with steps.step("Sample data: the history"):
        say(f"  {args.days} days of orders ending {args.as_of} (UTC), scale {args.scale}, seeded")
        land_batch(history_at, land_history)
    with steps.step("Pipeline run 1: bronze -> silver -> gold on the history"):
        say("  jobs/<job>.py run as Glue runs them (as __main__, with Glue's arguments)")
        run_pipeline(lake, steps, landing, "demo-run-1", history_at)
    before = lake.main_history(TIME_TRAVEL_TABLE)[-1]
    with steps.step(f"Pipeline run 2: the orders of {args.as_of}"):
        land_batch(day_at, land_day)
        run_pipeline(lake, steps, landing, "demo-run-2", day_at)
    with steps.step("Maintenance, table by table"):
        maintained = lake.specs["jobs"].get(MAINTENANCE)
        tables = maintained["parameters"]["--tables"].split(",") if maintained else []
        bar = steps.bar(tables, "table")
        for table in bar:
            bar.set_description(table)
            lake.run_job(MAINTENANCE, tables=table)
        say(
            f"  compaction, manifest rewrite, snapshot expiry, orphan files, with the {args.stack} stack's "
            f"settings, on the {len(tables)} tables its maintenance job keeps"
        )

    with steps.step("Safe publishing: a bad batch stopped at the gate, a published run rolled back"):
        facts["safePublishing"] = safe_publishing(
            lake,
            landing,
            args.dir / "rejected",
            demo_batches(args.as_of, args.scale, args.days),  # the records landed (pure): what to spoil
            lambda run_id, batch: run_pipeline(lake, steps, landing, run_id, batch.landed_at),
            say,
        )

    with steps.step("The stack's Athena SQL, run on the local warehouse"):
        facts.update(run_named_queries(lake, load_named_queries(), before, args.as_of, say))
    with steps.step("Schema and partition evolution: one more column, a new partition spec"):
        facts["schemaEvolution"] = evolve(lake, args.dir, say)
    with steps.step("Facts of every table"):
        facts["tables"] = {t["name"]: lake.facts(t["name"]) for t in lake.specs["tables"]}


def main(argv: list[str]) -> int:
    """The demo on a command line: exit 0 done, 1 a step failed, 2 a usage error (argparse's)."""
    return run_with(parse_arguments(argv))


def run_with(args: argparse.Namespace) -> int:
    """The demo with arguments already checked (`demo/arguments.py`)."""
    steps = Steps(STEP_COUNT)
    facts: dict[str, Any] = {
        "version": 1,
        "stack": args.stack,
        "asOf": args.as_of.isoformat(),
        "scale": args.scale,
        "days": args.days,
        "folder": str(args.dir),
    }
    try:
        run_demo(args, steps, facts)
    except DemoStepFailed as failure:
        facts["status"] = "failed"
        facts["failure"] = {"step": failure.number, "name": failure.step, "error": str(failure.cause)}
        write_report_json(args.report, facts, steps.timings)
        print(f"\nThe demo FAILED at {failure}", file=sys.stderr)
        print(
            f"Logs: {args.dir}/jobs.log (jobs), {args.dir}/spark.log (Spark); report: {args.report}",
            file=sys.stderr,
        )
        return 1
    facts["status"] = "ok"
    write_report_json(args.report, facts, steps.timings)
    print("\n" + "\n".join(render_report(facts, steps.timings)))
    print(f"\nReport JSON: {args.report}")
    return 0
