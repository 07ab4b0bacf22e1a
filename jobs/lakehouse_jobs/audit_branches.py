"""Iceberg branches for write-audit-publish (Iceberg 1.7, as on Glue 5.0): open an audit branch of a
table at main, publish it by fast-forwarding main after tagging main's snapshot before the run, drop it.

Writes reach the branch by name (`table.branch_<name>`, see snapshots.Lakehouse), not through Iceberg's
`write.wap.enabled` table property with the `spark.wap.branch` session setting: that property is a
native Iceberg key, which Athena's SHOW CREATE TABLE refuses on a table and Athena DDL cannot declare,
and a session setting on a table without the property writes to main silently (tested here: a write
lands on main), where a branch named in the identifier cannot be missed.

A table without a snapshot yet (never written) gets its branch at an empty snapshot Iceberg makes for it,
on the branch only: main stays without a snapshot until a publish, and that empty snapshot is what the
pre-run tag of the first publishing run points at (rolling back to it empties the table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyspark.sql import SparkSession

from .iceberg_tables import ref_snapshots
from .rollback_target import pre_run_tag
from .snapshots import MAIN, Lakehouse

AUDIT_BRANCH_PREFIX = "audit_"


class PublishConflict(RuntimeError):
    """Main moved while a run audited its branch: the branch is not published over it."""


@dataclass(frozen=True)
class AuditedTable:
    name: str
    main: str  # catalog.db.table: what readers see
    branch: str
    main_before: int | None  # main's snapshot when the audit began; None: the table had none
    base: int | None  # the branch's first snapshot: main_before, or the empty snapshot made for it

    @property
    def branch_table(self) -> str:
        return f"{self.main}.branch_{self.branch}"


def audit_branch_name(job: str, run_id: str) -> str:
    """`audit_<job>_<run id>` in the characters a Spark identifier takes unquoted (pure)."""
    return f"{AUDIT_BRANCH_PREFIX}{job}_{re.sub(r'[^a-z0-9_]', '_', run_id.lower())}"


def open_branch(
    spark: SparkSession, lakehouse: Lakehouse, name: str, branch: str, retain_days: int
) -> AuditedTable:
    """Creates the audit branch at main (replacing one a failed attempt of the same run left)."""
    main = lakehouse.main_table(name)
    named = ref_snapshots(spark, main, [MAIN, branch])
    if branch in named:
        spark.sql(f"ALTER TABLE {main} DROP BRANCH `{branch}`")
    main_before = named.get(MAIN)
    # On a table without a snapshot, Iceberg starts the branch at an empty snapshot of its own.
    at = "" if main_before is None else f" AS OF VERSION {main_before}"
    spark.sql(f"ALTER TABLE {main} CREATE BRANCH `{branch}`{at} RETAIN {retain_days} DAYS")
    base = main_before if main_before is not None else ref_snapshots(spark, main, [branch])[branch]
    return AuditedTable(name, main, branch, main_before, base)


@dataclass(frozen=True)
class AfterRun:
    """Where main and the audit branch point once the job has run."""

    main: int | None
    head: int | None

    def changed(self, audited: AuditedTable) -> bool:
        """Whether the run committed anything to the branch."""
        return self.head != audited.base


def after_run(spark: SparkSession, audited: AuditedTable) -> AfterRun:
    named = ref_snapshots(spark, audited.main, [MAIN, audited.branch])
    return AfterRun(named.get(MAIN), named.get(audited.branch))


def publish(
    spark: SparkSession,
    lakehouse: Lakehouse,
    audited: AuditedTable,
    state: AfterRun,
    run_id: str,
    retain_days: int,
) -> bool:
    """Tags main's snapshot before the run (`pre-run-<run id>`, kept `retain_days`; the first job of a
    run to publish the table sets it), fast-forwards main to the branch and drops it. Returns whether
    anything was published (a branch the run did not change is only dropped). Iceberg's fast-forward
    itself refuses a main that is no longer an ancestor of the branch."""
    if state.main != audited.main_before:
        raise PublishConflict(
            f"{audited.main}: main moved from snapshot {audited.main_before} to {state.main} while run "
            f"{run_id} audited branch {audited.branch} (another writer); nothing of it was published, "
            "run the job again"
        )
    if not state.changed(audited):
        drop(spark, audited)
        return False
    tag = pre_run_tag(run_id)
    spark.sql(
        f"ALTER TABLE {audited.main} CREATE TAG IF NOT EXISTS `{tag}` AS OF VERSION {audited.base} "
        f"RETAIN {retain_days} DAYS"
    )
    table = lakehouse.procedure_table(audited.name)
    spark.sql(f"CALL {lakehouse.procedure('fast_forward')}('{table}', 'main', '{audited.branch}')").collect()
    drop(spark, audited)
    return True


def drop(spark: SparkSession, audited: AuditedTable) -> None:
    spark.sql(f"ALTER TABLE {audited.main} DROP BRANCH IF EXISTS `{audited.branch}`")
