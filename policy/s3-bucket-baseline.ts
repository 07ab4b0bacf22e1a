import * as aws from "@pulumi/aws";
import { StackValidationPolicy } from "@pulumi/policy";
import { validateBucketCompanions } from "./lib/bucket-companions";

/** S3 rules of docs/security-baseline.md that every bucket meets through a companion resource. */

/** S3 server-side encryption algorithms that use a KMS key. */
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
/** The AWS-managed S3 key: encrypts, but its policy cannot be controlled (not a customer-managed key). */
const AWS_MANAGED_S3_KEY = "alias/aws/s3";

export const s3BucketEncryption: StackValidationPolicy = {
  name: "s3-bucket-sse-kms",
  description:
    "Every S3 bucket is encrypted with SSE-KMS under a customer-managed key, bucket key on (Checkov CKV_AWS_19, CKV_AWS_145).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give the bucket an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", ' +
    "kmsMasterKeyId set to the stack's KMS key and bucketKeyEnabled true (LakehouseBucket does this).",
  validateStack: validateBucketCompanions({
    companion: aws.s3.BucketServerSideEncryptionConfiguration,
    missing: "server-side encryption configuration",
    problems: (companion, { name: bucket }) => {
      const rules = companion.asType(aws.s3.BucketServerSideEncryptionConfiguration)?.rules ?? [];
      if (rules.length === 0) {
        return [`encryption of bucket "${bucket}" has no rule`];
      }
      return rules.flatMap((rule) => {
        const problems: string[] = [];
        const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
        const key = rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
        if (algorithm === undefined || !KMS_ALGORITHMS.includes(algorithm)) {
          problems.push(
            `encryption of bucket "${bucket}" uses "${algorithm ?? "none"}"; SSE-KMS ("aws:kms") is required`,
          );
        } else if (key === undefined || key === "" || key === AWS_MANAGED_S3_KEY) {
          problems.push(
            `encryption of bucket "${bucket}" names no customer-managed KMS key (kmsMasterKeyId)`,
          );
        }
        if (rule.bucketKeyEnabled !== true) {
          problems.push(`encryption of bucket "${bucket}" has the S3 bucket key off (bucketKeyEnabled)`);
        }
        return problems;
      });
    },
  }),
};

export const s3BucketVersioning: StackValidationPolicy = {
  name: "s3-bucket-versioning",
  description:
    "Every S3 bucket has versioning enabled, so an overwrite or delete can be undone (Checkov CKV_AWS_21).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give the bucket an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled"; expire ' +
    "old versions with a noncurrent-version lifecycle rule instead of turning versioning off.",
  validateStack: validateBucketCompanions({
    companion: aws.s3.BucketVersioning,
    missing: "versioning configuration",
    problems: (companion, { name: bucket }) => {
      const status = companion.asType(aws.s3.BucketVersioning)?.versioningConfiguration?.status;
      return status === "Enabled"
        ? []
        : [`versioning of bucket "${bucket}" is "${status ?? "unset"}"; it must be "Enabled"`];
    },
  }),
};

/** The four flags, in the order S3 documents them. */
const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

export const s3BucketPublicAccessBlock: StackValidationPolicy = {
  name: "s3-bucket-public-access-block",
  description:
    "Every S3 bucket blocks public access with all four public-access-block flags " +
    "(Checkov CKV2_AWS_6, CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56; AWS FSBP S3.8).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the bucket an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, " +
    "ignorePublicAcls and restrictPublicBuckets all true. Share data through IAM roles, never publicly.",
  validateStack: validateBucketCompanions({
    companion: aws.s3.BucketPublicAccessBlock,
    missing: "public access block",
    problems: (companion, { name: bucket }) => {
      const block = companion.asType(aws.s3.BucketPublicAccessBlock);
      const off = PUBLIC_ACCESS_FLAGS.filter((flag) => block?.[flag] !== true);
      return off.length === 0
        ? []
        : [`public access block of bucket "${bucket}" leaves ${off.join(", ")} off`];
    },
  }),
};

export const s3BucketOwnershipEnforced: StackValidationPolicy = {
  name: "s3-bucket-acls-disabled",
  description:
    "Every S3 bucket has object ownership BucketOwnerEnforced, which disables ACLs (Checkov CKV2_AWS_65; AWS FSBP S3.12).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give the bucket an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced" ' +
    "and grant access with bucket and IAM policies, not ACLs.",
  validateStack: validateBucketCompanions({
    companion: aws.s3.BucketOwnershipControls,
    missing: "ownership controls",
    problems: (companion, { name: bucket }) => {
      const ownership = companion.asType(aws.s3.BucketOwnershipControls)?.rule?.objectOwnership;
      return ownership === "BucketOwnerEnforced"
        ? []
        : [
            `object ownership of bucket "${bucket}" is "${ownership ?? "unset"}"; ACLs stay enabled unless it is "BucketOwnerEnforced"`,
          ];
    },
  }),
};

export const S3_BUCKET_BASELINE_POLICIES = [
  s3BucketEncryption,
  s3BucketVersioning,
  s3BucketPublicAccessBlock,
  s3BucketOwnershipEnforced,
];
