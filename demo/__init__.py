"""The local lakehouse demo (`bash scripts/demo.sh`): the offline plan of a stack, then a local Iceberg
warehouse run through the same table specs, job entry scripts and Athena SQL as AWS.

Not shipped to Glue (that is `jobs/lakehouse_jobs/`); it drives that package from outside.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# lakehouse_jobs lives under jobs/ (zipped for Glue as it is); the demo imports it from there.
if str(REPO / "jobs") not in sys.path:
    sys.path.insert(0, str(REPO / "jobs"))
