import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NamedQuerySql } from "./named-queries";

/** The only engine that reads and writes Iceberg tables with the DDL our IcebergTable provider runs. */
export const ATHENA_ENGINE_VERSION = "Athena engine version 3";

export interface AthenaWorkgroupArgs {
  readonly accountId: pulumi.Input<string>;
  /** Bucket for query results (the artifacts bucket); results go under `athena-results/`. */
  readonly resultsBucketName: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Athena cancels a query once it has scanned this many bytes. */
  readonly bytesScannedCutoffPerQuery: number;
  readonly databaseName: pulumi.Input<string>;
  /** Saved queries created in the workgroup (from `sql/named-queries/`). @default [] */
  readonly namedQueries?: readonly NamedQuerySql[];
  /** Delete the workgroup with its saved queries and history. Only preview stacks allow it. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * An Athena engine v3 workgroup whose settings clients cannot override: SSE-KMS results in the
 * artifacts bucket, CloudWatch metrics, a per-query scan cutoff. Ships the stack's saved queries.
 */
export class AthenaWorkgroup extends pulumi.ComponentResource {
  readonly workgroupName: pulumi.Output<string>;
  readonly workgroupArn: pulumi.Output<string>;
  readonly namedQueryIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AthenaWorkgroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:query:AthenaWorkgroup", name, {}, opts);
    const workgroup = new aws.athena.Workgroup(
      name,
      {
        description: "Iceberg lakehouse queries and table DDL",
        state: "ENABLED",
        forceDestroy: args.forceDestroy ?? false,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery,
          engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${args.resultsBucketName}/athena-results/`,
            expectedBucketOwner: args.accountId,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.kmsKeyArn },
          },
        },
      },
      { parent: this },
    );
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const query of args.namedQueries ?? []) {
      ids[query.name] = new aws.athena.NamedQuery(
        `${name}-${query.name}`,
        {
          name: query.name,
          description: query.description,
          workgroup: workgroup.name,
          database: args.databaseName,
          query: query.sql,
        },
        { parent: this },
      ).id;
    }
    this.workgroupName = workgroup.name;
    this.workgroupArn = workgroup.arn;
    this.namedQueryIds = pulumi.output(ids);
    this.registerOutputs({
      workgroupName: this.workgroupName,
      workgroupArn: this.workgroupArn,
      namedQueryIds: this.namedQueryIds,
    });
  }
}
