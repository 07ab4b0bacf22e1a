"""`python -m demo [stack] [--scale N] [--as-of YYYY-MM-DD] [--dir DIR] [--keep] [--report FILE]`."""

import sys

from demo.run import main

sys.exit(main(sys.argv[1:]))
