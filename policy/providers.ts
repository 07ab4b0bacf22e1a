import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  AWS_PROVIDER_TYPE,
  awsProviders,
  defaultTagsOf,
  ENVIRONMENT_TAG,
  environmentTag,
  KNOWN_ENVIRONMENTS,
} from "./lib/stack-environment";
import { parsedJson } from "./lib/stack-resources";

/**
 * Where the stack deploys. Every AWS provider of the stack (the Lakehouse component's, any other one a
 * program declares, and the engine's default provider for a resource declared without one) must
 * deploy to the same account and region: a second provider with another region, role, profile or
 * account list puts resources where the stack's policies, key and trail do not reach.
 */

/** The provider settings that choose the account and region. */
const TARGET_SETTINGS: readonly string[] = [
  "region",
  "profile",
  "assumeRole",
  "assumeRoles",
  "assumeRoleWithWebIdentity",
  "allowedAccountIds",
  "forbiddenAccountIds",
  "sharedConfigFiles",
  "sharedCredentialsFiles",
  "endpoints",
];

/** Static credentials written into a provider: they end up in the stack's state and config. */
const CREDENTIAL_SETTINGS: readonly string[] = ["accessKey", "secretKey", "token"];

function setting(provider: PolicyResource, key: string): string {
  const value = parsedJson(provider.props[key]);
  return value === undefined || value === null || value === "" ? "(unset)" : JSON.stringify(value);
}

/**
 * The resources whose own `region` differs from their provider's (AWS provider v7 accepts one per
 * resource), or, for a resource of another provider that takes a region (the tables' and the job
 * upload's dynamic providers call AWS themselves), from the region of the stack's AWS providers.
 */
function regionOverrides(
  resources: readonly PolicyResource[],
  stackRegions: readonly unknown[],
): [string, string][] {
  return resources.flatMap((resource) => {
    const region = resource.type === AWS_PROVIDER_TYPE ? undefined : resource.props.region;
    const isAws = resource.provider?.type === AWS_PROVIDER_TYPE;
    const expected = isAws ? [resource.provider?.props.region] : stackRegions;
    return typeof region === "string" && region !== "" && !expected.includes(region)
      ? [
          [
            `${resource.type.split(":").pop()} "${resource.name}" sets region "${region}", not ${isAws ? "its provider's" : "the stack's"} ("${expected.map(String).join('", "')}")`,
            resource.urn,
          ] as [string, string],
        ]
      : [];
  });
}

export const awsProviderSingleTarget: StackValidationPolicy = {
  name: "aws-provider-single-target",
  description:
    "Every AWS provider of the stack (explicit ones and the engine's default provider) deploys to the same " +
    "region and account (region, profile, assumed roles, allowed accounts, endpoints), none holds static " +
    "credentials, and no resource overrides its provider's region.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Declare resources with the Lakehouse component's provider (opts.provider / providers), not a second " +
    "aws.Provider or none at all; choose the account and region in the stack file, and credentials through " +
    "the environment (OIDC, a profile), never in code.",
  validateStack: (args, reportViolation) => {
    const providers = awsProviders(args.resources);
    for (const provider of providers) {
      const credentials = CREDENTIAL_SETTINGS.filter((key) => setting(provider, key) !== "(unset)");
      if (credentials.length > 0) {
        reportViolation(
          `AWS provider "${provider.name}" holds static credentials (${credentials.join(", ")})`,
          provider.urn,
        );
      }
    }
    for (const key of TARGET_SETTINGS) {
      const values = new Map<string, string[]>();
      providers.forEach((p) => values.set(setting(p, key), [...(values.get(setting(p, key)) ?? []), p.name]));
      if (values.size > 1) {
        const list = [...values].map(([value, names]) => `${value} (${names.join(", ")})`).join(", ");
        reportViolation(`the stack's AWS providers disagree on ${key}: ${list}`);
      }
    }
    const regions = [...new Set(providers.map((p) => p.props.region))];
    for (const [message, urn] of regionOverrides(args.resources, regions)) {
      reportViolation(message, urn);
    }
  },
};

/** Resources whose own tags give a default tag of their provider another value (their tagsAll would). */
function defaultTagOverrides(resources: readonly PolicyResource[]): [string, string][] {
  return resources.flatMap((resource) => {
    const defaults = resource.provider === undefined ? {} : defaultTagsOf(resource.provider.props);
    const own = (parsedJson(resource.props.tags) ?? {}) as Record<string, unknown>;
    return Object.entries(own)
      .filter(([key, value]) => key in defaults && defaults[key] !== value)
      .map(
        ([key, value]) =>
          [
            `${resource.type.split(":").pop()} "${resource.name}" overrides default tag ${key} ("${String(defaults[key])}") with "${String(value)}"`,
            resource.urn,
          ] as [string, string],
      );
  });
}

export const stackEnvironmentTag: StackValidationPolicy = {
  name: "stack-environment-tag",
  description:
    `The stack's AWS providers carry one ${ENVIRONMENT_TAG} default tag, one of ${KNOWN_ENVIRONMENTS.join(", ")}: ` +
    "the environment-dependent rules (production protection, table retention, forceDestroy) read it. They " +
    "agree on every default tag, and no resource overrides one with its own tags (its tagsAll would differ).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the stack's AWS provider with defaultTags.tags.Environment set to the stack's environment " +
    "(the Lakehouse component does, from the config's environment) and pass it to every resource.",
  validateStack: (args, reportViolation) => {
    const providers = awsProviders(args.resources);
    if (providers.length === 0) {
      reportViolation("the stack has no AWS provider whose default tags say its environment");
    }
    const seen = new Map<string, string[]>();
    for (const provider of providers) {
      const environment = environmentTag(provider.props);
      if (environment === undefined) {
        reportViolation(
          `AWS provider "${provider.name}" has no ${ENVIRONMENT_TAG} default tag`,
          provider.urn,
        );
      } else if (!KNOWN_ENVIRONMENTS.includes(environment)) {
        reportViolation(
          `AWS provider "${provider.name}" has ${ENVIRONMENT_TAG} "${environment}"; accepted: ${KNOWN_ENVIRONMENTS.join(", ")}`,
          provider.urn,
        );
      } else {
        seen.set(environment, [...(seen.get(environment) ?? []), provider.name]);
      }
    }
    if (seen.size > 1) {
      const list = [...seen]
        .map(([environment, names]) => `"${environment}" (${names.join(", ")})`)
        .join(", ");
      reportViolation(`the stack's AWS providers disagree on ${ENVIRONMENT_TAG}: ${list}`);
    }
    for (const key of new Set(providers.flatMap((p) => Object.keys(defaultTagsOf(p.props))))) {
      const values = new Set(providers.map((p) => JSON.stringify(defaultTagsOf(p.props)[key] ?? null)));
      if (key !== ENVIRONMENT_TAG && values.size > 1) {
        reportViolation(
          `the stack's AWS providers disagree on default tag ${key}: ${[...values].join(", ")}`,
        );
      }
    }
    for (const [message, urn] of defaultTagOverrides(args.resources)) {
      reportViolation(message, urn);
    }
  },
};

export const PROVIDER_POLICIES = [stackEnvironmentTag, awsProviderSingleTarget];
