// `npm run plan-table-change -- <table> <metadata.json> [database] [--declaration <table.json>] [--json]`:
// what the IcebergTable provider would run to take a live table to its declaration, without AWS. The live
// side is the table's Iceberg metadata file (download it with `aws s3 cp <metadata_location> f.json`, or
// take a local Spark table's current metadata.json). Exit codes: cli/exit-codes.ts (3: refused).
import { readArguments, refuseExtraArguments } from "../cli/arguments";
import { EXIT_CODES, ExitCode, exitCodeOf, usageError } from "../cli/exit-codes";
import { readJsonInputFile } from "../cli/input-files";
import { DEFAULTS } from "../config/defaults";
import { liveTableFromIcebergMetadata } from "../components/iceberg-table/iceberg-metadata";
import { glueIcebergUpdateRequest } from "../components/iceberg-table/glue-iceberg-update";
import { planReport } from "../components/iceberg-table/plan-report";
import { specFromDefinition } from "../components/iceberg-table/spec";
import { TableDefinition } from "../tables/table-definition";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";

export const PLAN_TABLE_CHANGE_USAGE = `Usage: npm run plan-table-change -- <table> <metadata.json> [database] [--declaration <table.json>] [--json]

The Athena DDL and the Glue Iceberg update (partition spec, sort order) the IcebergTable provider would run to take a live table to its declaration (the plan
\`pulumi preview\` shows), computed without AWS from the table's Iceberg metadata file.

  <table>                      a table declared in tables/seed-tables.ts
  <metadata.json>              the live table's current Iceberg metadata file
  [database]                   the Glue database (default: ${DEFAULTS.catalog.databaseName})
  --declaration <table.json>   plan to this declaration (a table declaration as JSON, e.g. an entry of
                               build/table-specs.json with a column more) instead of the declared one
  --json                       print {"refused", "statements": [{"summary", "sql"}], "layout": [{"kind",
                               "summary", "details", ...}], "glueRequest", "text"} for programs (the
                               demo); glueRequest is the Glue UpdateTable input of the partition spec and
                               sort order changes when every id is known

Exit codes: 0 the plan (possibly empty), 1 failed, 2 usage error or unreadable file, 3 refused: the
change cannot be made in place.`;

/**
 * The location is not compared (only schema, partitioning and properties are): both sides are placed at
 * one stand-in S3 folder, so a local warehouse's metadata (a file path, which a spec refuses) plans too.
 */
const STAND_IN_LOCATION = "s3://plan-table-change/live-table/";

interface PlanArguments {
  readonly tableName: string;
  readonly metadataFile: string;
  readonly database: string;
  readonly declarationFile?: string;
  readonly json: boolean;
}

export function parsePlanTableChangeArguments(args: readonly string[]): PlanArguments | "help" {
  const { values, positionals, help } = readArguments(
    args,
    { declaration: { type: "string" }, json: { type: "boolean" } },
    PLAN_TABLE_CHANGE_USAGE,
  );
  if (help) {
    return "help";
  }
  refuseExtraArguments(positionals, 3, PLAN_TABLE_CHANGE_USAGE);
  const [tableName, metadataFile, database = DEFAULTS.catalog.databaseName] = positionals;
  if (tableName === undefined || metadataFile === undefined) {
    const missing = tableName === undefined ? "<table>" : "<metadata.json>";
    throw usageError(`[${missing}] is required\n\n${PLAN_TABLE_CHANGE_USAGE}`);
  }
  return {
    tableName,
    metadataFile,
    database,
    declarationFile: values.declaration,
    json: values.json ?? false,
  };
}

/** The declared table, or a usage error listing the declared ones. */
function declaredTable(name: string): TableDefinition {
  const table = LAKEHOUSE_TABLES.find((t) => t.name === name);
  if (table === undefined) {
    throw usageError(
      `[<table>] unknown table "${name}"; declared tables: ${LAKEHOUSE_TABLES.map((t) => t.name).join(", ")}`,
    );
  }
  return table;
}

