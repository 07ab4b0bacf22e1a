"""Step: schema and partition evolution through the real planner. A declaration with one more column and a
new partition spec gives the exact Athena DDL and Glue Iceberg update the IcebergTable provider would make
on AWS (`scripts/plan-table-change.ts`, from the local table's own Iceberg metadata) and is applied locally
(`evolve_table`, then Iceberg's own partition spec update); then the proof: old rows read NULL, every
existing file keeps spec 0, no data file was rewritten, no snapshot was added, an old snapshot still reads
as it was, and the planner finds the local table at the declaration."""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lakehouse_jobs import local
from lakehouse_jobs.local_layout import apply_layout

from . import REPO
from .lakehouse import LocalLakehouse

TABLE = "raw_orders"
NEW_COLUMN = {"name": "coupon_code", "type": "string", "comment": "promotion code entered at checkout"}
AFTER = "total_amount"  # a new source field goes among the source's fields, before _ingestion_timestamp
# day(_ingestion_timestamp) -> month(_ingestion_timestamp): fewer, larger partitions where each day's
# landings are small.
PARTITION_BY = [{"column": "_ingestion_timestamp", "transform": "month"}]


def evolved_declaration(table: Mapping[str, Any]) -> dict[str, Any]:
    """The table's exported spec with NEW_COLUMN after AFTER, in both type lists, partitioned by
    PARTITION_BY (pure)."""
    evolved = copy.deepcopy(dict(table))
    for key in ("columns", "sparkColumns"):
        names = [c["name"] for c in evolved[key]]
        if NEW_COLUMN["name"] in names:
            raise ValueError(f"[{key}] {table['name']} already has {NEW_COLUMN['name']}")
        # A string column is `string` on both sides (timestamp would be timestamp_ntz on Spark's).
        evolved[key].insert(names.index(AFTER) + 1, dict(NEW_COLUMN))
    evolved["partitionBy"] = copy.deepcopy(PARTITION_BY)
    return evolved


def plan_on_aws(
    table: str, metadata_file: str, database: str, declaration: Path | None = None
) -> dict[str, Any]:
    """What the IcebergTable provider would run (`plan-table-change.ts --json`); a refusal is an error."""
    command = ["npx", "--no-install", "ts-node", "--transpile-only", "scripts/plan-table-change.ts"]
    command += [table, metadata_file, database, "--json"]
    command += [] if declaration is None else ["--declaration", str(declaration)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"plan-table-change exited {done.returncode}: {(done.stderr or done.stdout).strip()}"
        )
    return json.loads(done.stdout)


def evolve(lake: LocalLakehouse, folder: Path, say: Callable[[str], None]) -> dict[str, Any]:
    name, column = TABLE, NEW_COLUMN["name"]
    declaration = evolved_declaration(local.table_spec(lake.specs, name))
    declaration_file = folder / f"{name}.evolved.json"
    declaration_file.write_text(json.dumps(declaration, indent=2) + "\n", encoding="utf-8")

    metadata = lake.metadata_file(name)
    # The local table was created by Spark, which stores Iceberg's native property keys where an
    # Athena-created table holds Athena's: the plan against the current declaration shows that part,
    # and the column's own DDL is what the evolved declaration adds to it.
    baseline = plan_on_aws(name, metadata, lake.database)["statements"]
    evolved = plan_on_aws(name, metadata, lake.database, declaration_file)
    athena = [s for s in evolved["statements"] if s not in baseline]
    say(f"  Declaration with one more column and a new partition spec: {declaration_file}")
    say(f"  What the IcebergTable provider does for it on AWS (pulumi up), from {Path(metadata).name}:")
    for statement in athena:
        say(f"    -- Athena: {statement['summary']}\n    {statement['sql']};")
    for change in evolved["layout"]:
        say(f"    -- Glue UpdateTable (Iceberg update): {change['summary']}")
        say("\n".join(f"    --   {detail}" for detail in change["details"]))

    files_before, snapshots_before = lake.data_files(name), lake.snapshots(name)
    rows = lake.rows(name)
    applied = local.evolve_table(lake.spark, lake.specs, declaration, lake.database)
    layout = apply_layout(lake.spark, lake.table(name), declaration)
    say("  Applied locally (lakehouse_jobs.local.evolve_table, then Iceberg's own API in one commit):")
    for statement in [*(f"{sql};" for sql in applied), *layout]:
        say(f"    {statement}")
    files_after, snapshots_after = lake.data_files(name), lake.snapshots(name)
    after = plan_on_aws(name, lake.metadata_file(name), lake.database, declaration_file)
    specs_after = lake.spec_ids(name)

    nulls = lake.scalar(f"SELECT count(*) FROM {lake.table(name)} WHERE {column} IS NULL")
    oldest = lake.main_history(name)[0]  # the first snapshot readers saw
    old = lake.spark.sql(f"SELECT * FROM {lake.table(name)} VERSION AS OF {oldest.snapshot_id}")
    facts = {
        "table": name,
        "column": NEW_COLUMN,
        "after": AFTER,
        "declarationFile": str(declaration_file),
        "athenaDdl": athena,
        "icebergUpdates": [{"summary": c["summary"], "details": c["details"]} for c in evolved["layout"]],
        "glueActions": glue_actions(evolved.get("glueRequest")),
        "localSql": applied,
        "localLayout": layout,
        "localTableMatchesDeclaration": after["statements"] == baseline and after["layout"] == [],
        "dataFilesBySpec": {str(spec): count for spec, count in sorted(specs_after.items())},
        "rows": rows,
        "rowsWithNull": nulls,
        "dataFilesBefore": len(files_before),
        "dataFilesAfter": len(files_after),
        "rewrittenDataFiles": len(files_before - files_after),
        "addedDataFiles": len(files_after - files_before),
        "snapshotsBefore": len(snapshots_before),
        "snapshotsAfter": len(snapshots_after),
        "oldSnapshot": {
            "snapshotId": oldest.snapshot_id,
            "rows": old.count(),
            "hasColumn": column in old.columns,
        },
    }
    say(
        f"  Proof: {nulls} of {rows} rows read NULL in {column}; data files {len(files_before)} before, "
        f"{len(files_after)} after, {facts['rewrittenDataFiles']} rewritten, by spec id "
        f"{facts['dataFilesBySpec']} (existing files keep spec 0; new writes use spec 1); snapshots "
        f"{len(snapshots_before)} -> {len(snapshots_after)}; the oldest snapshot {oldest.snapshot_id} reads "
        f"{facts['oldSnapshot']['rows']} rows in its own schema (without {column}); the planner finds the "
        f"local table at the declaration: {'yes' if facts['localTableMatchesDeclaration'] else 'NO'}."
    )
    return facts


def glue_actions(request: Mapping[str, Any] | None) -> list[str]:
    """The Iceberg actions of the Glue UpdateTable request the plan holds (pure)."""
    if request is None:
        return []
    updates = request["UpdateOpenTableFormatInput"]["UpdateIcebergInput"]["UpdateIcebergTableInput"][
        "Updates"
    ]
    return [u["Action"] for u in updates]
