import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { objectArns, PolicyStatement } from "./iam-documents";
import { createServiceRole } from "./service-role";
import { readJobCodeStatement, TableAccess, tableAccessStatements } from "./table-access-policy";
import { glueConfArgument, ICEBERG_CATALOG_NAME, icebergSparkConf } from "./iceberg-spark-conf";

/** Glue 5.0: Spark 3.5.4, Python 3.11, Java 17, Iceberg 1.7.1 (the versions the local Spark runs). */
export const GLUE_VERSION = "5.0";

export interface GlueWorkerSettings {
  readonly workerType: string;
  readonly numberOfWorkers: number;
  readonly timeoutMinutes: number;
  readonly maxRetries: number;
}

export interface GlueEtlJobArgs {
  readonly context: AwsContext;
  readonly description: string;
  /** `s3://` URI of the entry script. */
  readonly scriptLocation: pulumi.Input<string>;
  /** `s3://` URI of the zipped shared package, put on the Python path. @default none */
  readonly extraPyFiles?: pulumi.Input<string>;
  readonly artifactsBucketName: pulumi.Input<string>;
  readonly warehouseUri: pulumi.Input<string>;
  readonly securityConfigurationName: pulumi.Input<string>;
  readonly worker: GlueWorkerSettings;
  /** Tables and folders the job touches; its role grants exactly this. */
  readonly access: TableAccess & { readonly artifactsBucketArn: pulumi.Input<string> };
  /** Typed job parameters (`--key`: value) the script reads; owned, so extraArguments cannot override. */
  readonly jobParameters?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Escape hatch for further Glue arguments; keys the typed arguments own are refused. @default {} */
  readonly extraArguments?: Readonly<Record<string, string>>;
}

/** Glue arguments this component sets itself; `extraArguments` may not touch them. */
export const GLUE_OWNED_ARGUMENTS = [
  "--datalake-formats",
  "--conf",
  "--job-language",
  "--enable-metrics",
  "--enable-observability-metrics",
  "--enable-continuous-cloudwatch-log",
  "--enable-spark-ui",
  "--spark-event-logs-path",
  "--TempDir",
  "--job-bookmark-option",
  "--extra-py-files",
  "--catalog",
  "--database",
  "--warehouse",
] as const;

/** Validation run before any child exists; errors name the argument and what is accepted. */
export function validateGlueEtlJobArgs(name: string, args: GlueEtlJobArgs): void {
  for (const key of Object.keys(args.jobParameters ?? {})) {
    if ((GLUE_OWNED_ARGUMENTS as readonly string[]).includes(key)) {
      throw new Error(
        `GlueEtlJob ${name}: [jobParameters] "${key}" is set by this component itself; ` +
          `job parameters are the script's own keys`,
      );
    }
  }
  const owned = new Set<string>([...GLUE_OWNED_ARGUMENTS, ...Object.keys(args.jobParameters ?? {})]);
  for (const key of Object.keys(args.extraArguments ?? {})) {
    if (!/^--[A-Za-z][A-Za-z0-9_-]*$/.test(key)) {
      throw new Error(
        `GlueEtlJob ${name}: [extraArguments] "${key}" is not a Glue argument; keys look like "--name"`,
      );
    }
    if (owned.has(key)) {
      throw new Error(
        `GlueEtlJob ${name}: [extraArguments] "${key}" is set by a typed argument of this component; ` +
          `change that argument instead`,
      );
    }
  }
  if (args.access.writesTables.length === 0 && args.access.readsTables.length === 0) {
    throw new Error(`GlueEtlJob ${name}: [access] a job must read or write at least one table`);
  }
}

/**
 * A Glue 5.0 Spark job with Iceberg on the Glue Data Catalog, its security configuration, metrics,
 * continuous logging and Spark UI logs, and a role scoped to the prefixes, tables and key it needs.
 * One run at a time: two runs of one job would race on the same Iceberg commits.
 */
