import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { catalogKeyReference } from "../config/account-settings";
import { PROJECT_DIR, PROJECT_NAME } from "../config/load";
import { LakehouseConfig } from "../config/stack-config";
import { LAKEHOUSE_TABLES, LIVE_TABLE_ZONES } from "../tables/seed-tables";
import { AthenaWorkgroup } from "./athena-workgroup";
import { AccountSettings } from "./account-settings";
import { AuditTrail } from "./audit-trail";
import { resolveAwsContext } from "./aws-context";
import { awsProviderArgs } from "./aws-provider";
import { awsSdkConnection } from "./aws-sdk-config";
import { EmrIcebergCluster } from "./emr-iceberg-cluster";
import { GlueCatalog } from "./glue-catalog";
import { createLakehouseTables } from "./iceberg-table/lakehouse-tables";
import { JobScripts } from "./job-scripts/job-scripts";
import { createGlueJobs } from "./glue-jobs";
import { lakehouseJobs } from "./job-definitions";
import { LakehouseBucket } from "./lakehouse-bucket";
import { LakehouseKey, lakehouseKeyAlias } from "./lakehouse-key";
import { LakehouseNetwork } from "./lakehouse-network";
import { LakehousePipeline } from "./lakehouse-pipeline";
import { ManagedTableMaintenance } from "./managed-table-maintenance";
import { loadNamedQueries } from "./named-queries";
import { statefulOptions } from "./stateful-options";
import { CatalogAccess, tableLocations } from "./table-access-policy";
import { tablesMaintainedBy } from "./table-maintainers";
import {
  accessLogBucketRules,
  accessLogDeliveryStatements,
  artifactsBucketRules,
  dataBucketRules,
  LANDING_PREFIX,
  WAREHOUSE_PREFIX,
} from "./storage-layout";

/** The Python package in `jobs/` the entry scripts import (shipped as a zip on `--extra-py-files`). */
export const JOBS_SHARED_PACKAGE = "lakehouse_jobs";

/** The stack outputs: what a user needs to find and use the lakehouse. */
export interface LakehouseOutputs {
  readonly dataBucketName: pulumi.Output<string>;
  readonly artifactsBucketName: pulumi.Output<string>;
  readonly accessLogBucketName: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly databaseName: pulumi.Output<string>;
  readonly workgroupName: pulumi.Output<string>;
  readonly glueJobNames: pulumi.Output<Record<string, string>>;
  readonly stateMachineArn: pulumi.Output<string>;
  readonly alertTopicArn: pulumi.Output<string>;
  readonly auditTrailArn?: pulumi.Output<string>;
  readonly emrClusterId?: pulumi.Output<string>;
  readonly exampleQueries: Record<string, string>;
}

/**
 * Tags on every taggable AWS resource, applied through the provider's default tags. A preview
 * environment also carries its pull request and expiry, so a cost report or an account sweeper can
 * attribute and remove what a lost Pulumi state would leave behind.
 */
export function defaultTags(
  config: Pick<LakehouseConfig, "environment" | "preview">,
  stack: string,
): Record<string, string> {
  const preview: Record<string, string> =
    config.preview === undefined
      ? {}
      : { PullRequest: String(config.preview.pullRequest), ExpiresAt: config.preview.expiresAt };
  return {
    Project: PROJECT_NAME,
    Environment: config.environment,
    Stack: stack,
    ManagedBy: "pulumi",
    ...preview,
  };
}

export interface LakehouseArgs {
  /** The stack's name: in the default tags, the KMS key's alias and the audit trail's name. */
  readonly stackName: string;
  /**
   * The stack's validated configuration. Every section is read, each by the part it configures (each
   * helper and child takes only its sections: `Pick<LakehouseConfig, ...>`).
   */
  readonly config: LakehouseConfig;
}

/** The whole lakehouse of one stack: one component whose children are every resource. */
export class Lakehouse extends pulumi.ComponentResource {
  readonly outputs: LakehouseOutputs;