/** The declaration in `file`: a JSON object naming `table` (its other fields are checked as a spec's). */
export function readDeclaration(file: string, table: string): TableDefinition {
  const declaration = readJsonInputFile("--declaration", file);
  if (typeof declaration !== "object" || declaration === null || Array.isArray(declaration)) {
    throw usageError(`[--declaration] ${file} must hold one table declaration (a JSON object)`);
  }
  const name = (declaration as { name?: unknown }).name;
  if (name !== table) {
    throw usageError(`[--declaration] ${file} declares table ${JSON.stringify(name)}, not "${table}"`);
  }
  return declaration as TableDefinition;
}

/** The live table read from its metadata file; an unreadable file is a usage error naming the argument. */
function liveTable(file: string, database: string, table: string) {
  const metadata = readJsonInputFile("<metadata.json>", file);
  try {
    return { ...liveTableFromIcebergMetadata(database, table, metadata), location: STAND_IN_LOCATION };
  } catch (error) {
    throw usageError(`[<metadata.json>] ${file}: ${(error as Error).message}`);
  }
}

/** The declaration as the provider's spec; an invalid declaration file is a usage error (the field named). */
function desiredSpec(definition: TableDefinition, database: string, declarationFile: string | undefined) {
  const placement = { database, location: STAND_IN_LOCATION, workgroup: "primary", region: "us-east-1" };
  try {
    return specFromDefinition(definition, placement);
  } catch (error) {
    throw declarationFile === undefined ? error : usageError((error as Error).message);
  }
}

function plan(parsed: PlanArguments): { code: ExitCode; output: string } {
  const { tableName, metadataFile, database, declarationFile, json } = parsed;
  const definition =
    declarationFile === undefined ? declaredTable(tableName) : readDeclaration(declarationFile, tableName);
  const live = liveTable(metadataFile, database, tableName);
  const desired = desiredSpec(definition, database, declarationFile);
  // The stack's state holds the committed declaration's properties: those are the ones the provider
  // unsets when a declaration drops them (and the new declaration's own, for a table not declared yet).
  const committed = LAKEHOUSE_TABLES.find((t) => t.name === tableName)?.properties ?? {};
  const managed = [...new Set([...Object.keys(committed), ...Object.keys(desired.properties)])];
  const report = planReport(live, desired, { previouslyManagedProperties: managed });
  const code = report.refused ? EXIT_CODES.refused : EXIT_CODES.ok;
  if (!json) {
    return { code, output: report.text };
  }
  const { refused, statements, layout, text } = report;
  // The exact Glue request when every id is known (a spec on a column this plan adds gets its id then).
  const resolvable = layout.every((c) =>
    c.kind === "partition-spec"
      ? c.spec?.fields.every((f) => f.sourceId !== undefined)
      : c.order?.fields.every((f) => f.sourceId !== undefined),
  );
  const glueRequest = layout.length > 0 && resolvable ? glueIcebergUpdateRequest(live, layout) : undefined;
  return { code, output: JSON.stringify({ refused, statements, layout, glueRequest, text }, null, 2) };
}

/** The command: its exit code and what it prints (on stdout for 0 and 3, on stderr otherwise). */
export function planTableChangeCommand(args: readonly string[]): { code: ExitCode; output: string } {
  try {
    const parsed = parsePlanTableChangeArguments(args);
    return parsed === "help" ? { code: EXIT_CODES.ok, output: PLAN_TABLE_CHANGE_USAGE } : plan(parsed);
  } catch (error) {
    let output = "";
    const code = exitCodeOf(error, (text) => (output = text));
    return { code, output };
  }
}

if (require.main === module) {
  const { code, output } = planTableChangeCommand(process.argv.slice(2));
  (code === EXIT_CODES.ok || code === EXIT_CODES.refused ? console.log : console.error)(output);
  process.exit(code);
}
