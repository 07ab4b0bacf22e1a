import * as aws from "@pulumi/aws";
import {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  validateResourceOfType,
} from "@pulumi/policy";
import { ResourceClass } from "./stack-resources";

/**
 * The S3 resource classes the rules read, old and new names together: @pulumi/aws v7 keeps the
 * deprecated `BucketV2` and the `*V2` companions as their own types, and a bucket declared with them
 * must meet the same rules as one declared with `Bucket` and its companions.
 */
export const BUCKET_CLASSES: readonly ResourceClass[] = [aws.s3.Bucket, aws.s3.BucketV2];

export const S3_COMPANIONS = {
  encryption: [
    aws.s3.BucketServerSideEncryptionConfiguration,
    aws.s3.BucketServerSideEncryptionConfigurationV2,
  ],
  versioning: [aws.s3.BucketVersioning, aws.s3.BucketVersioningV2],
  lifecycle: [aws.s3.BucketLifecycleConfiguration, aws.s3.BucketLifecycleConfigurationV2],
  logging: [aws.s3.BucketLogging, aws.s3.BucketLoggingV2],
  acl: [aws.s3.BucketAcl, aws.s3.BucketAclV2],
  policy: [aws.s3.BucketPolicy],
  publicAccessBlock: [aws.s3.BucketPublicAccessBlock],
  ownership: [aws.s3.BucketOwnershipControls],
  tiering: [aws.s3.BucketIntelligentTieringConfiguration],
  website: [aws.s3.BucketWebsiteConfiguration, aws.s3.BucketWebsiteConfigurationV2],
} as const satisfies Record<string, readonly ResourceClass[]>;

/** Every companion class: each names its bucket in a `bucket` input. */
export const ALL_BUCKET_COMPANIONS: readonly ResourceClass[] = Object.values(S3_COMPANIONS).flat();

/** Every kind of bucket that holds data: general purpose (both names) and directory buckets. */
const DATA_HOLDING_BUCKETS = [aws.s3.Bucket, aws.s3.BucketV2, aws.s3.DirectoryBucket] as const;

/** One validation per bucket class, all running `validate` (their props share what the rules read). */
export function validateEveryBucket(
  validate: (
    props: { forceDestroy?: boolean },
    args: ResourceValidationArgs,
    report: ReportViolation,
  ) => void,
): ResourceValidation[] {
  return DATA_HOLDING_BUCKETS.map((bucketClass) =>
    validateResourceOfType(bucketClass as typeof aws.s3.Bucket, validate),
  );
}
