import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { StackProblem, validateBucketCompanions, withStackProblems } from "./lib/bucket-companions";
import { BUCKET_CLASSES, S3_COMPANIONS } from "./lib/s3-types";
import { resourcesOf } from "./lib/stack-resources";

/** S3 rules of docs/security-baseline.md that every bucket meets through a companion resource. */

/** SSE-KMS, and DSSE-KMS (two layers of KMS encryption), which S3 Bucket Keys do not support. */
const SSE_KMS = "aws:kms";
const DSSE_KMS = "aws:kms:dsse";

interface EncryptionRule {
  readonly applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
  readonly bucketKeyEnabled?: boolean;
}

/** Objects the stack uploads with an explicit encryption other than KMS (the bucket default applies otherwise). */
function weaklyEncryptedObjects(resources: readonly PolicyResource[]): StackProblem[] {
  return resourcesOf(resources, [aws.s3.BucketObject, aws.s3.BucketObjectv2, aws.s3.ObjectCopy]).flatMap(
    (object) => {
      const algorithm = object.props.serverSideEncryption as string | undefined;
      return algorithm === undefined || algorithm === SSE_KMS || algorithm === DSSE_KMS
        ? []
        : [
            [
              `object "${object.name}" is stored with "${algorithm}"; SSE-KMS ("aws:kms") is required`,
              object.urn,
            ] as StackProblem,
          ];
    },
  );
}

const bucketEncryption = validateBucketCompanions({
  companion: S3_COMPANIONS.encryption,
  // Directory buckets (S3 Express One Zone) default to SSE-S3 and take the same encryption companion.
  buckets: [...BUCKET_CLASSES, aws.s3.DirectoryBucket],
  missing: "server-side encryption configuration",
  problems: (companion, { name: bucket }) => {
    const rules = (companion.props.rules ?? []) as EncryptionRule[];
    if (rules.length === 0) {
      return [`encryption of bucket "${bucket}" has no rule`];
    }
    return rules.flatMap((rule) => {
      const problems: string[] = [];
      const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
      const key = rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
      if (algorithm !== SSE_KMS && algorithm !== DSSE_KMS) {
        problems.push(
          `encryption of bucket "${bucket}" uses "${algorithm ?? "none"}"; SSE-KMS ("aws:kms") is required`,
        );
      } else if (key === undefined || key === "") {
        problems.push(`encryption of bucket "${bucket}" names no customer-managed KMS key (kmsMasterKeyId)`);
      }
      if (algorithm === SSE_KMS && rule.bucketKeyEnabled !== true) {
        problems.push(`encryption of bucket "${bucket}" has the S3 bucket key off (bucketKeyEnabled)`);
      }
      return problems;
    });
  },
});

