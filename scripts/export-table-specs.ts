// Writes the declared tables as JSON for the Python side (local Spark harness, job tests, demo), so
// the TypeScript declarations stay the one source of truth.
// Usage: export-table-specs.ts [out-file] [database]   (catalog: glue_catalog, as on AWS)
import * as fs from "fs";
import * as path from "path";
import { ICEBERG_CATALOG_NAME } from "../components/iceberg-spark-conf";
import { DEFAULTS } from "../config/defaults";
import { parseLakehouseConfig } from "../config/stack-config";
import { configuredJobParameters } from "../components/lakehouse-glue-jobs";
import { LAKEHOUSE_JOBS } from "../components/lakehouse-jobs";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";
import {
  renderSparkCreateTable,
  sparkPartitionField,
  sparkTableProperties,
  sparkType,
} from "../tables/spark-ddl";

const out = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "build", "table-specs.json"));
const database = process.argv[3] ?? DEFAULTS.catalog.databaseName;
const tables = LAKEHOUSE_TABLES.map((table) => ({
  ...table,
  // Column types as Spark's simpleString() prints them, for checking what a job writes.
  sparkColumns: table.columns.map((c) => ({ ...c, type: sparkType(c.type, false) })),
  sparkPartitionBy: table.partitionBy.map(sparkPartitionField),
  sparkTableProperties: sparkTableProperties(table),
  sparkCreateTable: renderSparkCreateTable(table, { catalog: ICEBERG_CATALOG_NAME, database }),
}));
// The jobs' parameters under the default configuration (a stack's own values: the demo's plan summary).
const defaults = parseLakehouseConfig({ environment: "dev", region: "us-east-1" });
const jobParameters = Object.fromEntries(
  LAKEHOUSE_JOBS.map((job) => [job.key, configuredJobParameters(job, defaults)]),
);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  `${JSON.stringify({ version: 1, catalog: ICEBERG_CATALOG_NAME, database, tables, jobParameters }, null, 2)}\n`,
);
console.log(`wrote ${tables.length} table specs to ${path.relative(process.cwd(), out)}`);
