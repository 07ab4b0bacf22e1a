"""`python -m demo [stack] [options]` (`bash scripts/demo.sh --help` lists them)."""

import sys

from demo.arguments import parse_arguments


def _main() -> int:
    # --help and bad arguments end here (exit 0 or 2), before Spark and the jobs are imported.
    args = parse_arguments(sys.argv[1:])
    from demo.run import run_with  # noqa: PLC0415 (imported only once the arguments are good)

    return run_with(args)


sys.exit(_main())
