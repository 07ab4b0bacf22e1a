import { expect } from "chai";
import {
  s3BucketEncryption,
  s3BucketOwnershipEnforced,
  s3BucketPublicAccessBlock,
  s3BucketVersioning,
} from "../../policy/s3-bucket-baseline";
import { addBucket, logAndDataBuckets } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

describe("policy: S3 bucket baseline", () => {
  describe("s3-bucket-sse-kms", () => {
    it("passes buckets encrypted with SSE-KMS under a customer key with the bucket key on", async () => {
      expect(await violationsOf(s3BucketEncryption, logAndDataBuckets().f.records)).to.deep.equal([]);
    });

    it("reports a bucket without an encryption configuration, on the bucket", async () => {
      expect(
        await violationsOf(s3BucketEncryption, logAndDataBuckets({ omit: ["encryption"] }).f.records),
      ).to.deep.equal([
        { resource: "data", message: 'bucket "data" has no server-side encryption configuration' },
      ]);
    });

    it("reports S3-managed encryption and the bucket key off, on the configuration", async () => {
      const { f } = logAndDataBuckets({
        inputs: {
          encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        },
      });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([
        {
          resource: "data-encryption",
          message: 'encryption of bucket "data" uses "AES256"; SSE-KMS ("aws:kms") is required',
        },
        {
          resource: "data-encryption",
          message: 'encryption of bucket "data" has the S3 bucket key off (bucketKeyEnabled)',
        },
      ]);
    });

    it("reports SSE-KMS with the AWS-managed key and a configuration without rules", async () => {
      const managed = { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" };
      const { f, logs } = logAndDataBuckets({
        inputs: {
          encryption: { rules: [{ applyServerSideEncryptionByDefault: managed, bucketKeyEnabled: true }] },
        },
      });
      addBucket(f, "empty", { inputs: { encryption: { rules: [] } }, logTarget: logs });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([
        {
          resource: "data-encryption",
          message: 'encryption of bucket "data" names no customer-managed KMS key (kmsMasterKeyId)',
        },
        { resource: "empty-encryption", message: 'encryption of bucket "empty" has no rule' },
      ]);
    });

    it("is not applicable to a stack without buckets, as the runtime reports it", async () => {
      const f = new FixtureStack();
      f.awsProvider("dev");
      expect(await notApplicableOf(s3BucketEncryption, f.records)).to.deep.equal([
        "(stack): Policy only applies to stacks with S3 buckets",
      ]);
    });
  });

  describe("s3-bucket-versioning", () => {
    it("passes buckets with versioning Enabled", async () => {
      expect(await violationsOf(s3BucketVersioning, logAndDataBuckets().f.records)).to.deep.equal([]);
    });

    it("reports suspended versioning and a bucket without versioning", async () => {
      const { f, logs } = logAndDataBuckets({
        inputs: { versioning: { versioningConfiguration: { status: "Suspended" } } },
      });
      addBucket(f, "scratch", { omit: ["versioning"], logTarget: logs });
      expect(await violationsOf(s3BucketVersioning, f.records)).to.deep.equal([
        {
          resource: "data-versioning",
          message: 'versioning of bucket "data" is "Suspended"; it must be "Enabled"',
        },
        { resource: "scratch", message: 'bucket "scratch" has no versioning configuration' },
      ]);
    });
  });

  describe("s3-bucket-public-access-block", () => {
    it("passes buckets with all four flags on", async () => {
      expect(await violationsOf(s3BucketPublicAccessBlock, logAndDataBuckets().f.records)).to.deep.equal([]);
    });

    it("names every flag left off, and a bucket without a block", async () => {
      const open = { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true };
      const { f, logs } = logAndDataBuckets({ inputs: { publicAccessBlock: open } });
      addBucket(f, "web", { omit: ["publicAccessBlock"], logTarget: logs });
      expect(await violationsOf(s3BucketPublicAccessBlock, f.records)).to.deep.equal([
        {
          resource: "data-publicAccessBlock",
          message: 'public access block of bucket "data" leaves blockPublicPolicy, restrictPublicBuckets off',
        },
        { resource: "web", message: 'bucket "web" has no public access block' },
      ]);
    });
  });

  describe("s3-bucket-acls-disabled", () => {
    it("passes buckets with BucketOwnerEnforced", async () => {
      expect(await violationsOf(s3BucketOwnershipEnforced, logAndDataBuckets().f.records)).to.deep.equal([]);
    });

    it("reports ownership that keeps ACLs, and a bucket without ownership controls", async () => {
      const { f, logs } = logAndDataBuckets({
        inputs: { ownership: { rule: { objectOwnership: "BucketOwnerPreferred" } } },
      });
      addBucket(f, "legacy", { omit: ["ownership"], logTarget: logs });
      expect(await violationsOf(s3BucketOwnershipEnforced, f.records)).to.deep.equal([
        {
          resource: "data-ownership",
          message:
            'object ownership of bucket "data" is "BucketOwnerPreferred"; ACLs stay enabled unless it is "BucketOwnerEnforced"',
        },
        { resource: "legacy", message: 'bucket "legacy" has no ownership controls' },
      ]);
    });
  });
});