  constructor(name: string, args: LakehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:Lakehouse", name, {}, opts);
    const { stackName: stack, config } = args;
    // Explicit, for the default tags; configured with every `aws:` setting of the stack file.
    const provider = new aws.Provider(`${name}-aws`, awsProviderArgs(config, defaultTags(config, stack)), {
      parent: this,
    });
    const child = { parent: this, providers: [provider] };
    // The same settings for the dynamic providers' SDK clients (tables, job code).
    const connection = awsSdkConnection(config);
    const context = resolveAwsContext(config.region, { parent: this, provider });
    const stateful = statefulOptions(config);
    const storage = config.storage;
    const bucketBasics = {
      noncurrentVersionExpirationDays: storage.noncurrentVersionExpirationDays,
      abortIncompleteUploadsAfterDays: storage.abortIncompleteUploadsAfterDays,
      forceDestroy: storage.forceDestroy,
      stateful,
    };

    const key = new LakehouseKey(
      `${name}-key`,
      {
        context,
        alias: lakehouseKeyAlias(stack),
        deletionWindowDays: config.kms.deletionWindowDays,
        stateful,
      },
      child,
    );
    const accessLogs = new LakehouseBucket(
      `${name}-access-logs`,
      {
        ...bucketBasics,
        purpose: "access-logs",
        kmsKeyArn: key.arn,
        accessLogs: "is-access-log-bucket",
        lifecycleRules: accessLogBucketRules(config),
        extraPolicyStatements: accessLogDeliveryStatements(context.accountId),
      },
      child,
    );
    const logTarget = { bucket: accessLogs.bucketName };
    const data = new LakehouseBucket(
      `${name}-data`,
      {
        ...bucketBasics,
        purpose: "data",
        kmsKeyArn: key.arn,
        accessLogs: logTarget,
        lifecycleRules: dataBucketRules(config),
        liveTablePrefixes: LIVE_TABLE_ZONES,
      },
      child,
    );
    const artifacts = new LakehouseBucket(
      `${name}-artifacts`,
      {
        ...bucketBasics,
        purpose: "artifacts",
        kmsKeyArn: key.arn,
        accessLogs: logTarget,
        lifecycleRules: artifactsBucketRules(config),
      },
      child,
    );
    const warehouseUri = pulumi.interpolate`s3://${data.bucketName}/${WAREHOUSE_PREFIX}`;

    const catalog = new GlueCatalog(
      `${name}-catalog`,
      {
        context,
        databaseName: config.catalog.databaseName,
        warehouseUri,
        kmsKeyArn: key.arn,
        stateful,
      },
      child,
    );
    const { owner, catalogKey: ownersKey } = config.accountSettings;
    new AccountSettings(
      `${name}-account`,
      {
        owner,
        kmsKeyArn: key.arn,
        ...(ownersKey === undefined ? {} : { catalogKey: ownersKey }),
        previousCatalogEncryption: { name: `${name}-catalog-encryption`, parent: catalog },
      },
      child,
    );
    const catalogKey = ownersKey === undefined ? undefined : catalogKeyReference(ownersKey);
    const catalogAccess: CatalogAccess = {
      dataBucketArn: data.arn,
      kmsKeyArn: key.arn,
      catalogArn: catalog.catalogArn,
      databaseArn: catalog.databaseArn,
      databaseName: catalog.databaseName,
      ...(catalogKey === undefined ? {} : { catalogKey }),
    };
    const namedQueries = loadNamedQueries();
    const workgroup = new AthenaWorkgroup(
      `${name}-athena`,
      {
        accountId: context.accountId,
        resultsBucketName: artifacts.bucketName,
        kmsKeyArn: key.arn,
        bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
        databaseName: catalog.databaseName,
        namedQueries,
        forceDestroy: storage.forceDestroy,
      },
      child,
    );

    // The tables' DDL runs in the workgroup against the database: both must exist first.
    const tables = createLakehouseTables(
      name,
      {
        tables: LAKEHOUSE_TABLES,
        databaseName: catalog.databaseName,
        dataBucketName: data.bucketName,
        workgroupName: workgroup.workgroupName,
        region: config.region,
        aws: connection,
        deletionPolicy: config.tables.deletionPolicy,
        stateful,
      },
      { parent: this, dependsOn: [catalog, workgroup] },
    );

    const scripts = new JobScripts(
      `${name}-job-scripts`,
      {
        jobsDir: path.join(PROJECT_DIR, "jobs"),
        buildDir: path.join(PROJECT_DIR, "build", "job-packages"),
        jobKeys: lakehouseJobs(config).map((job) => job.key),
        sharedPackage: JOBS_SHARED_PACKAGE,
        region: config.region,
        aws: connection,
        bucket: artifacts.bucketName,
        kmsKeyArn: key.arn,
      },
      child,
    );
    const jobs = createGlueJobs(
      {
        context,
        settings: config,
        dataBucketName: data.bucketName,
        dataBucketArn: data.arn,
        artifactsBucketName: artifacts.bucketName,
        artifactsBucketArn: artifacts.arn,
        kmsKeyArn: key.arn,
        catalogArn: catalog.catalogArn,
        databaseArn: catalog.databaseArn,
        databaseName: catalog.databaseName,
        securityConfigurationName: catalog.securityConfigurationName,
        warehouseUri,
        scripts,
        ...(catalogKey === undefined ? {} : { catalogKey }),
      },
      child,
    );
    this.createManagedMaintenance(name, config, context, child, {
      access: catalogAccess,
      tables: Object.values(tables),
    });
    const pipeline = new LakehousePipeline(
      `${name}-pipeline`,
      {
        context,
        jobs: {
          bronze: jobs.bronze_ingest,
          silverCustomers: jobs.silver_customers,
          silverOrders: jobs.silver_orders,
          gold: jobs.gold_daily_metrics,
          ...(jobs.maintenance === undefined ? {} : { maintenance: jobs.maintenance }),
        },
        kmsKeyArn: key.arn,
        logRetentionDays: config.logs.retentionDays,
        ...config.pipeline,
      },
      child,
    );

    const audit =
      config.audit.trail === "create"
        ? new AuditTrail(
            `${name}-audit`,
            {
              ...bucketBasics,
              context,
              trailName: `${PROJECT_NAME}-${stack}`,
              kmsKeyArn: key.arn,
              dataBucketArn: data.arn,
              accessLogBucketName: accessLogs.bucketName,
            },
            child,
          )
        : undefined;

    const emr = config.emr.enabled
      ? this.createEmr(name, config, context, child, { artifacts, warehouseUri, access: catalogAccess })
      : undefined;

    this.outputs = {
      dataBucketName: data.bucketName,
      artifactsBucketName: artifacts.bucketName,
      accessLogBucketName: accessLogs.bucketName,
      kmsKeyArn: key.arn,
      databaseName: catalog.databaseName,
      workgroupName: workgroup.workgroupName,
      glueJobNames: pulumi.all(Object.fromEntries(Object.entries(jobs).map(([k, job]) => [k, job.jobName]))),
      stateMachineArn: pipeline.stateMachineArn,
      alertTopicArn: pipeline.alertTopicArn,
      ...(audit === undefined ? {} : { auditTrailArn: audit.trailArn }),
      ...(emr === undefined ? {} : { emrClusterId: emr.clusterId }),
      exampleQueries: Object.fromEntries(namedQueries.map((q) => [q.name, q.sql])),
    };
    this.registerOutputs({ ...this.outputs });
  }

