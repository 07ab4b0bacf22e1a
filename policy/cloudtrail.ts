import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { lakehouseLocations } from "./lib/lakehouse-locations";
import { PREVIEW, stackEnvironment } from "./lib/stack-environment";
import { resourcesOf } from "./lib/stack-resources";

/** CloudTrail rules of docs/security-baseline.md, for the trail a stack creates. */

/**
 * Whether a trail records every management event, read and write: with no selector at all (CloudTrail's
 * default), a basic selector with management events and readWriteType All, or an advanced selector on
 * eventCategory Management with no further filter.
 */
function recordsAllManagementEvents(trail: aws.cloudtrail.TrailArgs): boolean {
  const advanced = (trail.advancedEventSelectors ?? []) as { fieldSelectors?: FieldSelector[] }[];
  const basic = (trail.eventSelectors ?? []) as {
    includeManagementEvents?: boolean;
    readWriteType?: string;
  }[];
  if (advanced.length === 0 && basic.length === 0) {
    return true;
  }
  return (
    advanced.some((selector) => {
      const fields = selector.fieldSelectors ?? [];
      return (
        fields.length === 1 &&
        fields[0].field === "eventCategory" &&
        (fields[0].equals ?? []).includes("Management")
      );
    }) || basic.some((s) => s.includeManagementEvents !== false && (s.readWriteType ?? "All") === "All")
  );
}

export const cloudTrailMultiRegion: ResourceValidationPolicy = {
  name: "cloudtrail-multi-region",
  description:
    "Every CloudTrail trail of the stack records all regions and every management event, read and write " +
    "(Checkov CKV_AWS_67; AWS FSBP CloudTrail.1).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set isMultiRegionTrail: true and keep an advanced event selector on eventCategory "Management" without ' +
    "further filters (AuditTrail does).",
  validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, args, reportViolation) => {
    if (trail.isMultiRegionTrail !== true) {
      reportViolation(`trail "${args.name}" records one region only (isMultiRegionTrail is not true)`);
    }
    if (!recordsAllManagementEvents(trail)) {
      reportViolation(`trail "${args.name}" does not record every management event (read and write)`);
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
  [operator: string]: unknown;
}

/** What one selector records of S3 object events: under which ARN prefixes, reads and/or writes. */
interface Recorded {
  readonly prefixes: readonly string[];
  readonly reads: boolean;
  readonly writes: boolean;
}

/** Fields an object-event selector may filter on and still record every read or write under its prefixes. */
const WHOLE_FIELDS = ["eventCategory", "resources.type", "resources.ARN", "readOnly"];

function advancedSelectorRecords(fields: readonly FieldSelector[]): Recorded | undefined {
  const has = (field: string, value: string) =>
    fields.some((f) => f.field === field && (f.equals ?? []).includes(value));
  if (!has("eventCategory", "Data") || !has("resources.type", "AWS::S3::Object")) {
    return undefined;
  }
  const narrowing = fields.some(
    (f) =>
      !WHOLE_FIELDS.includes(f.field ?? "") ||
      Object.keys(f).some((key) => !["field", "equals", "startsWiths"].includes(key) && f[key] !== undefined),
  );
  if (narrowing) {
    return undefined; // e.g. eventName, userIdentity.arn, notStartsWith: some events go unrecorded
  }
  const arn = fields.find((f) => f.field === "resources.ARN");
  const readOnly = fields.find((f) => f.field === "readOnly")?.equals ?? ["true", "false"];
  return {
    prefixes: arn === undefined ? [""] : [...(arn.startsWiths ?? []), ...(arn.equals ?? [])],
    reads: readOnly.includes("true"),
    writes: readOnly.includes("false"),
  };
}

/** What a trail records of S3 object events, in either selector style; nothing when it is stopped. */
function recordedObjectEvents(trail: PolicyResource): Recorded[] {
  if (trail.props.enableLogging === false) {
    return [];
  }
  const advanced = (
    (trail.props.advancedEventSelectors ?? []) as { fieldSelectors?: FieldSelector[] }[]
  ).flatMap((selector) => advancedSelectorRecords(selector.fieldSelectors ?? []) ?? []);
  const basic = (
    (trail.props.eventSelectors ?? []) as {
      readWriteType?: string;
      dataResources?: { type?: string; values?: string[] }[];
    }[]
  ).flatMap((selector) =>
    (selector.dataResources ?? [])
      .filter((resource) => resource.type === "AWS::S3::Object")
      .map((resource) => ({
        prefixes: resource.values ?? [],
        reads: (selector.readWriteType ?? "All") !== "WriteOnly",
        writes: (selector.readWriteType ?? "All") !== "ReadOnly",
      })),
  );
  return [...advanced, ...basic];
}

interface DataEventsConfig {
  readonly recordedOutsideStack?: boolean;
}

export const cloudTrailLakehouseDataEvents: StackValidationPolicy = {
  name: "cloudtrail-lakehouse-data-events",
  description:
    "A logging CloudTrail trail of the stack records every S3 object-level read and write (no read-only, " +
    "write-only or event-name filter) of every lakehouse data bucket (the buckets of the Iceberg tables and " +
    "of the Glue database). A stack with data buckets and no such trail fails unless the policy config says " +
    "an organization trail records them; preview environments are exempt.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add an advanced event selector with eventCategory "Data", resources.type "AWS::S3::Object" and ' +
    'resources.ARN startsWith "<data bucket ARN>/", without readOnly (AuditTrail does). With audit.trail ' +
    '"organization" in the stack file, set recordedOutsideStack in the policy config.',
  configSchema: {
    properties: {
      recordedOutsideStack: {
        type: "boolean",
        default: false,
        description:
          "An organization trail outside the stack records the data buckets' object events (audit.trail: organization).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const trails = resourcesOf(args.resources, aws.cloudtrail.Trail);
    const dataBuckets = new Set(lakehouseLocations(args.resources).map((location) => location.bucket));
    if (dataBuckets.size === 0) {
      args.notApplicable("Policy only applies to stacks with lakehouse data buckets");
    }
    if (trails.length === 0 && stackEnvironment(args.resources) === PREVIEW) {
      args.notApplicable("Preview environments rely on their account's trail");
    }
    if (trails.length === 0 && args.getConfig<DataEventsConfig>().recordedOutsideStack === true) {
      args.notApplicable("The policy config says a trail outside the stack records the data buckets");
    }
    const recorded = trails.flatMap(recordedObjectEvents);
    for (const bucket of dataBuckets) {
      const objects = `${String(bucket.props.arn)}/`;
      const covering = recorded.filter((r) => r.prefixes.some((prefix) => objects.startsWith(prefix)));
      const missing = [
        ...(covering.some((r) => r.reads) ? [] : ["reads"]),
        ...(covering.some((r) => r.writes) ? [] : ["writes"]),
      ];
      if (missing.length === 2) {
        reportViolation(
          `no trail of the stack records S3 data events of lakehouse data bucket "${bucket.name}"`,
          bucket.urn,
        );
      } else if (missing.length === 1) {
        reportViolation(
          `no trail of the stack records the S3 object ${missing[0]} of lakehouse data bucket "${bucket.name}"`,
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
