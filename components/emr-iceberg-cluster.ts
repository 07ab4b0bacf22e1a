import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { objectArns } from "./iam-documents";
import { icebergSparkConf } from "./iceberg-spark-conf";
import { EMR_MANAGED_TAG } from "./lakehouse-network";
import { createServiceRole } from "./service-role";
import { readJobCodeStatement, TableAccess, tableAccessStatements } from "./table-access-policy";

export interface EmrIcebergClusterArgs {
  readonly context: AwsContext;
  /** A pinned EMR 7 release whose Iceberg matches Glue 5.0 (1.7.1). */
  readonly releaseLabel: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets; the cluster goes in the first. */
  readonly privateSubnetIds: pulumi.Input<string[]>;
  readonly primaryInstanceType: string;
  readonly coreInstanceType: string;
  /** Managed scaling bounds, in instances. */
  readonly minCapacityUnits: number;
  readonly maxCapacityUnits: number;
  /** The cluster terminates itself after this long without work. */
  readonly idleTimeoutMinutes: number;
  readonly ebsVolumeSizeGb: number;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly warehouseUri: pulumi.Input<string>;
  readonly artifactsBucketName: pulumi.Input<string>;
  readonly artifactsBucketArn: pulumi.Input<string>;
  /** Tables the cluster's instances may read and commit. */
  readonly access: TableAccess;
}

/**
 * An EMR 7 cluster for ad-hoc and heavy Spark on the same Iceberg tables: Glue catalog through
 * `iceberg-defaults` and `spark-defaults`, private subnet, at-rest encryption of S3 and local disks
 * with the lakehouse key, IMDSv2, managed scaling, idle auto-termination, logs in the artifacts bucket.
 */
export class EmrIcebergCluster extends pulumi.ComponentResource {
  readonly clusterId: pulumi.Output<string>;
  readonly instanceRoleArn: pulumi.Output<string>;

