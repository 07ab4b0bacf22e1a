"""The Athena SQL shipped with the stack (`sql/named-queries/*.sql`), run on the local Spark.

Athena (Trino dialect) and Spark SQL differ in a few places these queries use; `to_spark_sql` rewrites
exactly those, outside string literals and comments:

- `FOR VERSION AS OF <id>` -> `VERSION AS OF <id>` (time travel by snapshot id)
- `FOR TIMESTAMP AS OF <t>` -> `TIMESTAMP AS OF <t>` (time travel by time)
- `"t$snapshots"` (and `$files`, `$manifests`, `$history`, `$partitions`, `$refs`) ->
  `` `catalog`.`db`.`t`.`snapshots` ``: Iceberg's metadata tables, which Spark finds only fully qualified
- any other `"name"` (a quoted identifier) -> `` `name` ``: Spark reads "..." as a string
- `current_date` -> `DATE '<today>'` when a day is given: the demo's lake ends on its `--as-of` day, and
  a query it runs just after midnight UTC would otherwise look back from the next day

Unqualified table names resolve in the database set by `use_database` (`USE catalog.db`), as they do in
the Athena workgroup's database. Everything else is passed through: `INTERVAL '30' DAY`,
`summary['added-records']` and the rest mean the same in both. A query using an Athena-only function
fails on Spark with Spark's own error naming it; the demo's test runs every shipped query, so a new one
that needs another rule is caught there. (sqlglot transpiles Trino to Spark in general, but knows
neither Iceberg's `$` metadata tables nor these time-travel clauses, which are all these queries need.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from lakehouse_jobs.argument_values import parse_identifier

from . import REPO

NAMED_QUERIES_DIR = REPO / "sql" / "named-queries"
METADATA_TABLES = ("snapshots", "files", "manifests", "history", "partitions", "refs")
# String literals (with '' escapes), line comments, double-quoted identifiers: the lexical units the
# rules must not look inside (or, for identifiers, the unit they rewrite).
_UNITS = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\"(?:[^\"]|\"\")*\"")
_TIME_TRAVEL = re.compile(r"\bFOR(\s+)(VERSION|TIMESTAMP)(\s+)AS(\s+)OF\b", re.IGNORECASE)
_METADATA_TABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\$([a-z_]+)$")
_CURRENT_DATE = re.compile(r"\bcurrent_date\b", re.IGNORECASE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    file: str
    sql: str


def parse_named_query(file: str, text: str) -> NamedQuery:
    """A query with its `-- name:` and `-- description:` header lines (as components/named-queries.ts)."""
    header = {
        key: match.group(1).strip()
        for key in ("name", "description")
        if (match := re.search(rf"^-- {key}: (.+)$", text, re.MULTILINE))
    }
    if len(header) != 2:
        raise ValueError(
            f'sql/named-queries/{file}: starts with "-- name: <name>" and "-- description: <text>" lines'
        )
    body = "\n".join(line for line in text.split("\n") if not re.match(r"^-- (name|description): ", line))
    return NamedQuery(header["name"], header["description"], file, body.strip())


def load_named_queries(folder: Path = NAMED_QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every `.sql` file of the folder, by file name."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix == ".sql")
    return {p.name: parse_named_query(p.name, p.read_text(encoding="utf-8")) for p in files}


def bind_example(query: NamedQuery, example: str, value: str) -> NamedQuery:
    """The query with its example value (e.g. a snapshot id to change) replaced by `value`; the example
    must occur exactly once, so an edited query fails here, naming its file, instead of running wrong."""
    found = query.sql.count(example)
    if found != 1:
        raise ValueError(
            f"[{query.file}] the example value {example!r} occurs {found} times; the demo replaces it once"
        )
    return replace(query, sql=query.sql.replace(example, value))


def _identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _quoted_identifier(unit: str, before: str, catalog: str, database: str) -> str:
    name = unit[1:-1].replace('""', '"')
    metadata = _METADATA_TABLE.match(name)
    if metadata is None or metadata.group(2) not in METADATA_TABLES:
        return _identifier(name)
    if before.rstrip().endswith("."):
        raise ValueError(
            f"[sql] {unit} is qualified; write metadata tables unqualified, the database is set by USE"
        )
    table, kind = metadata.groups()
    return ".".join(_identifier(part) for part in (catalog, database, table, kind))


def to_spark_sql(athena_sql: str, catalog: str, database: str, today: date | None = None) -> str:
    """The Athena query in Spark SQL (the rules in the module docstring); pure."""
    parse_identifier("catalog", catalog)
    parse_identifier("database", database)

    def plain(text: str) -> str:  # SQL outside literals, comments and quoted identifiers
        text = _TIME_TRAVEL.sub(r"\2\3AS\4OF", text)
        return text if today is None else _CURRENT_DATE.sub(f"DATE '{today.isoformat()}'", text)

    out: list[str] = []
    position = 0
    for unit in _UNITS.finditer(athena_sql):
        out.append(plain(athena_sql[position : unit.start()]))
        text = unit.group(0)
        if text.startswith('"'):
            text = _quoted_identifier(text, "".join(out), catalog, database)
        out.append(text)
        position = unit.end()
    out.append(plain(athena_sql[position:]))
    return "".join(out)


def use_database(catalog: str, database: str) -> str:
    """The statement that makes unqualified names resolve as in the Athena workgroup's database."""
    names = parse_identifier("catalog", catalog), parse_identifier("database", database)
    return f"USE {'.'.join(_identifier(n) for n in names)}"
