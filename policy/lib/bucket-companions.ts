import { PolicyResource, StackValidation } from "@pulumi/policy";
import { BUCKET_CLASSES } from "./s3-types";
import { companionsOf, ResourceClass, resourcesOf } from "./stack-resources";

/**
 * With @pulumi/aws v7 a bucket's settings live in companion resources (encryption, versioning, public
 * access block, ...). Whether *every* bucket has a compliant one is a question about the stack, so
 * these rules are stack policies: a bucket without the companion is reported on the bucket, a
 * companion with a wrong setting on the companion.
 */
export interface BucketCompanionRule {
  /** The companion resource classes, e.g. `aws.s3.BucketVersioning` and `aws.s3.BucketVersioningV2`. */
  readonly companion: readonly ResourceClass[];
  /** How the missing companion is named in the message, e.g. `versioning configuration`. */
  readonly missing: string;
  /** The problems of one companion of `bucket`, as violation messages (none: compliant). */
  readonly problems: (
    companion: PolicyResource,
    bucket: PolicyResource,
    buckets: readonly PolicyResource[],
  ) => string[];
  /** The bucket classes the rule covers. @default BUCKET_CLASSES (general purpose buckets) */
  readonly buckets?: readonly ResourceClass[];
  /** Buckets that need no such companion (e.g. the access-log bucket needs no access logging). */
  readonly exempt?: (
    bucket: PolicyResource,
    buckets: readonly PolicyResource[],
    all: readonly PolicyResource[],
  ) => boolean;
}

export function validateBucketCompanions(rule: BucketCompanionRule): StackValidation {
  return (args, reportViolation) => {
    const buckets = resourcesOf(args.resources, rule.buckets ?? BUCKET_CLASSES);
    if (buckets.length === 0) {
      args.notApplicable("Policy only applies to stacks with S3 buckets");
    }
    const companions = resourcesOf(args.resources, rule.companion);
    for (const bucket of buckets) {
      const own = companionsOf(bucket, companions, buckets);
      if (own.length === 0) {
        if (rule.exempt?.(bucket, buckets, args.resources) !== true) {
          reportViolation(`bucket "${bucket.name}" has no ${rule.missing}`, bucket.urn);
        }
        continue;
      }
      for (const companion of own) {
        for (const problem of rule.problems(companion, bucket, buckets)) {
          reportViolation(problem, companion.urn);
        }
      }
    }
  };
}

/** A problem found outside the bucket companions: its message and the URN it is reported on. */
export type StackProblem = readonly [message: string, urn: string];

/** A stack validation: the given problems first, then the companion rule's own. */
export function withStackProblems(
  problems: (resources: readonly PolicyResource[]) => readonly StackProblem[],
  companions: StackValidation,
): StackValidation {
  return async (args, reportViolation) => {
    for (const [message, urn] of problems(args.resources)) {
      reportViolation(message, urn);
    }
    await companions(args, reportViolation);
  };
}
