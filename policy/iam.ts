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
  statementLabel,
} from "./lib/iam-document";
import { isWildcardOnlyAction } from "./lib/iam-actions";
import { unscopedReach } from "./lib/arn-scope";

/** IAM rules of docs/security-baseline.md, over every identity policy and trust policy of the stack. */

type StatementCheck = (
  statement: PolicyStatement,
  label: string,
  args: ResourceValidationArgs,
) => string[] | Promise<string[]>;

/**
 * Runs `check` on every statement of every identity policy: role, user and group inline policies,
 * managed policies, and a role's `inlinePolicies`. `label` names the statement and its document.
 */
function identityPolicyStatements(check: StatementCheck): ResourceValidation[] {
  const run = async (
    document: unknown,
    owner: string,
    args: ResourceValidationArgs,
    report: ReportViolation,
  ) => {
    const parsed = parsePolicyDocument(document);
    if (parsed.error !== undefined) {
      report(`${owner} ${parsed.error}`);
      return;
    }
    for (const [index, statement] of parsed.statements.entries()) {
      (await check(statement, `${statementLabel(statement, index)} of ${owner}`, args)).forEach((m) =>
        report(m),
      );
    }
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
    validateResourceOfType(aws.iam.Role, async (role, args, report) => {
      for (const inline of role.inlinePolicies ?? []) {
        await run(inline.policy, `inline policy "${inline.name ?? ""}" of role "${args.name}"`, args, report);
      }
    }),
  ];
}

/** `*`, `*:*`, `s3:*`, `s3:**`: an action pattern that names every action of a service (or of all). */
const isServiceWildcard = (action: string) => /^[*?]*\*[*?]*$/.test(action.slice(action.indexOf(":") + 1));

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
          `${label} allows every action of ${/^[^:]*[*?][^:]*(:|$)/.test(action) ? "every service" : "a service"} ("${action}")`,
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
 * Actions granted on Resource "*" beyond those AWS documents as having no resource-level permissions
 * (which always pass, read from the Service Authorization Reference): PutMetricData lists a CloudWatch
 * dataset resource, but a metric without a dataset is published on "*" (the namespace condition is the
 * limit, as the Glue job roles do).
 */
export const DEFAULT_ACTIONS_WITHOUT_RESOURCE_SCOPING: readonly string[] = ["cloudwatch:PutMetricData"];

/** Actions that hand a role to a service or a principal: fine on the exact roles of the stack only. */
export const ROLE_HANDOVER_ACTIONS: readonly string[] = ["iam:PassRole", "sts:AssumeRole"];

/** The statement's resources that reach every resource of a kind, each with how far. */
function unscopedResources(statement: PolicyStatement): { resource: string; reach: string }[] {
  return asList(statement.Resource).flatMap((resource) => {
    const reach = unscopedReach(resource);
    return reach === undefined || isAliasPinnedKeyGrant(resource, statement) ? [] : [{ resource, reach }];
  });
}

/** Every key of one account and region: `arn:<partition>:kms:<region>:<account id>:key/*`. */
const ACCOUNT_KEYS = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/\*$/;

/**
 * AWS's documented way to grant a key by its alias (a key another stack of the account owns, whose
 * ARN this one does not know): the keys of one account and region, narrowed by `kms:ResourceAliases`
 * to exact alias names. That reaches the named keys only, so it is a scope, not a wildcard.
 */
function isAliasPinnedKeyGrant(resource: string, statement: PolicyStatement): boolean {
  if (!ACCOUNT_KEYS.test(resource)) {
    return false;
  }
  const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const aliases = asList(condition["ForAnyValue:StringEquals"]?.["kms:ResourceAliases"] as string | string[]);
  return aliases.length > 0 && aliases.every((alias) => /^alias\/[A-Za-z0-9/_-]+$/.test(alias));
}

export const iamNoWildcardResource: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resource",
  description:
    'No IAM policy grants an action that supports resource-level permissions on Resource "*", on an ARN that ' +
    "reaches every resource of a kind (arn:aws:s3:::*/*, every key unless kms:ResourceAliases pins exact aliases, " +
    "every role, every account) or with " +
    "NotResource; actions AWS documents without resource-level permissions (s3:ListAllMyBuckets, ec2:Describe*) " +
    "and those listed in the policy config pass (Checkov CKV_AWS_355).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the ARNs the action needs (buckets and prefixes, catalog/database/table ARNs, the key). If an " +
    "action truly must be granted on every resource, add it to actionsWithoutResourceScoping in the policy config.",
  configSchema: {
    properties: {
      actionsWithoutResourceScoping: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_ACTIONS_WITHOUT_RESOURCE_SCOPING],
        description:
          'Actions (wildcards allowed) that may be granted on Resource "*" besides those AWS documents as having no resource-level permissions.',
      },
    },
  },
  validateResource: identityPolicyStatements(async (statement, label, args) => {
    if (!isAllow(statement)) {
      return [];
    }
    if (statement.NotResource !== undefined) {
      return [
        `${label} grants its actions on every resource except ${asList(statement.NotResource).join(", ")} (NotResource)`,
      ];
    }
    const unscoped = unscopedResources(statement);
    if (unscoped.length === 0) {
      return [];
    }
    const listed =
      args.getConfig<{ actionsWithoutResourceScoping?: string[] }>().actionsWithoutResourceScoping ??
      DEFAULT_ACTIONS_WITHOUT_RESOURCE_SCOPING;
    const scopable: string[] = [];
    // iam:PassRole and sts:AssumeRole on a wildcard are iam-no-privilege-escalation's to report.
    const handover = (action: string) =>
      ROLE_HANDOVER_ACTIONS.some((h) => h.toLowerCase() === action.toLowerCase());
    for (const action of asList(statement.Action)) {
      if (
        !handover(action) &&
        !listed.some((u) => actionMatches(u, action)) &&
        !(await isWildcardOnlyAction(action))
      ) {
        scopable.push(action);
      }
    }
    if (scopable.length === 0) {
      return [];
    }
    return unscoped.map(({ resource, reach }) =>
      resource === "*"
        ? `${label} grants ${scopable.join(", ")} on Resource "*"`
        : `${label} grants ${scopable.join(", ")} on "${resource}", which reaches ${reach}`,
    );
  }),
};

