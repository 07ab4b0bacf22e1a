import { expect } from "chai";
import {
  emrBlockPublicAccess,
  emrClusterAutoTermination,
  emrClusterPrivateSubnet,
  emrClusterSecurityConfiguration,
  emrSecurityConfigurationEncryption,
} from "../../policy/emr";
import {
  glueDataCatalogEncryption,
  glueJobSecurityConfiguration,
  glueSecurityConfigurationEncryption,
  glueSupportedVersion,
} from "../../policy/glue";
import { KEY_ARN } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

function one(type: string, name: string, inputs: Record<string, unknown>): FixtureStack {
  const f = new FixtureStack();
  f.add(type, name, inputs);
  return f;
}

const CATALOG_ENCRYPTION = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings";
const GLUE_SECURITY = "aws:glue/securityConfiguration:SecurityConfiguration";
const GLUE_JOB = "aws:glue/job:Job";
const EMR_CLUSTER = "aws:emr/cluster:Cluster";
const EMR_SECURITY = "aws:emr/securityConfiguration:SecurityConfiguration";

const glueEncryption = (s3Mode: string) => ({
  encryptionConfiguration: {
    s3Encryption: { s3EncryptionMode: s3Mode, kmsKeyArn: KEY_ARN },
    cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
    jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY_ARN },
  },
});

const job = (inputs: Record<string, unknown>) => ({
  command: { name: "glueetl", scriptLocation: "s3://artifacts/jobs/bronze.py" },
  glueVersion: "5.0",
  securityConfiguration: "lakehouse-security",
  ...inputs,
});

describe("policy: Glue", () => {
  it("glue-data-catalog-encrypted passes SSE-KMS with encrypted passwords, reports each gap", async () => {
    const settings = (atRest: Record<string, unknown>, passwords: Record<string, unknown>) =>
      one(CATALOG_ENCRYPTION, "catalog", {
        dataCatalogEncryptionSettings: { encryptionAtRest: atRest, connectionPasswordEncryption: passwords },
      });
    const kms = { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY_ARN };
    const encrypted = { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY_ARN };
    expect(await violationsOf(glueDataCatalogEncryption, settings(kms, encrypted).records)).to.deep.equal([]);
    expect(
      await violationsOf(
        glueDataCatalogEncryption,
        settings({ catalogEncryptionMode: "DISABLED" }, { returnConnectionPasswordEncrypted: false }).records,
      ),
    ).to.deep.equal([
      {
        resource: "catalog",
        message:
          'catalog encryption "catalog" stores metadata with mode "DISABLED"; SSE-KMS with a key is required',
      },
      {
        resource: "catalog",
        message: 'catalog encryption "catalog" does not encrypt connection passwords with a KMS key',
      },
    ]);
  });

  it("glue-security-configuration-encrypted passes the three KMS modes, reports S3 left unencrypted", async () => {
    expect(
      await violationsOf(
        glueSecurityConfigurationEncryption,
        one(GLUE_SECURITY, "security", glueEncryption("SSE-KMS")).records,
      ),
    ).to.deep.equal([]);
    expect(
      await violationsOf(
        glueSecurityConfigurationEncryption,
        one(GLUE_SECURITY, "security", glueEncryption("DISABLED")).records,
      ),
    ).to.deep.equal([
      {
        resource: "security",
        message:
          'security configuration "security" encrypts S3 data with "DISABLED"; SSE-KMS with a key is required',
      },
    ]);
  });

  it("glue-job-security-configuration passes a job with one, reports a job and a crawler without", async () => {
    expect(
      await violationsOf(glueJobSecurityConfiguration, one(GLUE_JOB, "bronze", job({})).records),
    ).to.deep.equal([]);
    const f = one(GLUE_JOB, "bronze", job({ securityConfiguration: undefined }));
    f.add("aws:glue/crawler:Crawler", "crawler", {
      databaseName: "db",
      role: "arn:aws:iam::123456789012:role/crawler",
    });
    expect(await violationsOf(glueJobSecurityConfiguration, f.records)).to.deep.equal([
      { resource: "bronze", message: 'Glue job "bronze" runs without a security configuration' },
      { resource: "crawler", message: 'Glue crawler "crawler" runs without a security configuration' },
    ]);
  });

  it("glue-supported-version passes 5.0, reports 3.0 and a job with Glue's 0.9 default", async () => {
    expect(await violationsOf(glueSupportedVersion, one(GLUE_JOB, "bronze", job({})).records)).to.deep.equal(
      [],
    );
    const f = one(GLUE_JOB, "old", job({ glueVersion: "3.0" }));
    f.add(GLUE_JOB, "unset", job({ glueVersion: undefined }));
    expect(await violationsOf(glueSupportedVersion, f.records)).to.deep.equal([
      { resource: "old", message: 'Glue job "old" runs on Glue 3.0; accepted versions: 4.0, 5.0' },
      { resource: "unset", message: 'Glue job "unset" runs on Glue 0.9; accepted versions: 4.0, 5.0' },
    ]);
  });

  it("glue-supported-version reads its accepted versions from the config and skips Python shell jobs", async () => {
    const config = { "glue-supported-version": { properties: { allowedGlueVersions: ["5.0"] } } };
    const f = one(GLUE_JOB, "bronze", job({ glueVersion: "4.0" }));
    f.add(
      GLUE_JOB,
      "shell",
      job({ command: { name: "pythonshell", scriptLocation: "s3://a/b.py" }, glueVersion: "1.0" }),
    );
    expect(await violationsOf(glueSupportedVersion, f.records, config)).to.deep.equal([
      { resource: "bronze", message: 'Glue job "bronze" runs on Glue 4.0; accepted versions: 5.0' },
    ]);
    expect(await notApplicableOf(glueSupportedVersion, f.records)).to.deep.equal([
      "shell: Policy only applies to Spark jobs (glueetl, gluestreaming), not pythonshell",
    ]);
  });
});