  private createEmr(
    name: string,
    config: Pick<LakehouseConfig, "region" | "network" | "emr">,
    context: ReturnType<typeof resolveAwsContext>,
    child: pulumi.ComponentResourceOptions,
    deps: { artifacts: LakehouseBucket; warehouseUri: pulumi.Output<string>; access: CatalogAccess },
  ): EmrIcebergCluster {
    const network = new LakehouseNetwork(
      `${name}-network`,
      { region: config.region, ...config.network },
      child,
    );
    const allTables = tableLocations(LAKEHOUSE_TABLES.map((t) => t.name));
    return new EmrIcebergCluster(
      `${name}-emr`,
      {
        context,
        ...config.emr,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        kmsKeyArn: deps.access.kmsKeyArn,
        warehouseUri: deps.warehouseUri,
        artifactsBucketName: deps.artifacts.bucketName,
        artifactsBucketArn: deps.artifacts.arn,
        access: {
          ...deps.access,
          readsTables: allTables,
          writesTables: allTables,
          readsPrefixes: [LANDING_PREFIX],
        },
      },
      child,
    );
  }

  /** Glue's table optimizers for the tables `maintenance.tables` marks managed, once the tables exist. */
  private createManagedMaintenance(
    name: string,
    config: Pick<LakehouseConfig, "maintenance">,
    context: ReturnType<typeof resolveAwsContext>,
    child: pulumi.ComponentResourceOptions,
    deps: { access: CatalogAccess; tables: pulumi.Resource[] },
  ): void {
    const managed = tablesMaintainedBy(config, "managed");
    if (managed.length === 0) {
      return;
    }
    new ManagedTableMaintenance(
      `${name}-managed-maintenance`,
      {
        context,
        tables: managed,
        sortedTables: LAKEHOUSE_TABLES.filter((t) => (t.sortOrder ?? []).length > 0).map((t) => t.name),
        tableResources: deps.tables,
        access: deps.access,
        snapshotRetentionDays: config.maintenance.snapshotRetentionDays,
        snapshotsToKeep: config.maintenance.snapshotsToKeep,
        orphanFileMinAgeDays: config.maintenance.orphanFileMinAgeDays,
      },
      child,
    );
  }
}

/** Builds the whole lakehouse of the running stack from its validated configuration. */
export function createLakehouse(config: LakehouseConfig, opts?: pulumi.ComponentResourceOptions): Lakehouse {
  return new Lakehouse("lakehouse", { stackName: pulumi.getStack(), config }, opts);
}