/** Actions that let a principal give itself or others more permissions (privilege escalation paths). */
export const PRIVILEGE_ESCALATION_ACTIONS: readonly string[] = [
  "iam:AddUserToGroup",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreatePolicyVersion",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
  "iam:PutGroupPolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:PutUserPermissionsBoundary",
  "iam:PutUserPolicy",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateLoginProfile",
];

export const iamNoPrivilegeEscalation: ResourceValidationPolicy = {
  name: "iam-no-privilege-escalation",
  description:
    "No IAM policy grants an action that rewrites permissions (iam:Put*Policy, iam:Attach*Policy, " +
    "iam:CreatePolicyVersion, iam:UpdateAssumeRolePolicy, ...) on any resource, and iam:PassRole and " +
    "sts:AssumeRole name exact role ARNs, never a wildcard (roles outside the stack: stack-owned-references) " +
    "(Checkov CKV_AWS_286).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the permission-rewriting actions (the stack's roles never change IAM); grant iam:PassRole on the " +
    "exact role ARNs, e.g. the EMR instance role, with an iam:PassedToService condition.",
  validateResource: identityPolicyStatements((statement, label) => {
    if (!isAllow(statement)) {
      return [];
    }
    const granted = (list: readonly string[]) =>
      list.filter((e) => asList(statement.Action).some((a) => actionMatches(a, e)));
    const resources = asList(statement.Resource);
    const problems: string[] = [];
    const rewriting = granted(PRIVILEGE_ESCALATION_ACTIONS);
    if (rewriting.length > 0) {
      problems.push(`${label} grants ${rewriting.join(", ")} on "${resources.join('", "')}"`);
    }
    const handover = granted(ROLE_HANDOVER_ACTIONS);
    const wildcards = resources.filter((r) => r.includes("*") || r.includes("?"));
    if (handover.length > 0 && (wildcards.length > 0 || statement.NotResource !== undefined)) {
      problems.push(
        `${label} grants ${handover.join(", ")} on "${(wildcards.length > 0 ? wildcards : asList(statement.NotResource)).join('", "')}"`,
      );
    }
    return problems;
  }),
};

/** A service principal named exactly: `glue.amazonaws.com` (no wildcard, an AWS service domain). */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/** Each principal of a trust statement, with its kind (`Service`, `AWS`, `Federated`, ... or `*`). */
function trustPrincipals(principal: unknown): { kind: string; value: string }[] {
  if (typeof principal === "string") {
    return [{ kind: "*", value: principal }];
  }
  return Object.entries((principal ?? {}) as Record<string, unknown>).flatMap(([kind, values]) =>
    asList(values).map((value) => ({ kind, value })),
  );
}

export const iamTrustPolicyExactPrincipal: ResourceValidationPolicy = {
  name: "iam-trust-policy-exact-principal",
  description:
    "Every role's trust policy names the exact AWS service that may assume it (glue.amazonaws.com): no " +
    "wildcard, no NotPrincipal, and no account, role, user or identity provider (another account, or anyone " +
    "in this one) unless the policy config lists it in trustedPrincipals.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set Principal to {"Service": "<service>.amazonaws.com"} with an aws:SourceAccount condition ' +
    "(serviceTrustPolicy in components/iam-documents.ts renders it). A principal that must assume a role " +
    "(a CI role, a partner account) goes in trustedPrincipals in the policy config.",
  configSchema: {
    properties: {
      trustedPrincipals: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "AWS and Federated principals (ARNs or account ids, wildcards allowed) that trust policies may name.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.iam.Role, (role, args, reportViolation) => {
    const document = parsePolicyDocument(role.assumeRolePolicy);
    if (document.error !== undefined) {
      reportViolation(`trust policy of role "${args.name}" ${document.error}`);
      return;
    }
    const trusted = args.getConfig<{ trustedPrincipals?: string[] }>().trustedPrincipals ?? [];
    document.statements.forEach((statement, index) => {
      if (!isAllow(statement)) {
        return;
      }
      const label = `${statementLabel(statement, index)} of the trust policy of role "${args.name}"`;
      if (statement.NotPrincipal !== undefined) {
        reportViolation(`${label} uses NotPrincipal: every principal but the named ones may assume the role`);
      }
      for (const { kind, value } of trustPrincipals(statement.Principal)) {
        if (value.includes("*")) {
          reportViolation(`${label} lets principal "${value}" assume the role`);
        } else if (kind === "Service" && !SERVICE_PRINCIPAL.test(value)) {
          reportViolation(`${label} names "${value}", which is not an AWS service principal`);
        } else if (kind !== "Service" && !trusted.some((t) => actionMatches(t, value))) {
          reportViolation(
            `${label} lets ${kind} principal "${value}" assume the role; it is not in trustedPrincipals`,
          );
        }
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