const emrEncryption = (atRest: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    EncryptionConfiguration: {
      EnableAtRestEncryption: true,
      EnableInTransitEncryption: false,
      AtRestEncryptionConfiguration: atRest,
      ...extra,
    },
    InstanceMetadataServiceConfiguration: {
      MinimumInstanceMetadataServiceVersion: 2,
      HttpPutResponseHopLimit: 1,
    },
  });
const S3_KMS = { S3EncryptionConfiguration: { EncryptionMode: "SSE-KMS", AwsKmsKey: KEY_ARN } };
const DISK_KMS = {
  LocalDiskEncryptionConfiguration: {
    EncryptionKeyProviderType: "AwsKms",
    AwsKmsKey: KEY_ARN,
    EnableEbsEncryption: true,
  },
};

/** A VPC (awsx, as the mocks return it), a public subnet, EMR block public access and an EMR cluster. */
function emrStack(
  cluster: Record<string, unknown>,
  blockPublicAccess: boolean | "absent" = true,
): FixtureStack {
  const f = new FixtureStack();
  f.add(
    "awsx:ec2:Vpc",
    "vpc",
    { cidrBlock: "10.30.0.0/16" },
    {
      custom: false,
      outputs: { privateSubnetIds: ["subnet-private-0"], publicSubnetIds: ["subnet-public-0"] },
    },
  );
  f.add("aws:ec2/subnet:Subnet", "dmz", { mapPublicIpOnLaunch: true }, { outputs: { id: "subnet-dmz" } });
  if (blockPublicAccess !== "absent") {
    f.add("aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration", "bpa", {
      blockPublicSecurityGroupRules: blockPublicAccess,
    });
  }
  f.add(EMR_CLUSTER, "emr", {
    releaseLabel: "emr-7.9.0",
    securityConfiguration: "emr-security",
    autoTerminationPolicy: { idleTimeout: 3600 },
    ...cluster,
  });
  return f;
}
const inSubnet = (subnetId?: string) => ({
  ec2Attributes: { instanceProfile: "profile", ...(subnetId === undefined ? {} : { subnetId }) },
});

