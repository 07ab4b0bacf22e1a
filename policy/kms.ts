import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAllow, parsePolicyDocument, principalValues, statementLabel } from "./lib/iam-document";
import { KNOWN_ENVIRONMENTS, PRODUCTION, providerEnvironment } from "./lib/stack-environment";

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
    "encrypts becomes unreadable. A key whose provider names no known environment is held to it too.",
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
    const environment = providerEnvironment(args.provider);
    if (environment !== undefined && KNOWN_ENVIRONMENTS.includes(environment) && environment !== PRODUCTION) {
      args.notApplicable("Policy only applies to production stacks");
    }
    const keys =
      environment === PRODUCTION ? "production keys" : "keys of a provider without a known Environment";
    const minimum =
      args.getConfig<{ minimumDeletionWindowDays?: number }>().minimumDeletionWindowDays ??
      DEFAULT_MINIMUM_PRODUCTION_DELETION_WINDOW_DAYS;
    const window = key.deletionWindowInDays ?? AWS_DEFAULT_DELETION_WINDOW_DAYS;
    if (window < minimum) {
      reportViolation(
        `KMS key "${args.name}" has a ${window}-day deletion window; ${keys} need at least ${minimum} days`,
      );
    }
  }),
};

export const kmsKeyPolicyNoWildcardPrincipal: ResourceValidationPolicy = {
  name: "kms-key-policy-no-wildcard-principal",
  description:
    'No KMS key policy (a key\'s policy or an aws.kms.KeyPolicy) allows a wildcard ("*") principal or uses ' +
    "NotPrincipal; access is granted to the account root (then IAM) and to named service principals only " +
    "(Checkov CKV_AWS_33). Other accounts: see no-untrusted-accounts.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the account root (arn:aws:iam::<account>:root) or the exact service principal in each Allow " +
    "statement of the key policy, with aws:SourceAccount conditions for services.",
  validateResource: [
    validateResourceOfType(aws.kms.Key, (key, args, reportViolation) =>
      // No policy: KMS's default key policy, the account root only.
      key.policy === undefined
        ? undefined
        : keyPolicyProblems(key.policy, args.name).forEach((m) => reportViolation(m)),
    ),
    validateResourceOfType(aws.kms.KeyPolicy, (keyPolicy, args, reportViolation) =>
      keyPolicyProblems(keyPolicy.policy, args.name).forEach((m) => reportViolation(m)),
    ),
  ],
};

/** Allow statements of a key policy (a Key's `policy`, or a KeyPolicy resource's) with a wildcard principal. */
function keyPolicyProblems(policy: unknown, name: string): string[] {
  const document = parsePolicyDocument(policy);
  if (document.error !== undefined) {
    return [`policy of KMS key "${name}" ${document.error}`];
  }
  return document.statements.flatMap((statement, index) => {
    const label = `${statementLabel(statement, index)} of the policy of KMS key "${name}"`;
    if (isAllow(statement) && statement.NotPrincipal !== undefined) {
      return [`${label} allows every principal but the named ones (NotPrincipal)`];
    }
    const wildcard = principalValues(statement.Principal).find((p) => p.includes("*"));
    return isAllow(statement) && wildcard !== undefined ? [`${label} allows principal "${wildcard}"`] : [];
  });
}

export const KMS_POLICIES = [kmsKeyRotation, kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardPrincipal];
