import { expect } from "chai";
import { resourcePoliciesNotPublic } from "../../policy/resource-policies";
import { s3BucketNoInlineSettings } from "../../policy/s3-bucket-inline-settings";
import { logAndDataBuckets, policyJson, tlsOnlyStatements } from "./helpers/compliant";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

describe("policy: S3 exposure", () => {
  describe("s3-bucket-no-inline-settings", () => {
    it("passes buckets configured through companions (acl private is S3's default)", async () => {
      const f = new FixtureStack();
      f.add("aws:s3/bucket:Bucket", "data", { forceDestroy: false, acl: "private", tags: {} });
      expect(await violationsOf(s3BucketNoInlineSettings, f.records)).to.deep.equal([]);
    });

    it("reports inline settings of Bucket and BucketV2, and a website configuration", async () => {
      const f = new FixtureStack();
      f.add("aws:s3/bucketV2:BucketV2", "legacy", {
        serverSideEncryptionConfigurations: [
          { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "AES256" }] }] },
        ],
        versionings: [],
      });
      f.add("aws:s3/bucket:Bucket", "site", { acl: "public-read", website: { indexDocument: "index.html" } });
      f.add("aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2", "site-website", {
        bucket: "site",
        indexDocument: { suffix: "index.html" },
      });
      expect(await violationsOf(s3BucketNoInlineSettings, f.records)).to.deep.equal([
        {
          resource: "legacy",
          message:
            'bucket "legacy" sets the deprecated inline argument(s) serverSideEncryptionConfigurations',
        },
        { resource: "site", message: 'bucket "site" sets the deprecated inline argument(s) acl, website' },
        {
          resource: "site-website",
          message: 'website configuration "site-website" serves a bucket as a website',
        },
      ]);
    });
  });

  describe("resource-policies-not-public", () => {
    const delivery = {
      Sid: "LogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::data/*",
    };

    it("passes named service principals and wildcard denies", async () => {
      const statements = [...tlsOnlyStatements("arn:aws:s3:::data"), delivery];
      const { f } = logAndDataBuckets({ inputs: { policy: { policy: policyJson(...statements) } } });
      expect(await violationsOf(resourcePoliciesNotPublic, f.records)).to.deep.equal([]);
    });

    it("reports a bucket, topic or catalog policy open to every principal, whatever its conditions", async () => {
      const anyone = {
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::data/*",
        Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } },
      };
      const { f } = logAndDataBuckets({
        inputs: { policy: { policy: policyJson(...tlsOnlyStatements("arn:aws:s3:::data"), anyone) } },
      });
      f.add("aws:sns/topicPolicy:TopicPolicy", "alerts-policy", {
        arn: "arn:aws:sns:eu-west-1:123456789012:alerts",
        policy: policyJson({
          Effect: "Allow",
          NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "sns:Publish",
        }),
      });
      f.add("aws:glue/resourcePolicy:ResourcePolicy", "catalog-policy", {
        policy: policyJson({
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "glue:GetTable",
          Resource: "*",
        }),
      });
      expect(await violationsOf(resourcePoliciesNotPublic, f.records)).to.deep.equal([
        {
          resource: "data-policy",
          message: 'statement "PublicRead" of bucket policy "data-policy" allows principal "*"',
        },
        {
          resource: "alerts-policy",
          message:
            'statement #1 of topic policy "alerts-policy" allows every principal but the named ones (NotPrincipal)',
        },
        {
          resource: "catalog-policy",
          message: 'statement #1 of Glue catalog policy "catalog-policy" allows principal "*"',
        },
      ]);
    });
  });
});
