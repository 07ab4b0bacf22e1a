import * as aws from "@pulumi/aws";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { S3_COMPANIONS } from "./lib/s3-types";

/**
 * The deprecated inline arguments of a bucket (@pulumi/aws v7 keeps them on `Bucket` and `BucketV2`).
 * Each duplicates a companion resource the baseline checks; both write the same S3 setting, so the
 * one applied last wins and the checked companion can be silently overridden. The pack therefore
 * refuses them, whatever their value, instead of judging two sources of one setting.
 */
const INLINE_SETTINGS: readonly string[] = [
  "acl",
  "grants",
  "policy",
  "serverSideEncryptionConfiguration",
  "serverSideEncryptionConfigurations",
  "versioning",
  "versionings",
  "logging",
  "loggings",
  "lifecycleRules",
  "website",
  "websites",
  "corsRules",
  "replicationConfiguration",
  "replicationConfigurations",
];

/** An argument counts as set unless absent or empty; `acl: "private"` is S3's own default. */
function isSet(key: string, value: unknown): boolean {
  if (value === undefined || value === null || value === "" || (key === "acl" && value === "private")) {
    return false;
  }
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  return typeof value !== "object" || Object.keys(value).length > 0;
}

function noInlineSettings(
  props: Record<string, unknown>,
  args: ResourceValidationArgs,
  report: ReportViolation,
) {
  const set = INLINE_SETTINGS.filter((key) => isSet(key, props[key]));
  if (set.length > 0) {
    report(`bucket "${args.name}" sets the deprecated inline argument(s) ${set.join(", ")}`);
  }
}

export const s3BucketNoInlineSettings: ResourceValidationPolicy = {
  name: "s3-bucket-no-inline-settings",
  description:
    "No S3 bucket sets the deprecated inline arguments (acl, grants, policy, encryption, versioning, logging, " +
    "lifecycle, website, CORS, replication): they write the same settings as the companion resources the " +
    "baseline checks, and whichever is applied last wins. No bucket serves a website.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare each setting as its companion resource (aws.s3.BucketServerSideEncryptionConfiguration, " +
    "BucketVersioning, BucketPolicy, BucketLogging, BucketLifecycleConfiguration, ...), as LakehouseBucket does; " +
    "serve content through a private bucket and IAM, not S3 website hosting.",
  validateResource: [
    validateResourceOfType(aws.s3.Bucket, noInlineSettings),
    validateResourceOfType(aws.s3.BucketV2, noInlineSettings),
    ...S3_COMPANIONS.website.map((website) =>
      validateResourceOfType(website, (_props: unknown, args, report) =>
        report(`website configuration "${args.name}" serves a bucket as a website`),
      ),
    ),
  ],
};