export class GlueEtlJob extends pulumi.ComponentResource {
  readonly jobName: pulumi.Output<string>;
  readonly jobArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: GlueEtlJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:compute:GlueEtlJob", name, {}, opts);
    validateGlueEtlJobArgs(name, args);

    const role = createServiceRole(
      name,
      {
        service: "glue.amazonaws.com",
        sourceAccount: args.context.accountId,
        description: `Glue job ${name}: only the prefixes, tables and key it needs`,
        statements: glueJobStatements(name, args),
      },
      { parent: this },
    );

    const job = new aws.glue.Job(
      name,
      {
        description: args.description,
        roleArn: role.arn,
        glueVersion: GLUE_VERSION,
        command: { name: "glueetl", scriptLocation: args.scriptLocation, pythonVersion: "3" },
        workerType: args.worker.workerType,
        numberOfWorkers: args.worker.numberOfWorkers,
        timeout: args.worker.timeoutMinutes,
        maxRetries: args.worker.maxRetries,
        executionProperty: { maxConcurrentRuns: 1 },
        securityConfiguration: args.securityConfigurationName,
        defaultArguments: glueJobArguments(name, args),
      },
      { parent: this },
    );

    this.jobName = job.name;
    this.jobArn = job.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ jobName: this.jobName, jobArn: this.jobArn, roleArn: this.roleArn });
  }
}

/** The job's default arguments: Iceberg, observability, scratch space, then typed and extra parameters. */
export function glueJobArguments(name: string, args: GlueEtlJobArgs): pulumi.Output<Record<string, string>> {
  return pulumi
    .all([
      icebergSparkConf(args.warehouseUri),
      args.artifactsBucketName,
      args.warehouseUri,
      args.access.databaseName,
      args.extraPyFiles,
      pulumi.output(args.jobParameters ?? {}),
    ])
    .apply(([conf, artifacts, warehouse, database, extraPyFiles, jobParameters]): Record<string, string> => ({
      "--datalake-formats": "iceberg",
      "--conf": glueConfArgument(conf),
      "--job-language": "python",
      "--enable-metrics": "true",
      "--enable-observability-metrics": "true",
      "--enable-continuous-cloudwatch-log": "true",
      "--enable-spark-ui": "true",
      "--spark-event-logs-path": `s3://${artifacts}/spark-ui/${name}/`,
      "--TempDir": `s3://${artifacts}/glue-temp/${name}/`,
      // Incremental processing follows Iceberg snapshots, not Glue bookmarks.
      "--job-bookmark-option": "job-bookmark-disable",
      ...(extraPyFiles === undefined ? {} : { "--extra-py-files": extraPyFiles }),
      "--catalog": ICEBERG_CATALOG_NAME,
      "--database": database,
      "--warehouse": warehouse,
      ...jobParameters,
      ...(args.extraArguments ?? {}),
    }));
}

/** The role's statements: its tables (least privilege), its scripts and scratch space, its logs. */
export function glueJobStatements(name: string, args: GlueEtlJobArgs): PolicyStatement[] {
  const { accountId, partition, region } = args.context;
  const artifacts = args.access.artifactsBucketArn;
  const scratch = [`glue-temp/${name}/`, `spark-ui/${name}/`];
  return [
    ...tableAccessStatements(args.context, args.access),
    readJobCodeStatement(artifacts),
    {
      Sid: "UseScratchSpace",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: objectArns(artifacts, scratch),
    },
    {
      Sid: "ListScratchSpace",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: artifacts,
      Condition: { StringLike: { "s3:prefix": scratch.map((p) => `${p}*`) } },
    },
    {
      Sid: "WriteGlueLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
      Resource: pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:/aws-glue/*`,
    },
    {
      Sid: "PublishGlueMetrics",
      Effect: "Allow",
      // PutMetricData has no resource-level scoping; the namespace condition is the limit.
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": "Glue" } },
    },
  ];
}
