import { PolicyPackArgs } from "@pulumi/policy";
import { ACCOUNT_SETTINGS_POLICIES } from "./account-settings";
import { ATHENA_POLICIES } from "./athena";
import { CLOUDTRAIL_POLICIES } from "./cloudtrail";
import { EMR_POLICIES } from "./emr";
import { cloudWatchLogGroupEncrypted } from "./cloudwatch";
import { GLUE_POLICIES } from "./glue";
import { glueJobSafetyArguments } from "./glue-arguments";
import { noUntrustedAccounts } from "./accounts";
import { IAM_POLICIES } from "./iam";
import { iamManagedPoliciesAllowListed } from "./iam-attachments";
import { stackOwnedReferences } from "./references";
import { securityGroupNoPublicIngress } from "./network";
import { PROVIDER_POLICIES } from "./providers";
import { resourcePoliciesNotPublic } from "./resource-policies";
import { s3BucketNoInlineSettings } from "./s3-bucket-inline-settings";
import { snsTopicEncrypted } from "./sns";
import { KMS_POLICIES } from "./kms";
import { S3_BUCKET_ACCESS_POLICIES } from "./s3-bucket-access";
import { S3_BUCKET_BASELINE_POLICIES } from "./s3-bucket-baseline";
import { S3_DATA_SAFETY_POLICIES } from "./s3-data-safety";
import { STATEFUL_POLICIES } from "./stateful-protection";
import { STEP_FUNCTIONS_POLICIES } from "./step-functions";
import { TABLE_OPTIMIZER_POLICIES } from "./table-optimizers";
import { TABLE_POLICIES } from "./tables";

/**
 * The lakehouse policy pack: every rule of docs/security-baseline.md plus the data-safety rules, one
 * module per service. Importing this module has no side effect (index.ts starts the policy server);
 * the offline check and the tests evaluate these policies directly.
 */
export const POLICY_PACK_NAME = "iceberg-lakehouse-policies";

export const POLICY_PACK_ARGS: PolicyPackArgs = {
  description:
    "Security baseline and data safety of the Iceberg lakehouse (S3, KMS, IAM, Glue, EMR, Athena, Step Functions, CloudTrail, tables).",
  enforcementLevel: "mandatory",
  policies: [
    ...S3_BUCKET_BASELINE_POLICIES,
    ...S3_BUCKET_ACCESS_POLICIES,
    s3BucketNoInlineSettings,
    ...S3_DATA_SAFETY_POLICIES,
    resourcePoliciesNotPublic,
    ...KMS_POLICIES,
    ...IAM_POLICIES,
    iamManagedPoliciesAllowListed,
    noUntrustedAccounts,
    stackOwnedReferences,
    ...GLUE_POLICIES,
    glueJobSafetyArguments,
    ...EMR_POLICIES,
    securityGroupNoPublicIngress,
    ...ATHENA_POLICIES,
    ...STEP_FUNCTIONS_POLICIES,
    cloudWatchLogGroupEncrypted,
    snsTopicEncrypted,
    ...CLOUDTRAIL_POLICIES,
    ...TABLE_POLICIES,
    ...TABLE_OPTIMIZER_POLICIES,
    ...STATEFUL_POLICIES,
    ...PROVIDER_POLICIES,
    ...ACCOUNT_SETTINGS_POLICIES,
  ],
};
