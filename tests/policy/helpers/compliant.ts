import { ResourceRecord } from "../../../offline/resource-graph";
import { FixtureStack } from "./fixture-stack";

/** Building blocks for fixtures: resources that meet every rule, which a test then breaks in one place. */

export type BucketCompanion =
  "encryption" | "versioning" | "publicAccessBlock" | "ownership" | "policy" | "logging" | "lifecycle";

const COMPANION_TYPES: Record<BucketCompanion, string> = {
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
};

/** The deprecated `*V2` companion types, for buckets declared the old way (`v2: true`). */
const V2_COMPANION_TYPES: Partial<Record<BucketCompanion, string>> = {
  encryption: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  versioning: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  logging: "aws:s3/bucketLoggingV2:BucketLoggingV2",
  lifecycle: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
};

export const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/fixture";

/** The two Deny statements of a TLS-only bucket policy. */
export function tlsOnlyStatements(bucketArn: string): Record<string, unknown>[] {
  const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`] };
  return [
    { Sid: "DenyInsecureTransport", ...deny, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    { Sid: "DenyTlsOlderThan12", ...deny, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
  ];
}

export const ABORT_UPLOADS_RULE = {
  id: "abort-incomplete-multipart-uploads",
  status: "Enabled",
  filter: {},
  abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};

export interface BucketFixtureOptions {
  readonly provider?: ResourceRecord;
  /** The bucket receiving this bucket's access logs; without it the bucket gets no logging companion. */
  readonly logTarget?: ResourceRecord;
  readonly omit?: readonly BucketCompanion[];
  /** Replaces a companion's inputs (its `bucket` input is always set). */
  readonly inputs?: Partial<Record<BucketCompanion, Record<string, unknown>>>;
  readonly bucketInputs?: Record<string, unknown>;
  readonly protect?: boolean;
  readonly deleteBeforeReplace?: boolean;
  /** Declare it as `aws.s3.BucketV2` with the `*V2` companions. @default false */
  readonly v2?: boolean;
}

/** A bucket with all seven companions configured as the baseline wants, each named `<bucket>-<companion>`. */
export function addBucket(f: FixtureStack, name: string, options: BucketFixtureOptions = {}): ResourceRecord {
  const provider = options.provider;
  const bucketType = options.v2 === true ? "aws:s3/bucketV2:BucketV2" : "aws:s3/bucket:Bucket";
  const bucket = f.add(bucketType, name, options.bucketInputs ?? { forceDestroy: false }, {
    provider,
    protect: options.protect,
    deleteBeforeReplace: options.deleteBeforeReplace,
  });
  const arn = `arn:aws:s3:::${name}`;
  const defaults: Record<BucketCompanion, Record<string, unknown>> = {
    encryption: {
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
          bucketKeyEnabled: true,
        },
      ],
    },
    versioning: { versioningConfiguration: { status: "Enabled" } },
    publicAccessBlock: {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    ownership: { rule: { objectOwnership: "BucketOwnerEnforced" } },
    policy: { policy: JSON.stringify({ Version: "2012-10-17", Statement: tlsOnlyStatements(arn) }) },
    logging: { targetBucket: options.logTarget?.name, targetPrefix: `${name}/` },
    lifecycle: { rules: [ABORT_UPLOADS_RULE] },
  };
  for (const companion of Object.keys(COMPANION_TYPES) as BucketCompanion[]) {
    if (options.omit?.includes(companion) || (companion === "logging" && options.logTarget === undefined)) {
      continue;
    }
    const refs: Record<string, ResourceRecord> =
      companion === "logging" && options.logTarget !== undefined
        ? { bucket, targetBucket: options.logTarget }
        : { bucket };
    f.add(
      (options.v2 === true ? V2_COMPANION_TYPES[companion] : undefined) ?? COMPANION_TYPES[companion],
      `${name}-${companion}`,
      { bucket: name, ...(options.inputs?.[companion] ?? defaults[companion]) },
      { provider, refs },
    );
  }
  return bucket;
}

/** A log bucket and a data bucket logging to it, both compliant unless `data` says otherwise. */
export function logAndDataBuckets(data: BucketFixtureOptions = {}): {
  f: FixtureStack;
  logs: ResourceRecord;
} {
  const f = new FixtureStack();
  const provider = f.awsProvider("dev");
  const logs = addBucket(f, "logs", { provider });
  addBucket(f, "data", { provider, logTarget: logs, ...data });
  return { f, logs };
}

/** A policy document string from statements. */
export function policyJson(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
