import * as pulumi from "@pulumi/pulumi";
import { LakehouseConfig } from "../config/stack-config";
import { tableDefinition } from "../tables/seed-tables";
import { qualityForJobs } from "../tables/table-quality";
import { JobKey, LakehouseJobDefinition, publishedTables } from "./job-definitions";
import { LANDING_PREFIX } from "./storage-layout";
import { tablesMaintainedBy } from "./table-maintainers";

/**
 * The parameters each job is started with (`--key value`, Glue's default arguments), one type per job:
 * a job's builder that leaves out one of its parameters, or adds another job's, does not compile. The
 * jobs parse the same names into the same per-job types (jobs/lakehouse_jobs/arguments.py) and refuse a
 * missing or foreign one; build/table-specs.json carries these values to them and a pytest parses every
 * job's with their parser.
 */

/** The configuration sections the job parameters carry. */
export type JobSettings = Pick<LakehouseConfig, "quality" | "maintenance" | "rollback">;

/**
 * Job parameters that carry one stack setting as it is: flag -> the setting's path in the configuration.
 * The contract (`scripts/table-specs.ts`) exports each one's bounds from the schema by this path.
 */
export const SETTING_PARAMETERS = {
  "--max-bad-record-share": ["quality", "maxBadRecordShare"],
  "--snapshot-retention-days": ["maintenance", "snapshotRetentionDays"],
  "--snapshots-to-keep": ["maintenance", "snapshotsToKeep"],
  "--orphan-file-min-age-days": ["maintenance", "orphanFileMinAgeDays"],
  "--target-file-size-mb": ["maintenance", "targetFileSizeMb"],
  "--run-tag-retention-days": ["rollback", "runTagRetentionDays"],
} as const;
export type SettingParameter = keyof typeof SETTING_PARAMETERS;

/** What any job may be given: the Spark write options of the tables it writes, when they declare any. */
export type SharedJobParameters = { readonly "--table-write-options"?: string };

/** A pipeline job: it publishes through audit branches once the quality expectations pass. */
export type PublishingJobParameters = SharedJobParameters & {
  readonly "--quality-expectations": string;
  readonly "--run-tag-retention-days": string;
};

/** A pipeline job that quarantines what it cannot read exactly, up to a share of its input. */
export type QuarantiningJobParameters = PublishingJobParameters & {
  readonly "--max-bad-record-share": string;
};

export type MaintenanceJobParameters = SharedJobParameters & {
  /** The tables the job maintains (the others are Glue's optimizers'), comma-separated. */
  readonly "--tables": string;
  readonly "--snapshot-retention-days": string;
  readonly "--snapshots-to-keep": string;
  readonly "--orphan-file-min-age-days": string;
  readonly "--target-file-size-mb": string;
};

/** Each job's parameters, by job key. */
export interface JobParametersByJob {
  readonly bronze_ingest: QuarantiningJobParameters;
  readonly silver_orders: QuarantiningJobParameters;
  readonly silver_customers: QuarantiningJobParameters;
  readonly gold_daily_metrics: PublishingJobParameters;
  readonly maintenance: MaintenanceJobParameters;
}
export type JobParameters<K extends JobKey = JobKey> = JobParametersByJob[K];

/**
 * Where a job that reads landing files finds them (bronze_ingest): an AWS location, so the contract
 * leaves it out and a local run gives its own (the contract's `readsLanding` says which job takes it).
 */
export type LandingParameters = { readonly "--landing-uri": pulumi.Input<string> };

/** `{flag: value}` of the settings `flags` carry, as Glue job arguments (strings). */
function settingParameters<F extends SettingParameter>(
  config: JobSettings,
  flags: readonly F[],
): Record<F, string> {
  return Object.fromEntries(
    flags.map((flag) => {
      const [section, key] = SETTING_PARAMETERS[flag];
      return [flag, String((config[section] as Record<string, unknown>)[key])];
    }),
  ) as Record<F, string>;
}

