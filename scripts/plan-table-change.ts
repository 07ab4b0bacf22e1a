// Shows what the IcebergTable provider would run to take a live table to its declaration, without AWS:
// the live side is the table's Iceberg metadata file (download it with `aws s3 cp <metadata_location> f.json`).
// Usage: plan-table-change.ts <table> <metadata.json> [database]
// Exit code: 0 with the plan (possibly empty), 2 when the change is refused, 1 on a usage error.
import * as fs from "fs";
import { DEFAULTS } from "../config/defaults";
import { liveTableFromIcebergMetadata } from "../components/iceberg-table/iceberg-metadata";
import { planReport } from "../components/iceberg-table/plan-report";
import { specFromDefinition } from "../components/iceberg-table/spec";
import { tableDefinition } from "../tables/seed-tables";

export function planTableChangeCommand(args: readonly string[]): { code: number; output: string } {
  const [tableName, metadataFile, database = DEFAULTS.catalog.databaseName] = args;
  if (tableName === undefined || metadataFile === undefined) {
    return { code: 1, output: "usage: plan-table-change.ts <table> <metadata.json> [database]" };
  }
  try {
    const live = liveTableFromIcebergMetadata(
      database,
      tableName,
      JSON.parse(fs.readFileSync(metadataFile, "utf8")),
    );
    // The declaration is placed where the live table is: this compares schema, partitioning and properties.
    const desired = specFromDefinition(tableDefinition(tableName), {
      database,
      location: `${live.location.replace(/\/+$/, "")}/`,
      workgroup: "primary",
      region: "us-east-1",
    });
    const report = planReport(live, desired, {
      previouslyManagedProperties: Object.keys(desired.properties),
    });
    return { code: report.refused ? 2 : 0, output: report.text };
  } catch (error) {
    return { code: 1, output: error instanceof Error ? error.message : String(error) };
  }
}

if (require.main === module) {
  const { code, output } = planTableChangeCommand(process.argv.slice(2));
  (code === 1 ? console.error : console.log)(output);
  process.exit(code);
}
