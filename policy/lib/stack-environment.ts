import { PolicyProviderResource, PolicyResource } from "@pulumi/policy";

/**
 * How a policy knows which environment a stack is: the `Environment` default tag of the stack's AWS
 * provider. The program sets it from its validated config (`environment`: dev, prod or preview) on an
 * explicit provider that every component uses, so it is both what the program decided and what every
 * AWS resource is tagged with. Resource policies read it from the resource's provider; stack policies
 * from the stack's `pulumi:providers:aws` resources. A stack without the tag, or whose providers
 * disagree, has no environment: data rules then apply their strictest form (tables must retain), and
 * the `stack-environment-tag` policy fails the stack so the gap cannot go unnoticed.
 */
export const ENVIRONMENT_TAG = "Environment";
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";
export const PRODUCTION = "prod";
export const PREVIEW = "preview";
export const KNOWN_ENVIRONMENTS: readonly string[] = ["dev", PRODUCTION, PREVIEW];

/**
 * The Environment default tag of an AWS provider's properties. Generated provider SDKs send object
 * inputs as JSON strings (`defaultTags: "{\"tags\":{...}}"`); the engine may also pass an object.
 */
export function environmentTag(providerProps: Record<string, unknown>): string | undefined {
  const value = defaultTagsOf(providerProps)[ENVIRONMENT_TAG];
  return typeof value === "string" ? value : undefined;
}

/** An AWS provider's default tags (`defaultTags.tags`), as an object or parsed from its JSON string. */
export function defaultTagsOf(providerProps: Record<string, unknown>): Record<string, unknown> {
  let defaultTags: unknown = providerProps.defaultTags;
  if (typeof defaultTags === "string") {
    try {
      defaultTags = JSON.parse(defaultTags);
    } catch {
      return {};
    }
  }
  return (defaultTags as { tags?: Record<string, unknown> } | undefined)?.tags ?? {};
}

/** The environment of a resource's own AWS provider (resource policies). */
export function providerEnvironment(provider: PolicyProviderResource | undefined): string | undefined {
  return provider?.type === AWS_PROVIDER_TYPE ? environmentTag(provider.props) : undefined;
}

/** The stack's AWS providers. */
export function awsProviders(resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => r.type === AWS_PROVIDER_TYPE);
}

/** The one environment all of the stack's AWS providers agree on, if they do (stack policies). */
export function stackEnvironment(resources: readonly PolicyResource[]): string | undefined {
  const environments = new Set(awsProviders(resources).map((p) => environmentTag(p.props)));
  if (environments.size !== 1) {
    return undefined;
  }
  const [environment] = environments;
  return environment !== undefined && KNOWN_ENVIRONMENTS.includes(environment) ? environment : undefined;
}
