import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument, PolicyStatement } from "./lib/iam-document";
import { stackDocuments } from "./lib/stack-documents";
import { resourcesOf } from "./lib/stack-resources";

/**
 * Other AWS accounts. The stack's own account is the one in its resources' ARNs (an ARN is
 * `arn:<partition>:<service>:<region>:<account>:...`); any other account a policy document names, as a
 * principal, in a resource ARN or in a condition (aws:SourceAccount, aws:SourceArn, ...), or that a KMS
 * grant names, is access across accounts, refused unless the policy config trusts that account.
 */

const ARN_ACCOUNT = /^arn:[^:]*:[^:]*:[^:]*:(\d{12})(:|$)/;
const ACCOUNT_ID = /^\d{12}$/;

/** The account a value names: an ARN's account field, or a bare 12-digit account id. */
function accountOf(value: string): string | undefined {
  return ARN_ACCOUNT.exec(value)?.[1] ?? (ACCOUNT_ID.test(value) ? value : undefined);
}

/** Every string inside a value (condition blocks, principal maps, lists). */
function strings(value: unknown): string[] {
  if (typeof value === "string") {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(strings);
  }
  return value !== null && typeof value === "object" ? Object.values(value).flatMap(strings) : [];
}

function statementAccounts(statement: PolicyStatement): string[] {
  return [
    statement.Principal,
    statement.NotPrincipal,
    statement.Resource,
    statement.NotResource,
    statement.Condition,
  ]
    .flatMap(strings)
    .flatMap((value) => accountOf(value) ?? []);
}

/**
 * The stack's own accounts, from its resources' ARNs. An ARN not known yet (a first preview) is
 * skipped; when none is known, reading one again raises the runtime's "unknown during preview".
 */
function ownAccounts(resources: readonly PolicyResource[]): Set<string> {
  const accounts = new Set<string>();
  let unknown: PolicyResource | undefined;
  for (const resource of resources) {
    try {
      const arn = resource.props.arn;
      const account = typeof arn === "string" ? ARN_ACCOUNT.exec(arn)?.[1] : undefined;
      if (account !== undefined) {
        accounts.add(account);
      }
    } catch {
      unknown = resource; // an unknown value: read again below if nothing else is known
    }
  }
  if (accounts.size === 0 && unknown !== undefined) {
    void unknown.props.arn;
  }
  return accounts;
}

export const noUntrustedAccounts: StackValidationPolicy = {
  name: "no-untrusted-accounts",
  description:
    "No policy document of the stack (identity, trust, key, bucket and other resource policies) and no KMS grant " +
    "names an AWS account other than the stack's own (the account in its resources' ARNs), as a principal, in " +
    "a resource ARN or in a condition, unless the policy config trusts that account.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Use the stack's account (aws.getCallerIdentity) in policies and ARNs. An account that must be granted " +
    "access (a log archive, a partner) goes in trustedAccountIds in the policy config.",
  configSchema: {
    properties: {
      trustedAccountIds: {
        type: "array",
        items: { type: "string", pattern: "^[0-9]{12}$" },
        default: [],
        description: "Accounts besides the stack's own that policies and KMS grants may name.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const trusted = new Set([
      ...ownAccounts(args.resources),
      ...(args.getConfig<{ trustedAccountIds?: string[] }>().trustedAccountIds ?? []),
    ]);
    const report = (what: string, accounts: readonly string[], resource: PolicyResource) => {
      for (const account of [...new Set(accounts)].filter((a) => !trusted.has(a))) {
        reportViolation(
          `${what} names account ${account}, which is not the stack's own nor trusted`,
          resource.urn,
        );
      }
    };
    for (const { resource, label, document } of stackDocuments(args.resources)) {
      report(label, (parsePolicyDocument(document).statements ?? []).flatMap(statementAccounts), resource);
    }
    for (const grant of resourcesOf(args.resources, aws.kms.Grant)) {
      const principals = [grant.props.granteePrincipal, grant.props.retiringPrincipal].flatMap(strings);
      report(
        `KMS grant "${grant.name}"`,
        principals.flatMap((p) => accountOf(p) ?? []),
        grant,
      );
    }
  },
};
