import * as aws from "@pulumi/aws";
import {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import {
  actionMatches,
  asList,
  isAllow,
  parsePolicyDocument,
  PolicyStatement,
  principalValues,
  statementLabel,
} from "./lib/iam-document";

/** IAM rules of docs/security-baseline.md, over every identity policy and trust policy of the stack. */

type StatementCheck = (statement: PolicyStatement, label: string, args: ResourceValidationArgs) => string[];

/**
 * Runs `check` on every statement of every identity policy: role, user and group inline policies,
 * managed policies, and a role's `inlinePolicies`. `label` names the statement and its document.
 */
function identityPolicyStatements(check: StatementCheck): ResourceValidation[] {
  const run = (document: unknown, owner: string, args: ResourceValidationArgs, report: ReportViolation) => {
    const parsed = parsePolicyDocument(document);
    if (parsed.error !== undefined) {
      report(`${owner} ${parsed.error}`);
      return;
    }
    parsed.statements.forEach((statement, index) => {
      check(statement, `${statementLabel(statement, index)} of ${owner}`, args).forEach((m) => report(m));
    });
  };
  return [
    validateResourceOfType(aws.iam.RolePolicy, (p, args, report) =>
      run(p.policy, `role policy "${args.name}"`, args, report),
    ),
    validateResourceOfType(aws.iam.Policy, (p, args, report) =>
      run(p.policy, `policy "${args.name}"`, args, report),
    ),
    validateResourceOfType(aws.iam.UserPolicy, (p, args, report) =>
      run(p.policy, `user policy "${args.name}"`, args, report),
    ),
    validateResourceOfType(aws.iam.GroupPolicy, (p, args, report) =>
      run(p.policy, `group policy "${args.name}"`, args, report),
    ),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
      for (const inline of role.inlinePolicies ?? []) {
        run(inline.policy, `inline policy "${inline.name ?? ""}" of role "${args.name}"`, args, report);
      }
    }),
  ];
}

const isServiceWildcard = (action: string) =>
  action === "*" || /^[^:*]+:\*$/.test(action) || action === "*:*";

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description:
    'No IAM policy allows "*", "*:*" or "<service>:*" actions, nor every action but some (NotAction) ' +
    "(Checkov CKV_AWS_62, CKV_AWS_63; AWS FSBP IAM.1, IAM.21).",
  enforcementLevel: "mandatory",
  remediationSteps: "List the exact actions the principal needs (e.g. glue:GetTable, glue:UpdateTable).",
  validateResource: identityPolicyStatements((statement, label) => {
    if (!isAllow(statement)) {
      return [];
    }
    const problems = asList(statement.Action)
      .filter(isServiceWildcard)
      .map(
        (action) =>
          `${label} allows every action of ${action === "*" || action === "*:*" ? "every service" : "a service"} ("${action}")`,
      );
    if (statement.NotAction !== undefined) {
      problems.push(
        `${label} allows every action except ${asList(statement.NotAction).join(", ")} (NotAction)`,
      );
    }
    return problems;
  }),
};

/**
 * Actions that have no resource-level permissions, so `Resource: "*"` is their only form (IAM service
 * authorization reference): CloudWatch metrics, the CloudWatch Logs delivery API Step Functions uses
 * for execution logs, X-Ray, and a few read-only calls.
 */
export const DEFAULT_ACTIONS_WITHOUT_RESOURCE_SCOPING: readonly string[] = [
  "cloudwatch:PutMetricData",
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "sts:GetCallerIdentity",
  "ec2:Describe*",
];

