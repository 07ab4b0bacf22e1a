"""Small DataFrame helpers shared by the transforms."""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F


def row_fingerprint(df: DataFrame) -> Column:
    """A content hash of the whole row: identical rows share it, different rows practically never do.
    Used to join per-row results back when a row has no trustworthy key (its key may be null)."""
    return F.sha2(F.to_json(F.struct(*[F.col(c) for c in df.columns])), 256)


def problems_column(checks: Sequence[tuple[Column, Column | str]]) -> Column:
    """`"reason; reason"` for every check that is true, or null when none is (a valid row)."""
    reasons = F.array(*[F.when(cond, F.lit(r) if isinstance(r, str) else r) for cond, r in checks])
    joined = F.array_join(F.filter(reasons, lambda r: r.isNotNull()), "; ")
    return F.when(joined != "", joined)
