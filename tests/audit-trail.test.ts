import { expect } from "chai";
import { AuditTrail } from "../components/audit-trail";
import { componentGraph, jsonInput, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

describe("AuditTrail", () => {
  const build = () =>
    componentGraph(
      (context) =>
        new AuditTrail("audit", {
          context,
          trailName: "iceberg-lakehouse-unit",
          kmsKeyArn: KEY,
          dataBucketArn: "arn:aws:s3:::data",
          accessLogBucketName: "access-logs",
          noncurrentVersionExpirationDays: 30,
          abortIncompleteUploadsAfterDays: 7,
          forceDestroy: false,
          stateful: { protect: true, retainOnDelete: true },
        }),
    );

  it("is multi-region, validated, KMS-encrypted, and records the data bucket's object events", async () => {
    const trail = resource(await build(), "aws:cloudtrail/trail:Trail", "audit");
    expect(trail.inputs).to.deep.equal({
      name: "iceberg-lakehouse-unit",
      s3BucketName: "audit-logs",
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: KEY,
      advancedEventSelectors: [
        { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        {
          name: "Lakehouse data bucket object events",
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWiths: ["arn:aws:s3:::data/"] },
          ],
        },
      ],
    });
  });

  it("writes into its own LakehouseBucket, which lets only this trail deliver", async () => {
    const graph = await build();
    const bucket = resource(graph, "aws:s3/bucket:Bucket", "audit-logs");
    expect([bucket.protect, bucket.retainOnDelete]).to.deep.equal([true, true]);
    const policy = jsonInput<{ Statement: unknown[] }>(
      resource(graph, "aws:s3/bucketPolicy:BucketPolicy", "audit-logs-policy"),
      "policy",
    );
    const thisTrail = {
      StringEquals: {
        "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/iceberg-lakehouse-unit",
      },
    };
    expect(policy.Statement.slice(2)).to.deep.equal([
      {
        Sid: "CloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: "arn:aws:s3:::audit-logs",
        Condition: thisTrail,
      },
      {
        Sid: "CloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::audit-logs/AWSLogs/123456789012/*",
        Condition: thisTrail,
      },
    ]);
    expect(
      resource(graph, "aws:s3/bucketLogging:BucketLogging", "audit-logs-logging").inputs.targetBucket,
    ).to.equal("access-logs");
  });
});
