import { expect } from "chai";
import {
  s3BucketEncryption,
  s3BucketOwnershipEnforced,
  s3BucketPublicAccessBlock,
  s3BucketVersioning,
} from "../../policy/s3-bucket-baseline";
import { addBucket, KEY_ARN, logAndDataBuckets } from "./helpers/compliant";
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

    it("reports S3-managed encryption (a bucket key is an SSE-KMS setting), on the configuration", async () => {
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
      ]);
    });

    it("reports SSE-KMS with the bucket key off, SSE-KMS without a key and a configuration without rules", async () => {
      const { f, logs } = logAndDataBuckets({
        inputs: {
          encryption: {
            rules: [
              { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } },
            ],
          },
        },
      });
      addBucket(f, "empty", { inputs: { encryption: { rules: [] } }, logTarget: logs });
      addBucket(f, "keyless", {
        inputs: {
          encryption: {
            rules: [
              { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true },
            ],
          },
        },
        logTarget: logs,
      });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([
        {
          resource: "data-encryption",
          message: 'encryption of bucket "data" has the S3 bucket key off (bucketKeyEnabled)',
        },
        { resource: "empty-encryption", message: 'encryption of bucket "empty" has no rule' },
        {
          resource: "keyless-encryption",
          message: 'encryption of bucket "keyless" names no customer-managed KMS key (kmsMasterKeyId)',
        },
      ]);
    });

    it("passes DSSE-KMS with the bucket key off: S3 Bucket Keys do not apply to it", async () => {
      const dsse = { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY_ARN };
      const { f } = logAndDataBuckets({
        inputs: {
          encryption: { rules: [{ applyServerSideEncryptionByDefault: dsse, bucketKeyEnabled: false }] },
        },
      });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([]);
    });

    it("reports an object uploaded with weaker encryption than the bucket's; KMS and the default pass", async () => {
      const { f } = logAndDataBuckets();
      f.add("aws:s3/bucketObjectv2:BucketObjectv2", "kms-object", {
        bucket: "data",
        serverSideEncryption: "aws:kms",
      });
      f.add("aws:s3/bucketObjectv2:BucketObjectv2", "default-object", { bucket: "data" });
      f.add("aws:s3/bucketObject:BucketObject", "script", { bucket: "data", serverSideEncryption: "AES256" });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([
        {
          resource: "script",
          message: 'object "script" is stored with "AES256"; SSE-KMS ("aws:kms") is required',
        },
      ]);
    });

    it("holds a directory bucket (S3 Express, SSE-S3 by default) to SSE-KMS too", async () => {
      const { f } = logAndDataBuckets();
      f.add("aws:s3/directoryBucket:DirectoryBucket", "express", { bucket: "express--euw1-az1--x-s3" });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([
        { resource: "express", message: 'bucket "express" has no server-side encryption configuration' },
      ]);
    });

    it("holds BucketV2 and the *V2 companions to the same rule", async () => {
      const { f, logs } = logAndDataBuckets({ v2: true });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([]);
      addBucket(f, "old-style", {
        v2: true,
        logTarget: logs,
        inputs: {
          encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        },
      });
      addBucket(f, "bare", { v2: true, logTarget: logs, omit: ["encryption"] });
      expect(await violationsOf(s3BucketEncryption, f.records)).to.deep.equal([
        {
          resource: "old-style-encryption",
          message: 'encryption of bucket "old-style" uses "AES256"; SSE-KMS ("aws:kms") is required',
        },
        { resource: "bare", message: 'bucket "bare" has no server-side encryption configuration' },
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

    it("reports the account's block and an access point that turn a flag off; an access point without a block passes", async () => {
      const { f } = logAndDataBuckets();
      f.add("aws:s3/accessPoint:AccessPoint", "default-point", { bucket: "data", name: "default-point" });
      expect(await violationsOf(s3BucketPublicAccessBlock, f.records)).to.deep.equal([]);
      f.add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: false,
      });
      f.add("aws:s3/accessPoint:AccessPoint", "open-point", {
        bucket: "data",
        name: "open-point",
        publicAccessBlockConfiguration: {
          blockPublicAcls: false,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
      });
      expect(await violationsOf(s3BucketPublicAccessBlock, f.records)).to.deep.equal([
        {
          resource: "account",
          message: 'account public access block "account" leaves restrictPublicBuckets off',
        },
        { resource: "open-point", message: 'access point "open-point" leaves blockPublicAcls off' },
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

    it("reports access granted by a bucket ACL resource or an object ACL; private ones pass", async () => {
      const { f } = logAndDataBuckets();
      f.add("aws:s3/bucketAclV2:BucketAclV2", "data-private-acl", { bucket: "data", acl: "private" });
      f.add("aws:s3/bucketObjectv2:BucketObjectv2", "readme", {
        bucket: "data",
        key: "README",
        acl: "private",
      });
      expect(await violationsOf(s3BucketOwnershipEnforced, f.records)).to.deep.equal([]);
      f.add("aws:s3/bucketAcl:BucketAcl", "data-acl", { bucket: "data", acl: "public-read" });
      f.add("aws:s3/bucketObjectv2:BucketObjectv2", "report", {
        bucket: "data",
        key: "report.csv",
        acl: "public-read",
      });
      expect(await violationsOf(s3BucketOwnershipEnforced, f.records)).to.deep.equal([
        { resource: "data-acl", message: 'bucket ACL "data-acl" grants access by ACL ("public-read")' },
        { resource: "report", message: 'object "report" has ACL "public-read"' },
      ]);
    });
  });
});
