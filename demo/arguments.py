"""The demo's command line (`bash scripts/demo.sh [stack] [options]`), checked before anything is run,
installed or changed. Only the standard library and the demo's own pure modules: `scripts/demo.sh` runs
this with the machine's Python 3.11 before it installs anything, so `--help` and a bad argument answer at
once. Exit codes (argparse's, as every command of the project): 0 after `--help`, 2 for a usage error.

`python -m demo.arguments [args]` checks the arguments only (nothing printed when they are valid).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from . import REPO
from .run_folder import check_run_folder
from .sample import DAYS

# 360 is 20,000 orders a day (360,000 customers, 180,000 products): the volume the benchmark proves.
MAX_SCALE = 400
EPILOG = """exit codes: 0 done, 1 a step failed (named on screen and in the report), 2 usage error,
4 a prerequisite is missing (Python 3.11, Node.js and npm, Java; Maven for the first run)"""


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"[--as-of] must be a date YYYY-MM-DD (UTC); got {value!r}"
        ) from None


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        scale = 0.0
    if not 0 < scale <= MAX_SCALE:
        raise argparse.ArgumentTypeError(
            f"[--scale] must be a number above 0 and at most {MAX_SCALE}; got {value!r}"
        )
    return scale


def _days(value: str) -> int:
    # The daily-revenue query shows the last 31 days (current_date - 30 days .. today).
    if not value.isdigit() or not 31 <= int(value) <= 3650:
        raise argparse.ArgumentTypeError(f"[--days] must be a whole number from 31 to 3650; got {value!r}")
    return int(value)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Every argument checked before anything is run or changed."""
    parser = argparse.ArgumentParser(
        prog="bash scripts/demo.sh",
        description="The lakehouse without AWS: the offline plan of a stack, then a local Iceberg warehouse\n"
        "run by the same table specs, job entry scripts and Athena SQL as AWS.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("stack", nargs="?", default="dev", help="stack of step 1's plan (default: dev)")
    parser.add_argument(
        "--scale",
        type=_scale,
        default=1.0,
        help=f"1 = 1000 customers, 500 products, 5000 orders per 90 days (55 a day); at most {MAX_SCALE} "
        "(360: 20,000 orders a day)",
    )
    parser.add_argument(
        "--days", type=_days, default=DAYS, help=f"days of orders, at least 31 (default: {DAYS})"
    )
    parser.add_argument(
        "--as-of", type=_as_of, default=None, help="last day of the sample data, UTC (default: today, UTC)"
    )
    parser.add_argument(
        "--dir", type=Path, default=REPO / "build" / "demo", help="run folder: warehouse, landing files, logs"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the previous run's folder (renamed aside) instead of deleting it",
    )
    parser.add_argument(
        "--report", type=Path, default=REPO / "build" / "demo-report.json", help="report JSON"
    )
    args = parser.parse_args(argv)
    if not (REPO / f"Pulumi.{args.stack}.yaml").exists():
        stacks = sorted(p.name.split(".")[1] for p in REPO.glob("Pulumi.*.yaml"))
        parser.error(f"[stack] there is no Pulumi.{args.stack}.yaml; stacks: {', '.join(stacks)}")
    try:
        check_run_folder(args.dir)
    except ValueError as error:
        parser.error(str(error))
    args.as_of = args.as_of or datetime.now(UTC).date()
    args.dir = args.dir.resolve()
    return args


if __name__ == "__main__":
    parse_arguments(sys.argv[1:])
