import * as pulumi from "@pulumi/pulumi";
import { CatalogKeyReference } from "../config/account-settings";
import { LakehouseConfig } from "../config/stack-config";
import { AwsContext } from "./aws-context";
import { GlueEtlJob } from "./glue-etl-job";
import { JobKey, lakehouseJobs, MAINTENANCE_JOB } from "./job-definitions";
import { glueJobParameters, JobSettings } from "./job-parameters";
import { JobScriptLocations } from "./job-scripts/job-scripts";
import { tableLocations } from "./table-access-policy";

/** What the jobs share: buckets, key, catalog, and the settings they are started with. */
export interface GlueJobsEnvironment {
  readonly context: AwsContext;
  /** The configuration sections the jobs read: their parameters' and the Glue workers'. */
  readonly settings: JobSettings & Pick<LakehouseConfig, "glue">;
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

/** The stack's Glue jobs by key: the pipeline's always, maintenance unless the optimizers keep every table. */
export type GlueJobs = Readonly<Record<Exclude<JobKey, typeof MAINTENANCE_JOB>, GlueEtlJob>> & {
  readonly [MAINTENANCE_JOB]?: GlueEtlJob;
};

/** One GlueEtlJob per job of the stack (`lakehouseJobs`), keyed by job key. */
export function createGlueJobs(env: GlueJobsEnvironment, opts: pulumi.ComponentResourceOptions): GlueJobs {
  const jobs: Partial<Record<JobKey, GlueEtlJob>> = {};
  for (const job of lakehouseJobs(env.settings)) {
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
        worker: env.settings.glue,
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
        jobParameters: glueJobParameters(job, env.settings, env.dataBucketName),
      },
      opts,
    );
  }
  return jobs as GlueJobs; // lakehouseJobs leaves out only maintenance, and only when it has no table
}