/**
 * The Spark write options the table specs declare for the tables a job writes (`--table-write-options`,
 * JSON by table), so the jobs apply them without a second declaration; undefined when there are none.
 */
export function tableWriteOptionsArgument(job: LakehouseJobDefinition): string | undefined {
  const options = Object.fromEntries(
    job.writesTables
      .map((name) => [name, tableDefinition(name).sparkWriteOptions] as const)
      .filter(([, writeOptions]) => writeOptions !== undefined && Object.keys(writeOptions).length > 0),
  );
  return Object.keys(options).length === 0 ? undefined : JSON.stringify(options);
}

function sharedParameters(job: LakehouseJobDefinition): SharedJobParameters {
  const writeOptions = tableWriteOptionsArgument(job);
  return writeOptions === undefined ? {} : { "--table-write-options": writeOptions };
}

/**
 * What a job that publishes through audit branches is started with: the quality expectations of every
 * table it publishes (JSON by table, each as declared beside its columns; `{}`: no checks) and how long
 * the pre-run tags (and a stopped run's audit branches) are kept. Refused for a job that publishes nothing.
 */
export function publishingParameters(
  job: LakehouseJobDefinition,
  config: JobSettings,
): PublishingJobParameters {
  const published = publishedTables(job);
  if (published.length === 0) {
    throw new Error(`[job] ${job.key} publishes no table, so it takes no publishing parameters`);
  }
  const expectations = Object.fromEntries(
    published.map((t) => [t, qualityForJobs(tableDefinition(t).quality)]),
  );
  return {
    ...sharedParameters(job),
    "--quality-expectations": JSON.stringify(expectations),
    ...settingParameters(config, ["--run-tag-retention-days"]),
  };
}

type ParametersOf<K extends JobKey> = (job: LakehouseJobDefinition, config: JobSettings) => JobParameters<K>;

function quarantiningParameters(job: LakehouseJobDefinition, config: JobSettings): QuarantiningJobParameters {
  return {
    ...publishingParameters(job, config),
    ...settingParameters(config, ["--max-bad-record-share"]),
  };
}

/** How each job's parameters are built; a job without a builder, or a builder short of one, fails tsc. */
const PARAMETERS_BY_JOB: { readonly [K in JobKey]: ParametersOf<K> } = {
  bronze_ingest: quarantiningParameters,
  silver_orders: quarantiningParameters,
  silver_customers: quarantiningParameters,
  gold_daily_metrics: publishingParameters,
  maintenance: (job, config) => ({
    ...sharedParameters(job),
    "--tables": tablesMaintainedBy(config, "job").join(","),
    ...settingParameters(config, [
      "--snapshot-retention-days",
      "--snapshots-to-keep",
      "--orphan-file-min-age-days",
      "--target-file-size-mb",
    ]),
  }),
};

/**
 * The parameters a job gets from the configuration and the table specs, wherever it runs: the same
 * values go to Glue (`glueJobParameters`) and to the local Spark (`scripts/export-table-specs.ts`).
 */
export function configuredJobParameters<K extends JobKey>(
  job: LakehouseJobDefinition & { readonly key: K },
  config: JobSettings,
): JobParameters<K> {
  return PARAMETERS_BY_JOB[job.key](job, config);
}

/** Whether the job reads the landing folder, and so is given `--landing-uri`. */
export function readsLanding(job: LakehouseJobDefinition): boolean {
  return job.readsPrefixes.includes(LANDING_PREFIX);
}

/** Everything a Glue job is started with beyond the Glue job component's own arguments. */
export function glueJobParameters(
  job: LakehouseJobDefinition,
  config: JobSettings,
  dataBucketName: pulumi.Input<string>,
): JobParameters & Partial<LandingParameters> {
  const landing: Partial<LandingParameters> = readsLanding(job)
    ? { "--landing-uri": pulumi.interpolate`s3://${dataBucketName}/${LANDING_PREFIX}` }
    : {};
  return { ...landing, ...configuredJobParameters(job, config) };
}
