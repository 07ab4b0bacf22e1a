import { expect } from "chai";
import { AwsContext } from "../components/aws-context";
import { EmrIcebergCluster, EmrIcebergClusterArgs } from "../components/emr-iceberg-cluster";
import { componentGraph, jsonInput, ofType, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

function clusterArgs(
  context: AwsContext,
  overrides: Partial<EmrIcebergClusterArgs> = {},
): EmrIcebergClusterArgs {
  return {
    context,
    releaseLabel: "emr-7.9.0",
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-private-0", "subnet-private-1"],
    primaryInstanceType: "m7g.xlarge",
    coreInstanceType: "r7g.2xlarge",
    minCapacityUnits: 2,
    maxCapacityUnits: 8,
    idleTimeoutMinutes: 60,
    ebsVolumeSizeGb: 128,
    kmsKeyArn: KEY,
    warehouseUri: "s3://data/warehouse/",
    artifactsBucketName: "artifacts",
    artifactsBucketArn: "arn:aws:s3:::artifacts",
    access: {
      dataBucketArn: "arn:aws:s3:::data",
      kmsKeyArn: KEY,
      catalogArn: "arn:aws:glue:eu-west-1:123456789012:catalog",
      databaseArn: "arn:aws:glue:eu-west-1:123456789012:database/lake",
      databaseName: "lake",
      readsTables: [{ name: "raw_orders", prefix: "raw/orders/" }],
      writesTables: [{ name: "raw_orders", prefix: "raw/orders/" }],
      readsPrefixes: [],
    },
    ...overrides,
  };
}

describe("EmrIcebergCluster", () => {
  const build = () => componentGraph((context) => new EmrIcebergCluster("emr", clusterArgs(context)));

  it("runs a pinned EMR 7 release with Spark in the first private subnet, self-terminating when idle", async () => {
    const cluster = resource(await build(), "aws:emr/cluster:Cluster", "emr");
    const { configurationsJson, ...inputs } = cluster.inputs;
    expect(inputs).to.deep.equal({
      releaseLabel: "emr-7.9.0",
      applications: ["Spark"],
      serviceRole: "arn:aws:iam::123456789012:role/emr-service-role",
      securityConfiguration: "emr-security",
      ec2Attributes: {
        subnetId: "subnet-private-0",
        instanceProfile: "arn:aws:iam::123456789012:instance-profile/emr-instance-profile",
        emrManagedMasterSecurityGroup: "sg-emr-primary-sg",
        emrManagedSlaveSecurityGroup: "sg-emr-core-sg",
        serviceAccessSecurityGroup: "sg-emr-service-access-sg",
      },
      masterInstanceGroup: { instanceType: "m7g.xlarge", instanceCount: 1 },
      coreInstanceGroup: {
        instanceType: "r7g.2xlarge",
        instanceCount: 2,
        ebsConfigs: [{ size: 128, type: "gp3", volumesPerInstance: 1 }],
      },
      autoTerminationPolicy: { idleTimeout: 3600 },
      keepJobFlowAliveWhenNoSteps: true,
      terminationProtection: false,
      unhealthyNodeReplacement: true,
      scaleDownBehavior: "TERMINATE_AT_TASK_COMPLETION",
      logUri: "s3://artifacts/emr-logs/",
      logEncryptionKmsKeyId: KEY,
      tags: { "for-use-with-amazon-emr-managed-policies": "true" },
    });
    expect(JSON.parse(configurationsJson as string)).to.deep.equal([
      { Classification: "iceberg-defaults", Properties: { "iceberg.enabled": "true" } },
      {
        Classification: "spark-defaults",
        Properties: {
          "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
          "spark.sql.catalog.glue_catalog": "org.apache.iceberg.spark.SparkCatalog",
          "spark.sql.catalog.glue_catalog.catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
          "spark.sql.catalog.glue_catalog.io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
          "spark.sql.catalog.glue_catalog.warehouse": "s3://data/warehouse/",
          "spark.sql.catalog.glue_catalog.table-default.format-version": "2",
        },
      },
    ]);
  });

  it("encrypts S3, local disks and EBS with the key and requires IMDSv2", async () => {
    const security = resource(
      await build(),
      "aws:emr/securityConfiguration:SecurityConfiguration",
      "emr-security",
    );
    expect(jsonInput(security, "configuration")).to.deep.equal({
      EncryptionConfiguration: {
        EnableInTransitEncryption: false,
        EnableAtRestEncryption: true,
        AtRestEncryptionConfiguration: {
          S3EncryptionConfiguration: { EncryptionMode: "SSE-KMS", AwsKmsKey: KEY },
          LocalDiskEncryptionConfiguration: {
            EncryptionKeyProviderType: "AwsKms",
            AwsKmsKey: KEY,
            EnableEbsEncryption: true,
          },
        },
      },
      InstanceMetadataServiceConfiguration: {
        MinimumInstanceMetadataServiceVersion: 2,
        HttpPutResponseHopLimit: 1,
      },
    });
  });

  it("scales between the configured instance bounds", async () => {
    const scaling = resource(
      await build(),
      "aws:emr/managedScalingPolicy:ManagedScalingPolicy",
      "emr-scaling",
    );
    expect(scaling.inputs.computeLimits).to.deep.equal([
      { unitType: "Instances", minimumCapacityUnits: 2, maximumCapacityUnits: 8 },
    ]);
  });

  it("leaves the account's block public access, an account-wide setting, to AccountSettings", async () => {
    expect(
      ofType(await build(), "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration"),
    ).to.deep.equal([]);
  });

  it("creates three EMR-managed security groups tagged for the v2 service policy", async () => {
    const groups = ofType(await build(), "aws:ec2/securityGroup:SecurityGroup");
    expect(
      groups.map((g) => [g.name, g.inputs.vpcId, g.inputs.revokeRulesOnDelete, g.inputs.tags]),
    ).to.deep.equal(
      ["emr-primary-sg", "emr-core-sg", "emr-service-access-sg"].map((name) => [
        name,
        "vpc-1",
        true,
        { "for-use-with-amazon-emr-managed-policies": "true" },
      ]),
    );
  });

  it("lets the service role pass only the instance role, only to EC2", async () => {
    const graph = await build();
    expect(
      resource(graph, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "emr-service-managed-policy")
        .inputs.policyArn,
    ).to.equal("arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2");
    const policy = jsonInput<{ Statement: unknown[] }>(
      resource(graph, "aws:iam/rolePolicy:RolePolicy", "emr-service-access"),
      "policy",
    );
    expect(policy.Statement[0]).to.deep.equal({
      Sid: "PassOnlyTheInstanceRoleToEc2",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::123456789012:role/emr-instance-role",
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    });
    expect(
      jsonInput(resource(graph, "aws:iam/role:Role", "emr-instance-role"), "assumeRolePolicy"),
    ).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  it("refuses a maximum capacity below the minimum", async () => {
    await componentGraph((context) => {
      expect(
        () =>
          new EmrIcebergCluster("emr", clusterArgs(context, { minCapacityUnits: 4, maxCapacityUnits: 2 })),
      ).to.throw("EmrIcebergCluster emr: [maxCapacityUnits] must be >= minCapacityUnits");
    });
  });
});