export const s3BucketEncryption: StackValidationPolicy = {
  name: "s3-bucket-sse-kms",
  description:
    "Every S3 bucket is encrypted with SSE-KMS under a customer-managed key, bucket key on, and no object of " +
    "the stack asks for weaker encryption (Checkov CKV_AWS_19, CKV_AWS_145).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give the bucket an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", ' +
    "kmsMasterKeyId set to the stack's KMS key and bucketKeyEnabled true (LakehouseBucket does this); " +
    '"aws:kms:dsse" is accepted too (S3 Bucket Keys do not apply to it). That the key is the stack\'s own is ' +
    "checked by stack-owned-references.",
  validateStack: withStackProblems(weaklyEncryptedObjects, bucketEncryption),
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
    companion: S3_COMPANIONS.versioning,
    missing: "versioning configuration",
    problems: (companion, { name: bucket }) => {
      const status = (companion.props.versioningConfiguration as { status?: string } | undefined)?.status;
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

/** The flags of a public access block (its props, or an access point's block) that are not true. */
function flagsOff(block: Record<string, unknown> | undefined): string[] {
  return PUBLIC_ACCESS_FLAGS.filter((flag) => block?.[flag] !== true);
}

const bucketPublicAccessBlocks = validateBucketCompanions({
  companion: S3_COMPANIONS.publicAccessBlock,
  missing: "public access block",
  problems: (companion, { name: bucket }) => {
    const off = flagsOff(companion.props);
    return off.length === 0 ? [] : [`public access block of bucket "${bucket}" leaves ${off.join(", ")} off`];
  },
});

/** Settings beside the buckets' own blocks that open access: the account's block, access points' blocks. */
function otherPublicAccessProblems(resources: readonly PolicyResource[]): StackProblem[] {
  const account = resourcesOf(resources, aws.s3.AccountPublicAccessBlock).flatMap((block) => {
    const off = flagsOff(block.props);
    return off.length === 0
      ? []
      : [
          [`account public access block "${block.name}" leaves ${off.join(", ")} off`, block.urn] as [
            string,
            string,
          ],
        ];
  });
  const accessPoints = resourcesOf(resources, aws.s3.AccessPoint).flatMap((point) => {
    // An access point without the block gets all four flags on (S3's default).
    const block = point.props.publicAccessBlockConfiguration as Record<string, unknown> | undefined;
    const off = block === undefined ? [] : flagsOff(block);
    return off.length === 0
      ? []
      : [[`access point "${point.name}" leaves ${off.join(", ")} off`, point.urn] as StackProblem];
  });
  return [...account, ...accessPoints];
}

export const s3BucketPublicAccessBlock: StackValidationPolicy = {
  name: "s3-bucket-public-access-block",
  description:
    "Every S3 bucket blocks public access with all four public-access-block flags, and no account-level block " +
    "or access point of the stack turns one off (Checkov CKV2_AWS_6, CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, " +
    "CKV_AWS_56; AWS FSBP S3.8, S3.1).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the bucket an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, " +
    "ignorePublicAcls and restrictPublicBuckets all true (and the same in any account block or access point). " +
    "Share data through IAM roles, never publicly.",
  validateStack: withStackProblems(otherPublicAccessProblems, bucketPublicAccessBlocks),
};

const bucketOwnershipControls = validateBucketCompanions({
  companion: S3_COMPANIONS.ownership,
  missing: "ownership controls",
  problems: (companion, { name: bucket }) => {
    const ownership = (companion.props.rule as { objectOwnership?: string } | undefined)?.objectOwnership;
    return ownership === "BucketOwnerEnforced"
      ? []
      : [
          `object ownership of bucket "${bucket}" is "${ownership ?? "unset"}"; ACLs stay enabled unless it is "BucketOwnerEnforced"`,
        ];
  },
});

/** Canned ACLs that give no one but the owner access. */
const PRIVATE_ACLS = ["private", "bucket-owner-full-control"];

/** ACLs granted by the stack: bucket ACL resources and object ACLs other than private. */
function aclGrants(resources: readonly PolicyResource[]): StackProblem[] {
  const acls = resourcesOf(resources, S3_COMPANIONS.acl).flatMap((acl) => {
    const canned = acl.props.acl as string | undefined;
    const grants = ((acl.props.accessControlPolicy as { grants?: unknown[] } | undefined)?.grants ?? [])
      .length;
    const what =
      canned !== undefined && !PRIVATE_ACLS.includes(canned)
        ? `"${canned}"`
        : grants > 0
          ? `${grants} grant(s)`
          : "";
    return what === ""
      ? []
      : [[`bucket ACL "${acl.name}" grants access by ACL (${what})`, acl.urn] as StackProblem];
  });
  const objects = resourcesOf(resources, [
    aws.s3.BucketObject,
    aws.s3.BucketObjectv2,
    aws.s3.ObjectCopy,
  ]).flatMap((object) => {
    const canned = object.props.acl as string | undefined;
    return canned === undefined || PRIVATE_ACLS.includes(canned)
      ? []
      : [[`object "${object.name}" has ACL "${canned}"`, object.urn] as StackProblem];
  });
  return [...acls, ...objects];
}

export const s3BucketOwnershipEnforced: StackValidationPolicy = {
  name: "s3-bucket-acls-disabled",
  description:
    "Every S3 bucket has object ownership BucketOwnerEnforced, which disables ACLs, and the stack grants no " +
    "access by ACL (bucket ACL resources, object ACLs) (Checkov CKV2_AWS_65; AWS FSBP S3.12).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give the bucket an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced" ' +
    "and grant access with bucket and IAM policies, not ACLs (no aws.s3.BucketAcl, no acl on objects).",
  validateStack: withStackProblems(aclGrants, bucketOwnershipControls),
};

export const S3_BUCKET_BASELINE_POLICIES = [
  s3BucketEncryption,
  s3BucketVersioning,
  s3BucketPublicAccessBlock,
  s3BucketOwnershipEnforced,
];
