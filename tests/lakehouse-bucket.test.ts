import { expect } from "chai";
import {
  LakehouseBucket,
  LakehouseBucketArgs,
  renderLifecycleRules,
  validateLakehouseBucketArgs,
} from "../components/lakehouse-bucket";
import { componentGraph, jsonInput, ofType, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/test";

function args(overrides: Partial<LakehouseBucketArgs> = {}): LakehouseBucketArgs {
  return {
    purpose: "data",
    kmsKeyArn: KEY,
    accessLogs: { bucket: "access-logs-bucket" },
    lifecycleRules: [
      { id: "raw-ia", prefix: "raw/", transitions: [{ days: 90, storageClass: "STANDARD_IA" }] },
    ],
    liveTablePrefixes: ["raw/", "curated/"],
    noncurrentVersionExpirationDays: 30,
    abortIncompleteUploadsAfterDays: 7,
    stateful: { protect: true, retainOnDelete: true },
    ...overrides,
  };
}

describe("LakehouseBucket", () => {
  it("creates the bucket and its seven configuration resources, all parented", async () => {
    const graph = await componentGraph(() => new LakehouseBucket("data", args()));
    const component = resource(graph, "lakehouse:storage:LakehouseBucket", "data");
    expect(
      graph
        .filter((r) => r.parent === component.urn)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).to.deep.equal([
      "aws:s3/bucket:Bucket data",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration data-lifecycle",
      "aws:s3/bucketLogging:BucketLogging data-logging",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls data-ownership",
      "aws:s3/bucketPolicy:BucketPolicy data-policy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock data-public-access-block",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration data-encryption",
      "aws:s3/bucketVersioning:BucketVersioning data-versioning",
    ]);
  });

  it("protects only the bucket, and retains the bucket with every safeguard on it", async () => {
    const graph = await componentGraph(() => new LakehouseBucket("data", args()));
    const flags = graph
      .filter((r) => r.custom)
      .map((r) => `${r.name} protect=${r.protect} retain=${r.retainOnDelete}`)
      .sort();
    expect(flags).to.deep.equal([
      "data protect=true retain=true",
      "data-encryption protect=false retain=true",
      "data-lifecycle protect=false retain=true",
      "data-logging protect=false retain=true",
      "data-ownership protect=false retain=true",
      "data-policy protect=false retain=true",
      "data-public-access-block protect=false retain=true",
      "data-versioning protect=false retain=true",
    ]);
    expect(resource(graph, "aws:s3/bucket:Bucket", "data").inputs.forceDestroy).to.equal(false);
  });

  it("deletes the bucket's configuration with it where buckets are not retained (preview)", async () => {
    const preview = args({ stateful: { protect: false, retainOnDelete: false }, forceDestroy: true });
    const graph = await componentGraph(() => new LakehouseBucket("data", preview));
    expect(graph.filter((r) => r.custom && (r.protect || r.retainOnDelete))).to.deep.equal([]);
  });

  it("encrypts with SSE-KMS and the bucket key, versions, blocks public access, enforces the owner", async () => {
    const graph = await componentGraph(() => new LakehouseBucket("data", args()));
    expect(
      resource(
        graph,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "data-encryption",
      ).inputs,
    ).to.deep.equal({
      bucket: "data",
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
          bucketKeyEnabled: true,
        },
      ],
    });
    expect(
      resource(graph, "aws:s3/bucketVersioning:BucketVersioning", "data-versioning").inputs,
    ).to.deep.equal({
      bucket: "data",
      versioningConfiguration: { status: "Enabled" },
    });
    expect(
      resource(graph, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access-block")
        .inputs,
    ).to.deep.equal({
      bucket: "data",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      resource(graph, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership").inputs,
    ).to.deep.equal({
      bucket: "data",
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    expect(resource(graph, "aws:s3/bucketLogging:BucketLogging", "data-logging").inputs).to.deep.equal({
      bucket: "data",
      targetBucket: "access-logs-bucket",
      targetPrefix: "data/",
    });
  });

  it("denies plain HTTP and TLS older than 1.2, then adds the caller's statements", async () => {
    const graph = await componentGraph(
      () =>
        new LakehouseBucket(
          "logs",
          args({
            accessLogs: "is-access-log-bucket",
            extraPolicyStatements: (arn) => [
              {
                Sid: "Extra",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: arn,
              },
            ],
          }),
        ),
    );
    expect(ofType(graph, "aws:s3/bucketLogging:BucketLogging")).to.deep.equal([]);
    const policy = jsonInput<{ Statement: unknown[] }>(
      resource(graph, "aws:s3/bucketPolicy:BucketPolicy", "logs-policy"),
      "policy",
    );
    const everything = ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"];
    expect(policy.Statement).to.deep.equal([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: everything,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyTlsOlderThan12",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: everything,
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
      {
        Sid: "Extra",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::logs",
      },
    ]);
  });

  it("renders prefix rules plus noncurrent-version expiry and multipart abort", () => {
    expect(
      renderLifecycleRules(
        args({
          lifecycleRules: [
            {
              id: "raw-ia",
              prefix: "raw/",
              transitions: [{ days: 90, storageClass: "STANDARD_IA" }],
              minObjectSizeBytes: 131072,
            },
            { id: "tmp", prefix: "_temporary/", expirationDays: 1 },
          ],
        }),
      ),
    ).to.deep.equal([
      {
        id: "raw-ia",
        status: "Enabled",
        filter: { and: { prefix: "raw/", objectSizeGreaterThan: 131072 } },
        transitions: [{ days: 90, storageClass: "STANDARD_IA" }],
      },
      { id: "tmp", status: "Enabled", filter: { prefix: "_temporary/" }, expiration: { days: 1 } },
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        expiration: { expiredObjectDeleteMarker: true },
      },
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
  });

  const refused: [string, Partial<LakehouseBucketArgs>, string][] = [
    [
      "an expiry under a live table prefix",
      { lifecycleRules: [{ id: "old-raw", prefix: "raw/orders/", expirationDays: 365 }] },
      'LakehouseBucket data: [lifecycleRules] rule "old-raw" expires objects under "raw/orders/", which overlaps the live Iceberg table prefix "raw/"; Iceberg removes its own files (expire_snapshots, remove_orphan_files): use noncurrent-version expiry instead',
    ],
    [
      "a whole-bucket expiry",
      { lifecycleRules: [{ id: "all", prefix: "", expirationDays: 30 }] },
      'LakehouseBucket data: [lifecycleRules] rule "all" expires objects under "", which overlaps the live Iceberg table prefix "raw/"; Iceberg removes its own files (expire_snapshots, remove_orphan_files): use noncurrent-version expiry instead',
    ],
    [
      "a GLACIER transition under a live table prefix (the seed's rule)",
      {
        lifecycleRules: [
          {
            id: "raw-data-lifecycle",
            prefix: "raw/",
            transitions: [
              { days: 90, storageClass: "STANDARD_IA" },
              { days: 365, storageClass: "GLACIER" },
            ],
          },
        ],
      },
      'LakehouseBucket data: [lifecycleRules] rule "raw-data-lifecycle" moves objects under "raw/" to GLACIER, which overlaps the live Iceberg table prefix "raw/"; queries cannot read archived files: accepted classes are STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR',
    ],
    [
      "a DEEP_ARCHIVE transition",
      {
        lifecycleRules: [
          { id: "cold", prefix: "curated/", transitions: [{ days: 180, storageClass: "DEEP_ARCHIVE" }] },
        ],
      },
      'LakehouseBucket data: [lifecycleRules] rule "cold" moves objects under "curated/" to DEEP_ARCHIVE, which overlaps the live Iceberg table prefix "curated/"; queries cannot read archived files: accepted classes are STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR',
    ],
    [
      "duplicate rule ids",
      {
        lifecycleRules: [
          { id: "x", prefix: "a/" },
          { id: "x", prefix: "b/" },
        ],
      },
      'LakehouseBucket data: [lifecycleRules] rule id "x" is used twice; ids must be unique',
    ],
    [
      "forceDestroy on a retained bucket",
      { forceDestroy: true },
      "LakehouseBucket data: [forceDestroy] true needs a stack that does not retain buckets on delete (preview)",
    ],
  ];
  for (const [label, override, message] of refused) {
    it(`refuses ${label}`, () => {
      expect(() => validateLakehouseBucketArgs("data", args(override))).to.throw(message);
    });
  }

  it("accepts expiry and GLACIER outside live table prefixes", () => {
    expect(() =>
      validateLakehouseBucketArgs(
        "data",
        args({
          lifecycleRules: [
            {
              id: "landing",
              prefix: "landing/",
              expirationDays: 30,
              transitions: [{ days: 7, storageClass: "GLACIER" }],
            },
          ],
        }),
      ),
    ).not.to.throw();
  });

  it("validates before creating anything", async () => {
    const graph = await componentGraph(() => {
      try {
        new LakehouseBucket("data", args({ lifecycleRules: [{ id: "all", prefix: "", expirationDays: 1 }] }));
      } catch {
        // expected: the refusal is asserted above
      }
    });
    expect(ofType(graph, "aws:s3/bucket:Bucket")).to.deep.equal([]);
  });
});
