import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyStatement } from "./iam-documents";
import { StatefulOptions } from "./stateful-options";

/** Storage classes a rule may move objects to. GLACIER and DEEP_ARCHIVE cannot be read instantly. */
export type StorageClass = "STANDARD_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

/** Storage classes whose objects a query cannot read without a restore first. */
export const ARCHIVE_STORAGE_CLASSES: readonly StorageClass[] = ["GLACIER", "DEEP_ARCHIVE"];

/** A lifecycle rule on one prefix, in our own small vocabulary (the component renders the S3 form). */
export interface PrefixLifecycleRule {
  readonly id: string;
  readonly prefix: string;
  readonly transitions?: readonly { readonly days: number; readonly storageClass: StorageClass }[];
  readonly expirationDays?: number;
  /**
   * Only objects larger than this move: STANDARD_IA bills objects under 128 KiB as 128 KiB, and the
   * small files of a table (Iceberg metadata, manifests) are the ones read on every query.
   */
  readonly minObjectSizeBytes?: number;
}

export interface LakehouseBucketArgs {
  /** What the bucket holds (used in the access-log prefix), e.g. `data`. */
  readonly purpose: string;
  /** Customer-managed key for SSE-KMS; the bucket key is always on (fewer KMS calls, lower cost). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Where server access logs go. Only the access-log bucket itself has none. */
  readonly accessLogs: { readonly bucket: pulumi.Input<string> } | "is-access-log-bucket";
  /** Prefix rules; validated against `liveTablePrefixes`. */
  readonly lifecycleRules: readonly PrefixLifecycleRule[];
  /**
   * Prefixes that hold live Iceberg tables: no rule may expire objects there or archive them.
   * @default []
   */
  readonly liveTablePrefixes?: readonly string[];
  /** Days a deleted or overwritten object version stays recoverable. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days before an unfinished multipart upload is aborted. */
  readonly abortIncompleteUploadsAfterDays: number;
  /** Statements added to the TLS-only bucket policy (log delivery, CloudTrail), given the bucket ARN. @default none */
  readonly extraPolicyStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
  /** Delete all objects when the bucket is deleted. Only preview stacks allow it. @default false */
  readonly forceDestroy?: boolean;
  readonly stateful: StatefulOptions;
}

/** The exported validation, run before any child exists; throws naming the argument. */
export function validateLakehouseBucketArgs(name: string, args: LakehouseBucketArgs): void {
  const livePrefixes = args.liveTablePrefixes ?? [];
  const ids = new Set<string>();
  for (const rule of args.lifecycleRules) {
    if (ids.has(rule.id)) {
      throw new Error(
        `LakehouseBucket ${name}: [lifecycleRules] rule id "${rule.id}" is used twice; ids must be unique`,
      );
    }
    ids.add(rule.id);
    const live = livePrefixes.find(
      (prefix) => rule.prefix.startsWith(prefix) || prefix.startsWith(rule.prefix),
    );
    if (live === undefined) {
      continue;
    }
    if (rule.expirationDays !== undefined) {
      throw new Error(
        `LakehouseBucket ${name}: [lifecycleRules] rule "${rule.id}" expires objects under "${rule.prefix}", which ` +
          `overlaps the live Iceberg table prefix "${live}"; Iceberg removes its own files (expire_snapshots, ` +
          `remove_orphan_files): use noncurrent-version expiry instead`,
      );
    }
    const archive = rule.transitions?.find((t) => ARCHIVE_STORAGE_CLASSES.includes(t.storageClass));
    if (archive !== undefined) {
      throw new Error(
        `LakehouseBucket ${name}: [lifecycleRules] rule "${rule.id}" moves objects under "${rule.prefix}" to ` +
          `${archive.storageClass}, which overlaps the live Iceberg table prefix "${live}"; queries cannot read ` +
          `archived files: accepted classes are STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR`,
      );
    }
  }
  if (args.forceDestroy === true && args.stateful.retainOnDelete) {
    throw new Error(
      `LakehouseBucket ${name}: [forceDestroy] true needs a stack that does not retain buckets on delete (preview)`,
    );
  }
}

/**
 * An S3 bucket as the baseline wants every bucket: SSE-KMS with a bucket key, versioning, all four
 * public-access blocks, ACLs disabled, a policy that denies plain HTTP and TLS < 1.2, access logging,
 * and a lifecycle that never expires or archives live Iceberg data.
 */
export class LakehouseBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: LakehouseBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:storage:LakehouseBucket", name, {}, opts);
    validateLakehouseBucketArgs(name, args);
    // A retained bucket keeps its safeguards too: deleting these would drop the TLS-only policy and the
    // KMS default encryption and suspend versioning on a bucket that still holds the data.
    const parent = { parent: this, retainOnDelete: args.stateful.retainOnDelete };

    this.bucket = new aws.s3.Bucket(
      name,
      { forceDestroy: args.forceDestroy ?? false },
      { ...parent, protect: args.stateful.protect },
    );
    const bucket = this.bucket.id;

    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket, rules: renderLifecycleRules(args) },
      // S3 evaluates noncurrent-version rules against the versioning state: configure versioning first.
      { ...parent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket, policy: bucketPolicy(this.bucket.arn, args.extraPolicyStatements?.(this.bucket.arn) ?? []) },
      { ...parent, dependsOn: [publicAccessBlock] },
    );
    if (args.accessLogs !== "is-access-log-bucket") {
      new aws.s3.BucketLogging(
        `${name}-logging`,
        { bucket, targetBucket: args.accessLogs.bucket, targetPrefix: `${args.purpose}/` },
        parent,
      );
    }

    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}

/** The S3 lifecycle rules: the caller's prefix rules plus the two every bucket gets. */
export function renderLifecycleRules(
  args: LakehouseBucketArgs,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const prefixRules = args.lifecycleRules.map((rule) => ({
    id: rule.id,
    status: "Enabled",
    filter:
      rule.minObjectSizeBytes === undefined
        ? { prefix: rule.prefix }
        : { and: { prefix: rule.prefix, objectSizeGreaterThan: rule.minObjectSizeBytes } },
    ...(rule.transitions === undefined
      ? {}
      : { transitions: rule.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })) }),
    ...(rule.expirationDays === undefined ? {} : { expiration: { days: rule.expirationDays } }),
  }));
  return [
    ...prefixRules,
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpirationDays },
      expiration: { expiredObjectDeleteMarker: true },
    },
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteUploadsAfterDays },
    },
  ];
}

/** Denies any request over plain HTTP or TLS older than 1.2, plus the caller's statements. */
export function bucketPolicy(
  bucketArn: pulumi.Input<string>,
  extraStatements: readonly PolicyStatement[],
): pulumi.Output<string> {
  const everything = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
  return policyDocument([
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
    ...extraStatements,
  ]);
}
