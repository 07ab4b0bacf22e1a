import { TABLE_TYPE_PROPERTY } from "../../tables/athena-properties";
import { ColumnDefinition } from "../../tables/table-definition";
import { parseAthenaType, renderType } from "../../tables/athena-type";
import { partitionFieldSql } from "../../tables/partition-transforms";
import { IcebergTableSpec } from "./spec";
import { assertSingleStatement, quoteIdentifier, sqlString } from "../../tables/sql-text";

/**
 * Athena DDL text for Iceberg tables. Every identifier is backtick-quoted, every string literal escaped,
 * and every statement checked to be exactly one statement before it leaves this module.
 */

export function qualifiedTableName(database: string, name: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(name)}`;
}

/** A column's type as DDL: canonical, with struct field names quoted too. */
export function ddlType(type: string): string {
  return renderType(parseAthenaType(type), true);
}

function commentClause(comment: string | undefined): string {
  return comment === undefined ? "" : ` COMMENT ${sqlString(comment)}`;
}

function columnDefinition(column: Pick<ColumnDefinition, "name" | "type" | "comment">): string {
  return `${quoteIdentifier(column.name)} ${ddlType(column.type)}${commentClause(column.comment)}`;
}

function sortedEntries(properties: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(properties).sort(([a], [b]) => a.localeCompare(b));
}

export function renderCreateTable(spec: IcebergTableSpec): string {
  const lines = [
    `CREATE TABLE ${qualifiedTableName(spec.database, spec.name)} (`,
    spec.columns.map((column) => `  ${columnDefinition(column)}`).join(",\n"),
    ")",
  ];
  if (spec.partitionBy.length > 0) {
    lines.push(`PARTITIONED BY (${spec.partitionBy.map((field) => partitionFieldSql(field)).join(", ")})`);
  }
  lines.push(`LOCATION ${sqlString(spec.location)}`);
  const properties = [[TABLE_TYPE_PROPERTY, "ICEBERG"], ...sortedEntries(spec.properties)];
  lines.push(
    `TBLPROPERTIES (\n${properties.map(([k, v]) => `  ${sqlString(k)}=${sqlString(v)}`).join(",\n")}\n)`,
  );
  return assertSingleStatement(lines.join("\n"));
}

export function renderAddColumns(
  database: string,
  table: string,
  columns: readonly Pick<ColumnDefinition, "name" | "type" | "comment">[],
): string {
  return assertSingleStatement(
    `ALTER TABLE ${qualifiedTableName(database, table)} ADD COLUMNS (${columns.map(columnDefinition).join(", ")})`,
  );
}

/** Where CHANGE COLUMN puts the column: FIRST, AFTER another, or where it is. */
export type ColumnPosition = { readonly first: true } | { readonly after: string } | undefined;

export function renderChangeColumn(
  database: string,
  table: string,
  from: string,
  to: Pick<ColumnDefinition, "name" | "type" | "comment">,
  position?: ColumnPosition,
): string {
  const place =
    position === undefined
      ? ""
      : "first" in position
        ? " FIRST"
        : ` AFTER ${quoteIdentifier(position.after)}`;
  return assertSingleStatement(
    `ALTER TABLE ${qualifiedTableName(database, table)} CHANGE COLUMN ${quoteIdentifier(from)} ${columnDefinition(to)}${place}`,
  );
}

export function renderDropColumn(database: string, table: string, column: string): string {
  return assertSingleStatement(
    `ALTER TABLE ${qualifiedTableName(database, table)} DROP COLUMN ${quoteIdentifier(column)}`,
  );
}

export function renderSetProperties(
  database: string,
  table: string,
  properties: Readonly<Record<string, string>>,
): string {
  const pairs = sortedEntries(properties).map(([k, v]) => `${sqlString(k)}=${sqlString(v)}`);
  return assertSingleStatement(
    `ALTER TABLE ${qualifiedTableName(database, table)} SET TBLPROPERTIES (${pairs.join(", ")})`,
  );
}

export function renderUnsetProperties(database: string, table: string, keys: readonly string[]): string {
  const quoted = [...keys].sort().map(sqlString);
  return assertSingleStatement(
    `ALTER TABLE ${qualifiedTableName(database, table)} UNSET TBLPROPERTIES (${quoted.join(", ")})`,
  );
}

export function renderRenameTable(database: string, from: string, to: string): string {
  return assertSingleStatement(
    `ALTER TABLE ${qualifiedTableName(database, from)} RENAME TO ${qualifiedTableName(database, to)}`,
  );
}

/** Athena DROP TABLE on an Iceberg table deletes its data too: only ever run for deletionPolicy "drop". */
export function renderDropTable(database: string, table: string): string {
  return assertSingleStatement(`DROP TABLE IF EXISTS ${qualifiedTableName(database, table)}`);
}
