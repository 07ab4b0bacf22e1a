import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAllow, parsePolicyDocument, principalValues, statementLabel } from "./lib/iam-document";
import { PRODUCTION, providerEnvironment } from "./lib/stack-environment";

/** KMS rules of docs/security-baseline.md. */

/** Key specs that support automatic rotation (symmetric encryption keys). */
const ROTATABLE_KEY_SPEC = "SYMMETRIC_DEFAULT";

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description: "Every symmetric customer-managed KMS key rotates automatically (Checkov CKV_AWS_7).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set enableKeyRotation: true on the aws.kms.Key (LakehouseKey does).",
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, reportViolation) => {
    const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== ROTATABLE_KEY_SPEC) {
      args.notApplicable(`Key spec ${spec} does not support automatic rotation`);
    }
    if (key.enableKeyRotation !== true) {
      reportViolation(`KMS key "${args.name}" does not rotate (enableKeyRotation is not true)`);
    }
  }),
};

/** What AWS uses when deletionWindowInDays is not set. */
const AWS_DEFAULT_DELETION_WINDOW_DAYS = 30;
export const DEFAULT_MINIMUM_PRODUCTION_DELETION_WINDOW_DAYS = 30;

export const kmsKeyDeletionWindow: ResourceValidationPolicy = {
  name: "kms-key-deletion-window",
  description:
    'In production (Environment tag "prod" on the AWS provider) a KMS key\'s deletion window is at least the ' +
    "configured minimum (30 days): a key scheduled for deletion by mistake can be recovered before the data it " +
    "encrypts becomes unreadable.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set kms.deletionWindowDays to 30 in the prod stack file (deletionWindowInDays on the key).",
  configSchema: {
    properties: {
      minimumDeletionWindowDays: {
        type: "integer",
        minimum: 7,
        maximum: 30,
        default: DEFAULT_MINIMUM_PRODUCTION_DELETION_WINDOW_DAYS,
        description: "Smallest deletion window (days) accepted for production keys; KMS accepts 7-30.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, reportViolation) => {
    if (providerEnvironment(args.provider) !== PRODUCTION) {
      args.notApplicable("Policy only applies to production stacks");
    }
    const minimum =
      args.getConfig<{ minimumDeletionWindowDays?: number }>().minimumDeletionWindowDays ??
      DEFAULT_MINIMUM_PRODUCTION_DELETION_WINDOW_DAYS;
    const window = key.deletionWindowInDays ?? AWS_DEFAULT_DELETION_WINDOW_DAYS;
    if (window < minimum) {
      reportViolation(
        `KMS key "${args.name}" has a ${window}-day deletion window; production keys need at least ${minimum} days`,
      );
    }
  }),
};

export const kmsKeyPolicyNoWildcardPrincipal: ResourceValidationPolicy = {
  name: "kms-key-policy-no-wildcard-principal",
  description:
    'No KMS key policy allows a wildcard ("*") principal; access is granted to the account root (then IAM) ' +
    "and to named service principals only (Checkov CKV_AWS_33).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the account root (arn:aws:iam::<account>:root) or the exact service principal in each Allow " +
    "statement of the key policy, with aws:SourceAccount conditions for services.",
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, reportViolation) => {
    if (key.policy === undefined) {
      return; // KMS's default key policy: the account root only.
    }
    const document = parsePolicyDocument(key.policy);
    if (document.error !== undefined) {
      reportViolation(`policy of KMS key "${args.name}" ${document.error}`);
      return;
    }
    document.statements.forEach((statement, index) => {
      const wildcard = principalValues(statement.Principal).find((p) => p.includes("*"));
      if (isAllow(statement) && wildcard !== undefined) {
        reportViolation(
          `${statementLabel(statement, index)} of the policy of KMS key "${args.name}" allows principal "${wildcard}"`,
        );
      }
    });
  }),
};

export const KMS_POLICIES = [kmsKeyRotation, kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardPrincipal];
