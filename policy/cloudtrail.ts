import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { lakehouseLocations } from "./lib/lakehouse-locations";
import { resourcesOf } from "./lib/stack-resources";

/** CloudTrail rules of docs/security-baseline.md, for the trail a stack creates. */

export const cloudTrailMultiRegion: ResourceValidationPolicy = {
  name: "cloudtrail-multi-region",
  description: "Every CloudTrail trail of the stack records all regions (Checkov CKV_AWS_67).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set isMultiRegionTrail: true.",
  validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, args, reportViolation) => {
    if (trail.isMultiRegionTrail !== true) {
      reportViolation(`trail "${args.name}" records one region only (isMultiRegionTrail is not true)`);
    }
  }),
};

export const cloudTrailLogFileValidation: ResourceValidationPolicy = {
  name: "cloudtrail-log-file-validation",
  description:
    "Every CloudTrail trail of the stack signs its log files so tampering shows (Checkov CKV_AWS_36).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set enableLogFileValidation: true.",
  validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, args, reportViolation) => {
    if (trail.enableLogFileValidation !== true) {
      reportViolation(
        `trail "${args.name}" does not validate its log files (enableLogFileValidation is not true)`,
      );
    }
  }),
};

export const cloudTrailKmsEncryption: ResourceValidationPolicy = {
  name: "cloudtrail-kms-encrypted",
  description: "Every CloudTrail trail of the stack encrypts its logs with a KMS key (Checkov CKV_AWS_35).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set kmsKeyId to the stack's key (whose policy lets cloudtrail.amazonaws.com use it).",
  validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, args, reportViolation) => {
    if ((trail.kmsKeyId ?? "") === "") {
      reportViolation(`trail "${args.name}" does not encrypt its logs with a KMS key (kmsKeyId)`);
    }
  }),
};

interface FieldSelector {
  field?: string;
  equals?: string[];
  startsWiths?: string[];
}

/** The S3 object ARN prefixes a trail records data events for ("" = every bucket), in either selector style. */
function recordedObjectPrefixes(trail: PolicyResource): string[] {
  const prefixes: string[] = [];
  for (const selector of (trail.props.advancedEventSelectors ?? []) as {
    fieldSelectors?: FieldSelector[];
  }[]) {
    const fields = selector.fieldSelectors ?? [];
    const has = (field: string, value: string) =>
      fields.some((f) => f.field === field && (f.equals ?? []).includes(value));
    if (has("eventCategory", "Data") && has("resources.type", "AWS::S3::Object")) {
      const arnFilter = fields.find((f) => f.field === "resources.ARN");
      prefixes.push(
        ...(arnFilter === undefined ? [""] : [...(arnFilter.startsWiths ?? []), ...(arnFilter.equals ?? [])]),
      );
    }
  }
  for (const selector of (trail.props.eventSelectors ?? []) as {
    dataResources?: { type?: string; values?: string[] }[];
  }[]) {
    for (const resource of selector.dataResources ?? []) {
      if (resource.type === "AWS::S3::Object") {
        prefixes.push(...(resource.values ?? []));
      }
    }
  }
  return prefixes;
}

export const cloudTrailLakehouseDataEvents: StackValidationPolicy = {
  name: "cloudtrail-lakehouse-data-events",
  description:
    "A CloudTrail trail of the stack records S3 object-level data events of every lakehouse data bucket " +
    "(the buckets of the Iceberg tables and of the Glue database), so every read and write of table files is audited.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add an advanced event selector with eventCategory "Data", resources.type "AWS::S3::Object" and ' +
    'resources.ARN startsWith "<data bucket ARN>/" (AuditTrail does).',
  validateStack: (args, reportViolation) => {
    const trails = resourcesOf(args.resources, aws.cloudtrail.Trail);
    if (trails.length === 0) {
      args.notApplicable("Policy only applies to stacks that create a CloudTrail trail");
    }
    const dataBuckets = new Set(lakehouseLocations(args.resources).map((location) => location.bucket));
    const recorded = trails.flatMap(recordedObjectPrefixes);
    for (const bucket of dataBuckets) {
      const objects = `${String(bucket.props.arn)}/`;
      if (!recorded.some((prefix) => objects.startsWith(prefix))) {
        reportViolation(
          `no trail of the stack records S3 data events of lakehouse data bucket "${bucket.name}"`,
          bucket.urn,
        );
      }
    }
  },
};

export const CLOUDTRAIL_POLICIES = [
  cloudTrailMultiRegion,
  cloudTrailLogFileValidation,
  cloudTrailKmsEncryption,
  cloudTrailLakehouseDataEvents,
];
