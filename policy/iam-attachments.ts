import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { actionMatches, asList, parsePolicyDocument } from "./lib/iam-document";
import { referencedResources, resourcesOf, ResourceClass } from "./lib/stack-resources";

/**
 * Managed policies attached to the stack's principals. A policy of the stack has a document the other
 * IAM rules read; any other ARN (an AWS managed policy such as AdministratorAccess, a customer policy
 * made elsewhere) has a document the pack cannot see, so it fails unless the policy config lists it,
 * with the service whose roles may carry it.
 */

export interface AllowedManagedPolicy {
  /** The policy ARN, wildcards allowed (`arn:*:iam::aws:policy/...` for every partition). */
  readonly policyArn: string;
  /** The service principal a role must trust to carry it, e.g. `elasticmapreduce.amazonaws.com`. */
  readonly service: string;
}

export const DEFAULT_ALLOWED_MANAGED_POLICIES: readonly AllowedManagedPolicy[] = [
  // EMR's v2 service policy acts only on resources tagged for-use-with-amazon-emr-managed-policies.
  {
    policyArn: "arn:*:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2",
    service: "elasticmapreduce.amazonaws.com",
  },
];

/** One attachment: the principal (by property) and the policy ARNs it attaches. */
interface AttachmentSite {
  readonly resourceClass: ResourceClass;
  readonly principals: readonly { readonly property: string; readonly kind: "role" | "user" | "group" }[];
  readonly policies: (props: Record<string, unknown>) => string[];
}

const ATTACHMENT_SITES: readonly AttachmentSite[] = [
  {
    resourceClass: aws.iam.RolePolicyAttachment,
    principals: [{ property: "role", kind: "role" }],
    policies: (p) => asList(p.policyArn),
  },
  {
    resourceClass: aws.iam.PolicyAttachment,
    principals: [
      { property: "roles", kind: "role" },
      { property: "users", kind: "user" },
      { property: "groups", kind: "group" },
    ],
    policies: (p) => asList(p.policyArn),
  },
  {
    resourceClass: aws.iam.UserPolicyAttachment,
    principals: [{ property: "user", kind: "user" }],
    policies: (p) => asList(p.policyArn),
  },
  {
    resourceClass: aws.iam.GroupPolicyAttachment,
    principals: [{ property: "group", kind: "group" }],
    policies: (p) => asList(p.policyArn),
  },
  {
    resourceClass: aws.iam.RolePolicyAttachmentsExclusive,
    principals: [{ property: "roleName", kind: "role" }],
    policies: (p) => asList(p.policyArns),
  },
  {
    resourceClass: aws.iam.UserPolicyAttachmentsExclusive,
    principals: [{ property: "userName", kind: "user" }],
    policies: (p) => asList(p.policyArns),
  },
  {
    resourceClass: aws.iam.GroupPolicyAttachmentsExclusive,
    principals: [{ property: "groupName", kind: "group" }],
    policies: (p) => asList(p.policyArns),
  },
];

/** The service principals a role's trust policy names. */
function trustedServices(role: PolicyResource): string[] {
  const document = parsePolicyDocument(role.props.assumeRolePolicy);
  return (document.statements ?? []).flatMap((statement) =>
    asList((statement.Principal as { Service?: unknown } | undefined)?.Service),
  );
}

export const iamManagedPoliciesAllowListed: StackValidationPolicy = {
  name: "iam-managed-policies-allow-listed",
  description:
    "Every managed policy attached to a role, user or group of the stack (attachment resources or a role's " +
    "managedPolicyArns) is a policy of the stack, whose document the IAM rules check, or is allow-listed in " +
    "the policy config for roles of one service: an AWS managed policy such as AdministratorAccess fails.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Grant permissions in the role's own policy (createServiceRole's statements), scoped to what it needs. " +
    "An AWS managed policy a service requires goes in allowedManagedPolicies with that service.",
  configSchema: {
    properties: {
      allowedManagedPolicies: {
        type: "array",
        items: {
          type: "object",
          properties: { policyArn: { type: "string" }, service: { type: "string" } },
          required: ["policyArn", "service"],
          additionalProperties: false,
        },
        default: DEFAULT_ALLOWED_MANAGED_POLICIES.map((p) => ({ ...p })),
        description:
          "Managed policies (ARN, wildcards allowed) that roles trusting the given service principal may carry.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const allowed =
      args.getConfig<{ allowedManagedPolicies?: AllowedManagedPolicy[] }>().allowedManagedPolicies ??
      DEFAULT_ALLOWED_MANAGED_POLICIES;
    const ownPolicies = resourcesOf(args.resources, aws.iam.Policy);
    const roles = resourcesOf(args.resources, aws.iam.Role);
    const check = (
      attacher: PolicyResource,
      policyArn: string,
      role: PolicyResource | undefined,
      who: string,
    ) => {
      if (ownPolicies.some((p) => p.props.arn === policyArn)) {
        return;
      }
      const services = role === undefined ? [] : trustedServices(role);
      if (allowed.some((a) => actionMatches(a.policyArn, policyArn) && services.includes(a.service))) {
        return;
      }
      reportViolation(
        `${who} gets managed policy "${policyArn}", which is neither a policy of the stack nor allow-listed for it (allowedManagedPolicies)`,
        attacher.urn,
      );
    };
    for (const role of roles) {
      for (const policyArn of asList(role.props.managedPolicyArns)) {
        check(role, policyArn, role, `role "${role.name}"`);
      }
    }
    for (const site of ATTACHMENT_SITES) {
      for (const attachment of resourcesOf(args.resources, site.resourceClass)) {
        const policies = site.policies(attachment.props);
        for (const { property, kind } of site.principals) {
          const names = asList(attachment.props[property]);
          const stackRoles = kind === "role" ? referencedResources(attachment, property, roles) : [];
          for (const name of names) {
            const role = stackRoles.find((r) => [r.props.name, r.props.id, r.props.arn].includes(name));
            for (const policyArn of policies) {
              check(attachment, policyArn, role, `${kind} "${name}"`);
            }
          }
        }
      }
    }
  },
};
