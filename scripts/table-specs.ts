import { ICEBERG_CATALOG_NAME } from "../components/iceberg-spark-conf";
import { lakehouseJobs } from "../components/job-definitions";
import { configuredJobParameters, readsLanding, SETTING_PARAMETERS } from "../components/job-parameters";
import { LakehouseConfig } from "../config/stack-config";
import { NumberBounds, settingBounds } from "../config/setting-bounds";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";
import { TableDefinition } from "../tables/table-definition";
import {
  renderSparkCreateTable,
  sparkPartitionField,
  sparkTableProperties,
  sparkType,
} from "../tables/spark-ddl";

/**
 * The one contract between the TypeScript side and the Python side (`build/table-specs.json`): the
 * declared tables in Spark's terms, and each job's parameters exactly as one stack passes them to Glue,
 * built by the same functions the stack's Glue jobs use. The local harness, the demo and the benchmark
 * run the jobs with these; only the AWS locations (`--warehouse`, `--landing-uri`) are local there.
 */

export const TABLE_SPECS_VERSION = 2;

export interface JobContract {
  /** `--key value` parameters beyond catalog, database and warehouse, as the stack passes them to Glue. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Whether the stack gives the job `--landing-uri` (its data bucket's landing folder). */
  readonly readsLanding: boolean;
}

export interface TableSpecs {
  readonly version: number;
  readonly stack: string;
  readonly catalog: string;
  readonly database: string;
  readonly tables: readonly (TableDefinition & Record<string, unknown>)[];
  /** The stack's jobs, keyed by job (a stack whose tables Glue's optimizers maintain has no maintenance). */
  readonly jobs: Readonly<Record<string, JobContract>>;
  /** The bounds the configuration schema puts on each parameter that carries a setting. */
  readonly parameterBounds: Readonly<Record<string, NumberBounds>>;
}

/** The contract of one stack's validated configuration (pure). */
export function tableSpecs(stack: string, config: LakehouseConfig): TableSpecs {
  const database = config.catalog.databaseName;
  const tables = LAKEHOUSE_TABLES.map((table) => ({
    ...table,
    // Column types as Spark's simpleString() prints them, for checking what a job writes.
    sparkColumns: table.columns.map((c) => ({ ...c, type: sparkType(c.type, false) })),
    sparkPartitionBy: table.partitionBy.map(sparkPartitionField),
    sparkTableProperties: sparkTableProperties(table),
    sparkCreateTable: renderSparkCreateTable(table, { catalog: ICEBERG_CATALOG_NAME, database }),
  }));
  const jobs = Object.fromEntries(
    lakehouseJobs(config).map((job) => [
      job.key,
      {
        parameters: configuredJobParameters(job, config),
        readsLanding: readsLanding(job),
      },
    ]),
  );
  const parameterBounds = Object.fromEntries(
    Object.entries(SETTING_PARAMETERS).map(([flag, setting]) => [flag, settingBounds(setting)]),
  );
  return {
    version: TABLE_SPECS_VERSION,
    stack,
    catalog: ICEBERG_CATALOG_NAME,
    database,
    tables,
    jobs,
    parameterBounds,
  };
}
