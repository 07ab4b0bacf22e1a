import { PolicyPackArgs } from "@pulumi/policy";
import { ACCOUNT_SETTINGS_POLICIES } from "./account-settings";
import { ATHENA_POLICIES } from "./athena";
import { CLOUDTRAIL_POLICIES } from "./cloudtrail";
import { EMR_POLICIES } from "./emr";
import { GLUE_POLICIES } from "./glue";
import { IAM_POLICIES } from "./iam";
import { KMS_POLICIES } from "./kms";
import { S3_BUCKET_ACCESS_POLICIES } from "./s3-bucket-access";
import { S3_BUCKET_BASELINE_POLICIES } from "./s3-bucket-baseline";
import { S3_DATA_SAFETY_POLICIES } from "./s3-data-safety";
import { STATEFUL_POLICIES } from "./stateful";
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
    ...S3_DATA_SAFETY_POLICIES,
    ...KMS_POLICIES,
    ...IAM_POLICIES,
    ...GLUE_POLICIES,
    ...EMR_POLICIES,
    ...ATHENA_POLICIES,
    ...STEP_FUNCTIONS_POLICIES,
    ...CLOUDTRAIL_POLICIES,
    ...TABLE_POLICIES,
    ...TABLE_OPTIMIZER_POLICIES,
    ...STATEFUL_POLICIES,
    ...ACCOUNT_SETTINGS_POLICIES,
  ],
};
