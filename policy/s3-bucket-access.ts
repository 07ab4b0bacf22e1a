import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { validateBucketCompanions } from "./lib/bucket-companions";
import { asList, parsePolicyDocument, PolicyStatement, principalValues } from "./lib/iam-document";
import { S3_COMPANIONS } from "./lib/s3-types";
import { referencedResources, resourcesOf } from "./lib/stack-resources";

/** S3 rules of docs/security-baseline.md about how a bucket is reached: TLS, access logs, lifecycle. */

/** A Deny for every principal, of every S3 action, on the bucket and its objects. */
function deniesEverythingOnBucket(statement: PolicyStatement, bucketArn: unknown): boolean {
  const resources = asList(statement.Resource);
  const coversBucket =
    resources.includes("*") ||
    (typeof bucketArn === "string" && resources.includes(bucketArn) && resources.includes(`${bucketArn}/*`));
  return (
    statement.Effect === "Deny" &&
    principalValues(statement.Principal).includes("*") &&
    asList(statement.Action).some((action) => action === "*" || action.toLowerCase() === "s3:*") &&
    coversBucket
  );
}

/**
 * The values of the statement's one condition when it is exactly `operator` (or its IfExists form) on
 * `key`: a Deny applies only when all its conditions hold, so any further condition would narrow it.
 */
function soleConditionValues(statement: PolicyStatement, operator: string, key: string): string[] {
  const operators = Object.entries(statement.Condition ?? {});
  if (operators.length !== 1) {
    return [];
  }
  const [[name, keys]] = operators;
  const entries = Object.entries(keys ?? {});
  if (![operator, `${operator}IfExists`].includes(name) || entries.length !== 1 || entries[0][0] !== key) {
    return [];
  }
  return asList(entries[0][1]);
}

export const s3BucketTlsOnly: StackValidationPolicy = {
  name: "s3-bucket-tls-only",
  description:
    "Every S3 bucket's policy denies requests without TLS and with TLS older than 1.2 (Checkov CKV_AWS_379; AWS FSBP S3.5).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give the bucket an aws.s3.BucketPolicy with two Deny statements for Principal "*" of s3:* on the ' +
    'bucket and "<bucket>/*": one when aws:SecureTransport is "false", one when s3:TlsVersion is ' +
    "NumericLessThan 1.2, each with that one condition only (LakehouseBucket's bucketPolicy renders both).",
  validateStack: validateBucketCompanions({
    companion: S3_COMPANIONS.policy,
    missing: "bucket policy",
    problems: (companion, bucket) => {
      const document = parsePolicyDocument(companion.props.policy);
      if (document.error !== undefined) {
        return [`policy of bucket "${bucket.name}" ${document.error}`];
      }
      const denies = document.statements.filter((s) => deniesEverythingOnBucket(s, bucket.props.arn));
      const problems: string[] = [];
      if (!denies.some((s) => soleConditionValues(s, "Bool", "aws:SecureTransport").includes("false"))) {
        problems.push(
          `policy of bucket "${bucket.name}" does not deny requests made without TLS (aws:SecureTransport "false")`,
        );
      }
      const tlsFloors = denies
        .flatMap((s) => soleConditionValues(s, "NumericLessThan", "s3:TlsVersion"))
        .map(Number);
      if (!tlsFloors.some((version) => version >= 1.2)) {
        problems.push(
          `policy of bucket "${bucket.name}" does not deny TLS older than 1.2 (s3:TlsVersion NumericLessThan 1.2)`,
        );
      }
      return problems;
    },
  }),
};

/** Buckets that receive another bucket's server access logs. */
function accessLogBuckets(
  buckets: readonly PolicyResource[],
  all: readonly PolicyResource[],
): PolicyResource[] {
  return resourcesOf(all, S3_COMPANIONS.logging).flatMap((logging) => {
    const sources = referencedResources(logging, "bucket", buckets);
    return referencedResources(logging, "targetBucket", buckets).filter(
      (target) => !sources.includes(target),
    );
  });
}

export const s3BucketAccessLogging: StackValidationPolicy = {
  name: "s3-bucket-access-logging",
  description:
    "Every S3 bucket writes server access logs to a separate log bucket; a bucket that receives other " +
    "buckets' logs needs none itself (Checkov CKV_AWS_18; AWS FSBP S3.9).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the bucket an aws.s3.BucketLogging whose targetBucket is the stack's access-log bucket " +
    "(LakehouseBucket's accessLogs argument), never the bucket itself.",
  validateStack: validateBucketCompanions({
    companion: S3_COMPANIONS.logging,
    missing: "server access logging and receives no other bucket's logs",
    exempt: (bucket, buckets, all) => accessLogBuckets(buckets, all).includes(bucket),
    problems: (companion, bucket, buckets) =>
      referencedResources(companion, "targetBucket", buckets).includes(bucket)
        ? [`bucket "${bucket.name}" writes its access logs to itself`]
        : [],
  }),
};

/** A rule applies to the whole bucket when it filters on nothing (no prefix, tag or object size). */
function appliesToWholeBucket(rule: Record<string, unknown>): boolean {
  const filter = (rule.filter ?? {}) as Record<string, unknown>;
  const and = (filter.and ?? {}) as Record<string, unknown>;
  const narrowing = [
    rule.prefix,
    filter.prefix,
    filter.tag,
    filter.objectSizeGreaterThan,
    filter.objectSizeLessThan,
    and.prefix,
    and.tags,
    and.objectSizeGreaterThan,
    and.objectSizeLessThan,
  ];
  return narrowing.every((value) => value === undefined || value === null || value === "" || value === 0);
}

export const s3BucketAbortIncompleteUploads: StackValidationPolicy = {
  name: "s3-bucket-lifecycle-aborts-uploads",
  description:
    "Every S3 bucket has a lifecycle configuration with a whole-bucket rule that aborts incomplete " +
    "multipart uploads (Checkov CKV2_AWS_61, CKV_AWS_300; AWS FSBP S3.13).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the bucket an aws.s3.BucketLifecycleConfiguration with an enabled rule, filter {}, and " +
    "abortIncompleteMultipartUpload.daysAfterInitiation (LakehouseBucket adds it to every bucket).",
  validateStack: validateBucketCompanions({
    companion: S3_COMPANIONS.lifecycle,
    missing: "lifecycle configuration",
    problems: (companion, bucket) => {
      const rules = (companion.props.rules ?? []) as Record<string, unknown>[];
      const aborts = rules.some((rule) => {
        const abort = rule.abortIncompleteMultipartUpload as { daysAfterInitiation?: unknown } | undefined;
        return (
          rule.status === "Enabled" &&
          appliesToWholeBucket(rule) &&
          typeof abort?.daysAfterInitiation === "number"
        );
      });
      return aborts
        ? []
        : [
            `lifecycle of bucket "${bucket.name}" has no enabled whole-bucket rule that aborts incomplete multipart uploads`,
          ];
    },
  }),
};

export const S3_BUCKET_ACCESS_POLICIES = [
  s3BucketTlsOnly,
  s3BucketAccessLogging,
  s3BucketAbortIncompleteUploads,
];