  constructor(name: string, args: EmrIcebergClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:compute:EmrIcebergCluster", name, {}, opts);
    if (args.maxCapacityUnits < args.minCapacityUnits) {
      throw new Error(`EmrIcebergCluster ${name}: [maxCapacityUnits] must be >= minCapacityUnits`);
    }
    const parent = { parent: this };
    const { accountId, partition } = args.context;

    const instanceRole = createServiceRole(
      `${name}-instance`,
      {
        service: "ec2.amazonaws.com",
        description: `EMR ${name} instances`,
        statements: [
          ...tableAccessStatements(args.context, args.access),
          readJobCodeStatement(args.artifactsBucketArn),
          {
            Sid: "WriteClusterLogs",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: objectArns(args.artifactsBucketArn, ["emr-logs/"]),
          },
        ],
      },
      parent,
    );
    const instanceProfile = new aws.iam.InstanceProfile(
      `${name}-instance-profile`,
      { role: instanceRole.name },
      parent,
    );

    const serviceRole = createServiceRole(
      `${name}-service`,
      {
        service: "elasticmapreduce.amazonaws.com",
        sourceAccount: accountId,
        description: `EMR ${name} service role`,
        statements: [
          {
            Sid: "PassOnlyTheInstanceRoleToEc2",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: instanceRole.arn,
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
          },
          {
            Sid: "EncryptVolumesWithLakehouseKey",
            Effect: "Allow",
            Action: [
              "kms:Encrypt",
              "kms:Decrypt",
              "kms:ReEncrypt*",
              "kms:GenerateDataKey*",
              "kms:DescribeKey",
            ],
            Resource: args.kmsKeyArn,
          },
          {
            Sid: "GrantVolumeEncryptionToEc2",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: args.kmsKeyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
        ],
      },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-service-managed-policy`,
      {
        role: serviceRole.name,
        // v2 acts only on resources tagged for-use-with-amazon-emr-managed-policies=true.
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2`,
      },
      parent,
    );

    const securityGroup = (role: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${role}`,
        {
          vpcId: args.vpcId,
          description: `EMR-managed ${role} security group (${name}); EMR maintains its rules`,
          revokeRulesOnDelete: true,
          tags: { ...EMR_MANAGED_TAG },
        },
        parent,
      );
    const primarySg = securityGroup("primary-sg");
    const coreSg = securityGroup("core-sg");
    const serviceSg = securityGroup("service-access-sg");

    const securityConfiguration = new aws.emr.SecurityConfiguration(
      `${name}-security`,
      { configuration: emrSecurityConfiguration(args.kmsKeyArn) },
      parent,
    );

    const cluster = new aws.emr.Cluster(
      name,
      {
        releaseLabel: args.releaseLabel,
        applications: ["Spark"],
        serviceRole: serviceRole.arn,
        securityConfiguration: securityConfiguration.name,
        ec2Attributes: {
          subnetId: pulumi.output(args.privateSubnetIds).apply((ids) => ids[0]),
          instanceProfile: instanceProfile.arn,
          emrManagedMasterSecurityGroup: primarySg.id,
          emrManagedSlaveSecurityGroup: coreSg.id,
          serviceAccessSecurityGroup: serviceSg.id,
        },
        masterInstanceGroup: { instanceType: args.primaryInstanceType, instanceCount: 1 },
        coreInstanceGroup: {
          instanceType: args.coreInstanceType,
          instanceCount: args.minCapacityUnits,
          ebsConfigs: [{ size: args.ebsVolumeSizeGb, type: "gp3", volumesPerInstance: 1 }],
        },
        configurationsJson: emrConfigurations(args.warehouseUri),
        autoTerminationPolicy: { idleTimeout: args.idleTimeoutMinutes * 60 },
        keepJobFlowAliveWhenNoSteps: true,
        // Termination protection would also stop the idle auto-termination.
        terminationProtection: false,
        unhealthyNodeReplacement: true,
        scaleDownBehavior: "TERMINATE_AT_TASK_COMPLETION",
        logUri: pulumi.interpolate`s3://${args.artifactsBucketName}/emr-logs/`,
        logEncryptionKmsKeyId: args.kmsKeyArn,
        tags: { ...EMR_MANAGED_TAG },
      },
      parent,
    );
    new aws.emr.ManagedScalingPolicy(
      `${name}-scaling`,
      {
        clusterId: cluster.id,
        computeLimits: [
          {
            unitType: "Instances",
            minimumCapacityUnits: args.minCapacityUnits,
            maximumCapacityUnits: args.maxCapacityUnits,
          },
        ],
      },
      parent,
    );

    this.clusterId = cluster.id;
    this.instanceRoleArn = instanceRole.arn;
    this.registerOutputs({ clusterId: this.clusterId, instanceRoleArn: this.instanceRoleArn });
  }
}

/** At-rest encryption of EMRFS (S3 SSE-KMS), local disks and EBS with the lakehouse key; IMDSv2 only. */
export function emrSecurityConfiguration(kmsKeyArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    EncryptionConfiguration: {
      // In-transit TLS needs a certificate bundle the stack does not have; see the README.
      EnableInTransitEncryption: false,
      EnableAtRestEncryption: true,
      AtRestEncryptionConfiguration: {
        S3EncryptionConfiguration: { EncryptionMode: "SSE-KMS", AwsKmsKey: kmsKeyArn },
        LocalDiskEncryptionConfiguration: {
          EncryptionKeyProviderType: "AwsKms",
          AwsKmsKey: kmsKeyArn,
          EnableEbsEncryption: true,
        },
      },
    },
    InstanceMetadataServiceConfiguration: {
      MinimumInstanceMetadataServiceVersion: 2,
      HttpPutResponseHopLimit: 1,
    },
  });
}

/** `iceberg-defaults` turns Iceberg on; `spark-defaults` points the Spark catalog at Glue. */
export function emrConfigurations(warehouseUri: pulumi.Input<string>): pulumi.Output<string> {
  return icebergSparkConf(warehouseUri).apply((conf) =>
    JSON.stringify([
      { Classification: "iceberg-defaults", Properties: { "iceberg.enabled": "true" } },
      { Classification: "spark-defaults", Properties: conf },
    ]),
  );
}
