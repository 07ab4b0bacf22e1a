import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** CloudWatch Logs: what the stack's log groups keep, and how. */

export const cloudWatchLogGroupEncrypted: ResourceValidationPolicy = {
  name: "cloudwatch-log-group-encrypted",
  description:
    "Every CloudWatch log group of the stack is encrypted with a KMS key and has a retention period: execution " +
    "logs hold data (Checkov CKV_AWS_158, CKV_AWS_66).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set kmsKeyId to the stack's key (whose policy lets logs.<region>.amazonaws.com use it) and retentionInDays " +
    "(logs.retentionDays in the stack file), as LakehousePipeline does.",
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, reportViolation) => {
    if ((group.kmsKeyId ?? "") === "") {
      reportViolation(`log group "${args.name}" is not encrypted with a KMS key (kmsKeyId)`);
    }
    if ((group.retentionInDays ?? 0) <= 0) {
      reportViolation(`log group "${args.name}" keeps its logs forever (no retentionInDays)`);
    }
  }),
};
