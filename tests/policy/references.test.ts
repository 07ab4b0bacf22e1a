import { expect } from "chai";
import { stackOwnedReferences } from "../../policy/references";
import { KEY_ARN, logAndDataBuckets, policyJson } from "./helpers/compliant";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const OWN_KEY = "arn:aws:kms:eu-west-1:123456789012:key";

/** The compliant buckets of logAndDataBuckets, with the key they are encrypted with. */
function bucketsWithTheirKey(): FixtureStack {
  const { f } = logAndDataBuckets();
  f.add("aws:kms/key:Key", "fixture-key", {}, { outputs: { arn: KEY_ARN } });
  return f;
}

/** The compliant log and data buckets, encrypted with `keyId`, plus the stack's key and its alias. */
function stackWithKey(keyId: string): FixtureStack {
  const rules = [
    {
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyId },
      bucketKeyEnabled: true,
    },
  ];
  const { f } = logAndDataBuckets({ inputs: { encryption: { rules } } });
  // The log bucket keeps the fixtures' key: a key of the stack too.
  f.add("aws:kms/key:Key", "fixture-key", {}, { outputs: { arn: KEY_ARN } });
  f.add("aws:kms/key:Key", "key", {}, { outputs: { arn: OWN_KEY, keyId: "key-id" } });
  f.add(
    "aws:kms/alias:Alias",
    "key-alias",
    { name: "alias/lakehouse", targetKeyId: "key-id" },
    {
      outputs: { arn: "arn:aws:kms:eu-west-1:123456789012:alias/lakehouse" },
    },
  );
  return f;
}

