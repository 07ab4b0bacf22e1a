import * as pulumi from "@pulumi/pulumi";
import { LakehouseConfig } from "../config/stack-config";
import { tableDefinition } from "../tables/seed-tables";
import { qualityForJobs } from "../tables/table-quality";
import { AwsContext } from "./aws-context";
import { GlueEtlJob } from "./glue-etl-job";
import { JobScriptLocations } from "./job-scripts/job-scripts";
import { tableLocations } from "./table-access-policy";
import { CatalogKeyReference } from "../config/account-settings";
import { lakehouseJobs, LakehouseJobDefinition, LANDING_PREFIX, publishedTables } from "./lakehouse-jobs";

/** What the jobs share: buckets, key, catalog. */
export interface GlueJobsEnvironment {
  readonly context: AwsContext;
  readonly config: LakehouseConfig;
  readonly dataBucketName: pulumi.Output<string>;
  readonly dataBucketArn: pulumi.Output<string>;
  readonly artifactsBucketName: pulumi.Output<string>;
  readonly artifactsBucketArn: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly catalogArn: pulumi.Output<string>;
  readonly databaseArn: pulumi.Output<string>;
  readonly databaseName: pulumi.Output<string>;
  readonly securityConfigurationName: pulumi.Output<string>;
  readonly warehouseUri: pulumi.Output<string>;
  /** Where the uploaded code of each job and the shared package are. */
  readonly scripts: JobScriptLocations;
  /** The account owner's catalog key, when another stack owns the account settings. @default unset */
  readonly catalogKey?: CatalogKeyReference;
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

/**
 * What a job that publishes through audit branches is started with: the quality expectations of every
 * table it publishes (JSON by table, each as declared beside its columns; `{}`: no checks) and how long
 * the pre-run tags (and a stopped run's audit branches) are kept. Nothing for maintenance.
 */
export function publishingParameters(
  job: LakehouseJobDefinition,
  config: LakehouseConfig,
): Record<string, string> {
  const published = publishedTables(job);
  if (published.length === 0) {
    return {};
  }
  const expectations = Object.fromEntries(
    published.map((t) => [t, qualityForJobs(tableDefinition(t).quality)]),
  );
  return {
    "--quality-expectations": JSON.stringify(expectations),
    "--run-tag-retention-days": String(config.rollback.runTagRetentionDays),
  };
}

/**
 * The parameters a job gets from the configuration and the table specs, wherever it runs: the same
 * values go to Glue (below) and to the local Spark (`scripts/export-table-specs.ts`, the demo).
 */
export function configuredJobParameters(
  job: LakehouseJobDefinition,
  config: LakehouseConfig,
): Record<string, string> {
  const writeOptions = tableWriteOptionsArgument(job);
  return {
    ...(writeOptions === undefined ? {} : { "--table-write-options": writeOptions }),
    ...publishingParameters(job, config),
    ...(job.configParameters?.(config) ?? {}),
  };
}

/** Everything a Glue job is started with beyond the component's own arguments. */
export function jobParameters(
  job: LakehouseJobDefinition,
  env: GlueJobsEnvironment,
): Record<string, pulumi.Input<string>> {
  return {
    ...(job.readsPrefixes.includes(LANDING_PREFIX)
      ? { "--landing-uri": pulumi.interpolate`s3://${env.dataBucketName}/${LANDING_PREFIX}` }
      : {}),
    ...configuredJobParameters(job, env.config),
  };
}

/** One GlueEtlJob per job of the stack (`lakehouseJobs`), keyed by job key. */
export function createGlueJobs(
  env: GlueJobsEnvironment,
  opts: pulumi.ComponentResourceOptions,
): Record<string, GlueEtlJob> {
  const jobs: Record<string, GlueEtlJob> = {};
  for (const job of lakehouseJobs(env.config)) {
    jobs[job.key] = new GlueEtlJob(
      `job-${job.key.replace(/_/g, "-")}`,
      {
        context: env.context,
        description: job.description,
        scriptLocation: env.scripts.scriptUris.apply((uris) => uris[job.key]),
        extraPyFiles: env.scripts.sharedPackageUri,
        artifactsBucketName: env.artifactsBucketName,
        warehouseUri: env.warehouseUri,
        securityConfigurationName: env.securityConfigurationName,
        worker: env.config.glue,
        access: {
          dataBucketArn: env.dataBucketArn,
          artifactsBucketArn: env.artifactsBucketArn,
          kmsKeyArn: env.kmsKeyArn,
          catalogArn: env.catalogArn,
          databaseArn: env.databaseArn,
          databaseName: env.databaseName,
          readsTables: tableLocations(job.readsTables),
          writesTables: tableLocations(job.writesTables),
          readsPrefixes: job.readsPrefixes,
          ...(env.catalogKey === undefined ? {} : { catalogKey: env.catalogKey }),
        },
        jobParameters: jobParameters(job, env),
      },
      opts,
    );
  }
  return jobs;
}