export const iamNoWildcardResource: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resource",
  description:
    'No IAM policy grants an action that supports resource-level permissions on Resource "*" (or with ' +
    "NotResource); actions without resource-level permissions are listed in the policy config (Checkov CKV_AWS_355).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the ARNs the action needs (buckets and prefixes, catalog/database/table ARNs, the key). If an " +
    "action truly has no resource-level permissions, add it to actionsWithoutResourceScoping in the policy config.",
  configSchema: {
    properties: {
      actionsWithoutResourceScoping: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_ACTIONS_WITHOUT_RESOURCE_SCOPING],
        description: 'Actions (wildcards allowed) that may be granted on Resource "*".',
      },
    },
  },
  validateResource: identityPolicyStatements((statement, label, args) => {
    if (!isAllow(statement)) {
      return [];
    }
    if (statement.NotResource !== undefined) {
      return [
        `${label} grants its actions on every resource except ${asList(statement.NotResource).join(", ")} (NotResource)`,
      ];
    }
    if (!asList(statement.Resource).includes("*")) {
      return [];
    }
    const unscoped =
      args.getConfig<{ actionsWithoutResourceScoping?: string[] }>().actionsWithoutResourceScoping ??
      DEFAULT_ACTIONS_WITHOUT_RESOURCE_SCOPING;
    const scopable = asList(statement.Action).filter(
      (action) => !unscoped.some((u) => actionMatches(u, action)),
    );
    return scopable.length === 0 ? [] : [`${label} grants ${scopable.join(", ")} on Resource "*"`];
  }),
};

/** Actions that let a principal give itself or others more permissions (privilege escalation paths). */
export const PRIVILEGE_ESCALATION_ACTIONS: readonly string[] = [
  "iam:PassRole",
  "iam:AddUserToGroup",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreatePolicyVersion",
  "iam:PutGroupPolicy",
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateLoginProfile",
  "sts:AssumeRole",
];

export const iamNoPrivilegeEscalation: ResourceValidationPolicy = {
  name: "iam-no-privilege-escalation",
  description:
    "No IAM policy grants a privilege-escalation action (iam:PassRole, iam:Put*Policy, iam:Attach*Policy, " +
    "sts:AssumeRole, ...) on a wildcard resource: iam:PassRole names exactly the roles a job or cluster " +
    "needs (Checkov CKV_AWS_286).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Grant iam:PassRole (and the other escalation actions) on the exact role ARNs, e.g. the EMR instance " +
    "role, with an iam:PassedToService condition.",
  validateResource: identityPolicyStatements((statement, label) => {
    if (!isAllow(statement)) {
      return [];
    }
    const escalation = PRIVILEGE_ESCALATION_ACTIONS.filter((e) =>
      asList(statement.Action).some((a) => actionMatches(a, e)),
    );
    const wildcards = asList(statement.Resource).filter((r) => r.includes("*"));
    return escalation.length > 0 && wildcards.length > 0
      ? [`${label} grants ${escalation.join(", ")} on "${wildcards.join('", "')}"`]
      : [];
  }),
};

export const iamTrustPolicyExactPrincipal: ResourceValidationPolicy = {
  name: "iam-trust-policy-exact-principal",
  description:
    "Every role's trust policy names the exact principal that may assume it (a service such as " +
    "glue.amazonaws.com): no wildcard principal, no NotPrincipal.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set Principal to {"Service": "<service>.amazonaws.com"} with an aws:SourceAccount condition ' +
    "(serviceTrustPolicy in components/iam-documents.ts renders it).",
  validateResource: validateResourceOfType(aws.iam.Role, (role, args, reportViolation) => {
    const document = parsePolicyDocument(role.assumeRolePolicy);
    if (document.error !== undefined) {
      reportViolation(`trust policy of role "${args.name}" ${document.error}`);
      return;
    }
    document.statements.forEach((statement, index) => {
      if (!isAllow(statement)) {
        return;
      }
      const label = `${statementLabel(statement, index)} of the trust policy of role "${args.name}"`;
      if (statement.NotPrincipal !== undefined) {
        reportViolation(`${label} uses NotPrincipal: every principal but the named ones may assume the role`);
      }
      for (const principal of principalValues(statement.Principal).filter((p) => p.includes("*"))) {
        reportViolation(`${label} lets principal "${principal}" assume the role`);
      }
    });
  }),
};

export const IAM_POLICIES = [
  iamNoWildcardActions,
  iamNoWildcardResource,
  iamNoPrivilegeEscalation,
  iamTrustPolicyExactPrincipal,
];