describe("policy: stack-owned-references", () => {
  it("passes the stack's key by ARN, id, alias name and alias ARN", async () => {
    for (const keyId of [
      OWN_KEY,
      "key-id",
      "alias/lakehouse",
      "arn:aws:kms:eu-west-1:123456789012:alias/lakehouse",
    ]) {
      expect(await violationsOf(stackOwnedReferences, stackWithKey(keyId).records), keyId).to.deep.equal([]);
    }
  });

  it("reports an AWS managed key and a key of no resource of the stack, unless the config lists it", async () => {
    const f = stackWithKey("alias/aws/s3");
    expect(await violationsOf(stackOwnedReferences, f.records)).to.deep.equal([
      {
        resource: "data-encryption",
        message:
          'BucketServerSideEncryptionConfiguration "data-encryption" names KMS key "alias/aws/s3" (rules.applyServerSideEncryptionByDefault.kmsMasterKeyId), which is not a resource of this stack nor listed in externalKmsKeys',
      },
    ]);
    const config = { "stack-owned-references": { properties: { externalKmsKeys: ["alias/aws/*"] } } };
    expect(await violationsOf(stackOwnedReferences, f.records, config)).to.deep.equal([]);
  });

  it("reports a security configuration, log group, log target, role and bucket the stack does not create", async () => {
    const f = bucketsWithTheirKey();
    f.add("aws:glue/securityConfiguration:SecurityConfiguration", "security", { name: "security" });
    const logs = f.add("aws:cloudwatch/logGroup:LogGroup", "pipeline-logs", {
      name: "/aws/vendedlogs/states/p",
    });
    f.add(
      "aws:iam/role:Role",
      "job-role",
      { name: "job-role" },
      { outputs: { arn: "arn:aws:iam::123456789012:role/job-role" } },
    );
    f.add("aws:glue/job:Job", "fine-job", {
      roleArn: "arn:aws:iam::123456789012:role/job-role",
      securityConfiguration: "security",
      command: { name: "glueetl", scriptLocation: "s3://data/jobs/a.py" },
      defaultArguments: {
        "--TempDir": "s3://logs/tmp/",
        "--extra-py-files": "s3://data/a.zip,s3://data/b.zip",
      },
    });
    f.add("aws:sfn/stateMachine:StateMachine", "fine-machine", {
      roleArn: "job-role",
      loggingConfiguration: { logDestination: `${String(logs.outputs.arn)}:*` },
    });
    expect(await violationsOf(stackOwnedReferences, f.records)).to.deep.equal([]);
    f.add("aws:glue/job:Job", "careless-job", {
      roleArn: "arn:aws:iam::123456789012:role/AWSGlueServiceRole-admin",
      securityConfiguration: "default-security",
      command: { name: "glueetl", scriptLocation: "s3://someone-elses-bucket/a.py" },
      defaultArguments: { "--TempDir": "s3://scratch-bucket/tmp/" },
    });
    f.add("aws:sfn/stateMachine:StateMachine", "careless-machine", {
      roleArn: "job-role",
      loggingConfiguration: {
        logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:/shared/logs:*",
      },
    });
    f.add("aws:s3/bucketLogging:BucketLogging", "data-logging-elsewhere", {
      bucket: "data",
      targetBucket: "central-logs",
      targetPrefix: "data/",
    });
    const tail = (knob: string) => `which is not a resource of this stack nor listed in ${knob}`;
    expect(await violationsOf(stackOwnedReferences, f.records)).to.deep.equal([
      {
        resource: "data-logging-elsewhere",
        message: `BucketLogging "data-logging-elsewhere" names bucket "central-logs" (targetBucket), ${tail("externalBuckets")}`,
      },
      {
        resource: "careless-job",
        message: `Job "careless-job" names IAM role "arn:aws:iam::123456789012:role/AWSGlueServiceRole-admin" (roleArn), ${tail("externalRoles")}`,
      },
      {
        resource: "careless-job",
        message: `Job "careless-job" names Glue security configuration "default-security" (securityConfiguration), ${tail("externalGlueSecurityConfigurations")}`,
      },
      {
        resource: "careless-job",
        message: `Job "careless-job" names bucket "s3://someone-elses-bucket/a.py" (command.scriptLocation), ${tail("externalBuckets")}`,
      },
      {
        resource: "careless-job",
        message: `Job "careless-job" names bucket "s3://scratch-bucket/tmp/" (defaultArguments.--TempDir), ${tail("externalBuckets")}`,
      },
      {
        resource: "careless-machine",
        message: `StateMachine "careless-machine" names log group "arn:aws:logs:eu-west-1:123456789012:log-group:/shared/logs:*" (loggingConfiguration.logDestination), ${tail("externalLogGroups")}`,
      },
    ]);
  });

  it("reads s3:// URIs inside Spark settings and EMR configurations, and Glue table locations", async () => {
    const f = bucketsWithTheirKey();
    f.add("aws:glue/job:Job", "job", {
      defaultArguments: {
        "--conf": "spark.sql.catalog.glue.warehouse=s3://data/warehouse/ --conf spark.x=s3a://elsewhere/tmp/",
      },
    });
    f.add("aws:emr/cluster:Cluster", "emr", {
      configurationsJson: JSON.stringify([
        { Classification: "spark-defaults", Properties: { w: "s3://other/w/" } },
      ]),
    });
    f.add("aws:glue/catalogTable:CatalogTable", "orders", {
      storageDescriptor: { location: "s3://foreign/orders/" },
    });
    const tail = "which is not a resource of this stack nor listed in externalBuckets";
    expect(await violationsOf(stackOwnedReferences, f.records)).to.deep.equal([
      {
        resource: "job",
        message: `Job "job" names bucket "s3://elsewhere/tmp/" (defaultArguments.--conf), ${tail}`,
      },
      {
        resource: "orders",
        message: `CatalogTable "orders" names bucket "s3://foreign/orders/" (storageDescriptor.location), ${tail}`,
      },
      {
        resource: "emr",
        message: `Cluster "emr" names bucket "s3://other/w/" (cluster.configurationsJson), ${tail}`,
      },
    ]);
  });

  it("reports replication to a bucket outside the stack", async () => {
    const f = bucketsWithTheirKey();
    f.add("aws:iam/role:Role", "replication", { name: "replication" });
    f.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "data-replication", {
      bucket: "data",
      role: "replication",
      rules: [{ id: "all", status: "Enabled", destination: { bucket: "arn:aws:s3:::partner-copy" } }],
    });
    expect(await violationsOf(stackOwnedReferences, f.records)).to.deep.equal([
      {
        resource: "data-replication",
        message:
          'BucketReplicationConfig "data-replication" names bucket "arn:aws:s3:::partner-copy" (rules.destination.bucket), which is not a resource of this stack nor listed in externalBuckets',
      },
    ]);
  });

  it("reports identity policies that name a bucket, key or role outside the stack (PassRole included)", async () => {
    const f = bucketsWithTheirKey();
    f.add("aws:iam/rolePolicy:RolePolicy", "job-access", {
      role: "job-role",
      policy: policyJson(
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: ["arn:aws:s3:::data/raw/*", "arn:aws:s3:::partner-drop/*"],
        },
        { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/admin" },
      ),
    });
    f.add("aws:iam/role:Role", "job-role", { name: "job-role" });
    const tail = (knob: string) => `which is not a resource of this stack nor listed in ${knob}`;
    expect(await violationsOf(stackOwnedReferences, f.records)).to.deep.equal([
      {
        resource: "job-access",
        message: `role policy "job-access" names bucket "arn:aws:s3:::partner-drop/*" (Resource), ${tail("externalBuckets")}`,
      },
      {
        resource: "job-access",
        message: `role policy "job-access" names IAM role "arn:aws:iam::123456789012:role/admin" (Resource), ${tail("externalRoles")}`,
      },
    ]);
  });
});
