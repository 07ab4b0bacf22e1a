import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** SNS: the failure alerts carry job names and error text. */

export const snsTopicEncrypted: ResourceValidationPolicy = {
  name: "sns-topic-encrypted",
  description:
    "Every SNS topic of the stack encrypts its messages with a KMS key (Checkov CKV_AWS_26; AWS FSBP SNS.1).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set kmsMasterKeyId to the stack's key (LakehousePipeline's alert topic does).",
  validateResource: validateResourceOfType(aws.sns.Topic, (topic, args, reportViolation) => {
    if ((topic.kmsMasterKeyId ?? "") === "") {
      reportViolation(`topic "${args.name}" does not encrypt its messages with a KMS key (kmsMasterKeyId)`);
    }
  }),
};