describe("policy: EMR", () => {
  it("emr-cluster-security-configuration passes an attached one, reports a cluster without", async () => {
    expect(
      await violationsOf(emrClusterSecurityConfiguration, emrStack(inSubnet("subnet-private-0")).records),
    ).to.deep.equal([]);
    expect(
      await violationsOf(
        emrClusterSecurityConfiguration,
        emrStack({ securityConfiguration: undefined }).records,
      ),
    ).to.deep.equal([{ resource: "emr", message: 'EMR cluster "emr" has no security configuration' }]);
  });

  it("emr-security-configuration-encrypted passes KMS at rest, reports each missing encryption", async () => {
    const good = one(EMR_SECURITY, "emr-security", {
      configuration: emrEncryption({ ...S3_KMS, ...DISK_KMS }),
    });
    expect(await violationsOf(emrSecurityConfigurationEncryption, good.records)).to.deep.equal([]);
    const disk = { LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: "Custom" } };
    const tls = {
      InTransitEncryptionConfiguration: {
        TLSCertificateConfiguration: { CertificateProviderType: "PEM", S3Object: "s3://certs/c.zip" },
      },
    };
    const bad = one(EMR_SECURITY, "emr-security", {
      configuration: emrEncryption({ S3EncryptionConfiguration: { EncryptionMode: "SSE-S3" }, ...disk }, tls),
    });
    expect(await violationsOf(emrSecurityConfigurationEncryption, bad.records)).to.deep.equal([
      {
        resource: "emr-security",
        message:
          'EMR security configuration "emr-security" encrypts EMRFS data in S3 with "SSE-S3"; SSE-KMS with a key is required (CKV_AWS_171)',
      },
      {
        resource: "emr-security",
        message:
          'EMR security configuration "emr-security" does not encrypt local disks with a KMS key (CKV_AWS_349)',
      },
      {
        resource: "emr-security",
        message:
          'EMR security configuration "emr-security" does not encrypt EBS volumes (EnableEbsEncryption, CKV_AWS_350)',
      },
      {
        resource: "emr-security",
        message:
          'EMR security configuration "emr-security" has a TLS certificate but in-transit encryption off (EnableInTransitEncryption, CKV_AWS_351)',
      },
    ]);
  });

  it("emr-cluster-private-subnet passes a private subnet, reports public subnets and no subnet", async () => {
    expect(
      await violationsOf(emrClusterPrivateSubnet, emrStack(inSubnet("subnet-private-0")).records),
    ).to.deep.equal([]);
    expect(
      await violationsOf(emrClusterPrivateSubnet, emrStack(inSubnet("subnet-public-0")).records),
    ).to.deep.equal([
      { resource: "emr", message: 'EMR cluster "emr" runs in public subnet "subnet-public-0"' },
    ]);
    expect(
      await violationsOf(emrClusterPrivateSubnet, emrStack(inSubnet("subnet-dmz")).records),
    ).to.deep.equal([{ resource: "emr", message: 'EMR cluster "emr" runs in public subnet "subnet-dmz"' }]);
    expect(await violationsOf(emrClusterPrivateSubnet, emrStack(inSubnet()).records)).to.deep.equal([
      {
        resource: "emr",
        message: 'EMR cluster "emr" names no subnet: EMR would use a default (public) subnet',
      },
    ]);
  });

  it("emr-security-configuration-encrypted reports a weaker per-bucket override and IMDSv1", async () => {
    const override = {
      S3EncryptionConfiguration: {
        ...S3_KMS.S3EncryptionConfiguration,
        Overrides: [{ BucketName: "lakehouse-data", EncryptionMode: "SSE-S3" }],
      },
    };
    const configuration = JSON.parse(emrEncryption({ ...override, ...DISK_KMS })) as Record<string, unknown>;
    configuration.InstanceMetadataServiceConfiguration = { MinimumInstanceMetadataServiceVersion: 1 };
    const f = one(EMR_SECURITY, "emr-security", { configuration: JSON.stringify(configuration) });
    expect(await violationsOf(emrSecurityConfigurationEncryption, f.records)).to.deep.equal([
      {
        resource: "emr-security",
        message:
          'EMR security configuration "emr-security" encrypts EMRFS data in bucket "lakehouse-data" with "SSE-S3" (an override); KMS is required (CKV_AWS_171)',
      },
      {
        resource: "emr-security",
        message:
          'EMR security configuration "emr-security" lets instances use IMDSv1 (MinimumInstanceMetadataServiceVersion 1); 2 is required',
      },
    ]);
  });

  it("emr-block-public-access reports a port range exempted from the block", async () => {
    const f = emrStack(inSubnet("subnet-private-0"));
    f.add("aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration", "bpa-ssh", {
      blockPublicSecurityGroupRules: true,
      permittedPublicSecurityGroupRuleRanges: [{ minRange: 22, maxRange: 22 }],
    });
    expect(await violationsOf(emrBlockPublicAccess, f.records)).to.deep.equal([
      {
        resource: "bpa-ssh",
        message:
          'EMR block public access "bpa-ssh" still lets security groups open ports 22-22 to the internet',
      },
    ]);
  });

  it("emr-block-public-access passes the setting on, reports it off or missing, skips stacks without EMR", async () => {
    expect(
      await violationsOf(emrBlockPublicAccess, emrStack(inSubnet("subnet-private-0")).records),
    ).to.deep.equal([]);
    expect(
      await violationsOf(emrBlockPublicAccess, emrStack(inSubnet("subnet-private-0"), false).records),
    ).to.deep.equal([
      { resource: "bpa", message: 'EMR block public access "bpa" has blockPublicSecurityGroupRules off' },
    ]);
    expect(
      await violationsOf(emrBlockPublicAccess, emrStack(inSubnet("subnet-private-0"), "absent").records),
    ).to.deep.equal([
      {
        resource: "(stack)",
        message: "the stack creates EMR clusters but no EMR block public access configuration",
      },
    ]);
    expect(
      await notApplicableOf(emrBlockPublicAccess, one(GLUE_JOB, "bronze", job({})).records),
    ).to.deep.equal(["(stack): Policy only applies to stacks with EMR clusters"]);
  });

  it("emr-cluster-auto-termination passes an hour, reports none and more than the configured maximum", async () => {
    expect(
      await violationsOf(emrClusterAutoTermination, emrStack(inSubnet("subnet-private-0")).records),
    ).to.deep.equal([]);
    expect(
      await violationsOf(emrClusterAutoTermination, emrStack({ autoTerminationPolicy: undefined }).records),
    ).to.deep.equal([{ resource: "emr", message: 'EMR cluster "emr" has no auto-termination policy' }]);
    const config = { "emr-cluster-auto-termination": { properties: { maximumIdleTimeoutMinutes: 30 } } };
    expect(await violationsOf(emrClusterAutoTermination, emrStack({}).records, config)).to.deep.equal([
      {
        resource: "emr",
        message: 'EMR cluster "emr" terminates after 60 idle minutes; at most 30 are accepted',
      },
    ]);
  });
});
