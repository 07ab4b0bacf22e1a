// Shows what the IcebergTable provider would run to take a live table to its declaration, without AWS:
// the live side is the table's Iceberg metadata file (download it with `aws s3 cp <metadata_location> f.json`,
// or take a local Spark table's current metadata.json).
// Usage: plan-table-change.ts <table> <metadata.json> [database] [--declaration <table.json>] [--json]
//   --declaration: plan to this declaration (a TableDefinition as JSON, e.g. an entry of
//                  build/table-specs.json with a column more) instead of the one in tables/seed-tables.ts
//   --json:        print {"refused", "statements": [{"summary", "sql"}], "layout": [{"kind", "summary",
//                  "details", ...}], "glueRequest", "text"} for programs (the demo); glueRequest is the
//                  Glue UpdateTable input of the layout changes when every id is known
// Exit code: 0 with the plan (possibly empty), 2 when the change is refused, 1 on a usage error.
import * as fs from "fs";
import { DEFAULTS } from "../config/defaults";
import { liveTableFromIcebergMetadata } from "../components/iceberg-table/iceberg-metadata";
import { glueIcebergUpdateRequest } from "../components/iceberg-table/glue-iceberg-update";
import { planReport } from "../components/iceberg-table/plan-report";
import { specFromDefinition } from "../components/iceberg-table/spec";
import { TableDefinition } from "../tables/table-definition";
import { LAKEHOUSE_TABLES, tableDefinition } from "../tables/seed-tables";

export const PLAN_TABLE_CHANGE_USAGE =
  "usage: plan-table-change.ts <table> <metadata.json> [database] [--declaration <table.json>] [--json]";

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

export function parsePlanTableChangeArguments(args: readonly string[]): PlanArguments {
  const positional: string[] = [];
  let declarationFile: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--json") {
      json = true;
    } else if (args[i] === "--declaration") {
      declarationFile = args[++i];
      if (declarationFile === undefined || declarationFile.startsWith("--")) {
        throw new Error(
          `[--declaration] needs a JSON file of one table declaration; ${PLAN_TABLE_CHANGE_USAGE}`,
        );
      }
    } else if (args[i].startsWith("--")) {
      throw new Error(`[${args[i]}] is not an option; ${PLAN_TABLE_CHANGE_USAGE}`);
    } else {
      positional.push(args[i]);
    }
  }
  const [tableName, metadataFile, database = DEFAULTS.catalog.databaseName, ...extra] = positional;
  if (tableName === undefined || metadataFile === undefined || extra.length > 0) {
    throw new Error(PLAN_TABLE_CHANGE_USAGE);
  }
  return { tableName, metadataFile, database, declarationFile, json };
}

/** The declaration in `file`: a JSON object naming `table` (its other fields are checked as a spec's). */
export function readDeclaration(file: string, table: string): TableDefinition {
  const declaration: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof declaration !== "object" || declaration === null || Array.isArray(declaration)) {
    throw new Error(`[--declaration] ${file} must hold one table declaration (a JSON object)`);
  }
  const name = (declaration as { name?: unknown }).name;
  if (name !== table) {
    throw new Error(`[--declaration] ${file} declares table ${JSON.stringify(name)}, not "${table}"`);
  }
  return declaration as TableDefinition;
}

export function planTableChangeCommand(args: readonly string[]): { code: number; output: string } {
  try {
    const { tableName, metadataFile, database, declarationFile, json } = parsePlanTableChangeArguments(args);
    const live = {
      ...liveTableFromIcebergMetadata(database, tableName, JSON.parse(fs.readFileSync(metadataFile, "utf8"))),
      location: STAND_IN_LOCATION,
    };
    const definition =
      declarationFile === undefined
        ? tableDefinition(tableName)
        : readDeclaration(declarationFile, tableName);
    const desired = specFromDefinition(definition, {
      database,
      location: STAND_IN_LOCATION,
      workgroup: "primary",
      region: "us-east-1",
    });
    // The stack's state holds the committed declaration's properties: those are the ones the provider
    // unsets when a declaration drops them (and the new declaration's own, for a table not declared yet).
    const committed = LAKEHOUSE_TABLES.find((t) => t.name === tableName)?.properties ?? {};
    const managed = [...new Set([...Object.keys(committed), ...Object.keys(desired.properties)])];
    const report = planReport(live, desired, { previouslyManagedProperties: managed });
    const code = report.refused ? 2 : 0;
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
  } catch (error) {
    return { code: 1, output: error instanceof Error ? error.message : String(error) };
  }
}

if (require.main === module) {
  const { code, output } = planTableChangeCommand(process.argv.slice(2));
  (code === 1 ? console.error : console.log)(output);
  process.exit(code);
}
