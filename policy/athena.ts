import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Athena rules of docs/security-baseline.md, on every workgroup. */

export const athenaWorkgroupResultsEncrypted: ResourceValidationPolicy = {
  name: "athena-workgroup-results-encrypted",
  description:
    "Every Athena workgroup encrypts query results with SSE_KMS and a key (Checkov CKV_AWS_159; AWS FSBP Athena.1).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set configuration.resultConfiguration.encryptionConfiguration to encryptionOption "SSE_KMS" with ' +
    "kmsKeyArn of the stack's key (AthenaWorkgroup does).",
  validateResource: validateResourceOfType(aws.athena.Workgroup, (workgroup, args, reportViolation) => {
    const encryption = workgroup.configuration?.resultConfiguration?.encryptionConfiguration;
    if (encryption?.encryptionOption !== "SSE_KMS" || (encryption.kmsKeyArn ?? "") === "") {
      reportViolation(
        `workgroup "${args.name}" encrypts query results with "${encryption?.encryptionOption ?? "nothing"}"; SSE_KMS with a key is required`,
      );
    }
  }),
};

export const athenaWorkgroupConfigurationEnforced: ResourceValidationPolicy = {
  name: "athena-workgroup-configuration-enforced",
  description:
    "Every Athena workgroup enforces its configuration, so clients cannot send results elsewhere or " +
    "unencrypted (Checkov CKV_AWS_82).",
  enforcementLevel: "mandatory",
  remediationSteps: "Leave configuration.enforceWorkgroupConfiguration true (its default).",
  validateResource: validateResourceOfType(aws.athena.Workgroup, (workgroup, args, reportViolation) => {
    if (workgroup.configuration?.enforceWorkgroupConfiguration === false) {
      reportViolation(
        `workgroup "${args.name}" lets clients override its configuration (enforceWorkgroupConfiguration false)`,
      );
    }
  }),
};

export const athenaWorkgroupCloudWatchMetrics: ResourceValidationPolicy = {
  name: "athena-workgroup-cloudwatch-metrics",
  description: "Every Athena workgroup publishes query metrics to CloudWatch (AWS FSBP Athena.4).",
  enforcementLevel: "mandatory",
  remediationSteps: "Leave configuration.publishCloudwatchMetricsEnabled true (its default).",
  validateResource: validateResourceOfType(aws.athena.Workgroup, (workgroup, args, reportViolation) => {
    if (workgroup.configuration?.publishCloudwatchMetricsEnabled === false) {
      reportViolation(
        `workgroup "${args.name}" publishes no CloudWatch metrics (publishCloudwatchMetricsEnabled false)`,
      );
    }
  }),
};

/** 1 TiB: above this a single query is a budget decision, not a default. */
export const DEFAULT_MAXIMUM_BYTES_SCANNED_CUTOFF = 1024 ** 4;

export const athenaWorkgroupBytesScannedCutoff: ResourceValidationPolicy = {
  name: "athena-workgroup-bytes-scanned-cutoff",
  description:
    "Every Athena workgroup cancels a query that scans more than a set number of bytes, no more than the " +
    "configured maximum (1 TiB by default): a runaway query cannot run up the bill.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set configuration.bytesScannedCutoffPerQuery (athena.bytesScannedCutoffPerQuery in the stack file).",
  configSchema: {
    properties: {
      maximumBytesScannedCutoffPerQuery: {
        type: "integer",
        minimum: 10485760,
        default: DEFAULT_MAXIMUM_BYTES_SCANNED_CUTOFF,
        description: "Largest per-query cutoff (bytes) accepted; Athena's minimum is 10 MB.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.athena.Workgroup, (workgroup, args, reportViolation) => {
    const maximum =
      args.getConfig<{ maximumBytesScannedCutoffPerQuery?: number }>().maximumBytesScannedCutoffPerQuery ??
      DEFAULT_MAXIMUM_BYTES_SCANNED_CUTOFF;
    const cutoff = workgroup.configuration?.bytesScannedCutoffPerQuery;
    if (cutoff === undefined) {
      reportViolation(`workgroup "${args.name}" has no per-query bytes-scanned cutoff`);
    } else if (cutoff > maximum) {
      reportViolation(
        `workgroup "${args.name}" allows ${cutoff} bytes per query; at most ${maximum} are accepted`,
      );
    }
  }),
};

export const ATHENA_POLICIES = [
  athenaWorkgroupResultsEncrypted,
  athenaWorkgroupConfigurationEnforced,
  athenaWorkgroupCloudWatchMetrics,
  athenaWorkgroupBytesScannedCutoff,
];
