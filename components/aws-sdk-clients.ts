import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import {
  AwsSdkClientConfig,
  awsSdkClientConfig,
  AwsSdkConnection,
  AwsSdkService,
  loadCredentialFactories,
} from "./aws-sdk-config";

/**
 * The configuration the dynamic providers build their AWS SDK clients with: the stack's connection
 * (region, endpoints, retries, profile, shared files, roles; see ./aws-sdk-config) over the provider's
 * own retry defaults. Called inside a provider method: the credential providers it builds are never
 * captured into the state, and the SDK resolves credentials in the provider's own process.
 */

/** What a provider uses when the stack leaves retries to it. */
export interface ProviderRetryDefaults {
  readonly maxAttempts: number;
}

export type ProviderClientConfig = AwsSdkClientConfig & {
  readonly maxAttempts: number;
  readonly retryMode: string;
};

/** Credentials are fetched again this long before they expire (a DDL statement may wait 10 minutes). */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/**
 * One credential provider for several clients. Each SDK client memoizes its own credentials, so
 * clients given the same chain of roles would each assume every role again; this shares one result
 * and fetches anew when it nears expiry. Hand-written because the SDK's memoizer
 * (@smithy/property-provider) is not a dependency of this project, only of the SDK.
 */
export function sharedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = 0;
  return () => {
    if (pending === undefined || Date.now() >= expiresAt - REFRESH_BEFORE_EXPIRY_MS) {
      expiresAt = Number.POSITIVE_INFINITY;
      const fetching = provider();
      pending = fetching;
      fetching.then(
        (credentials) => (expiresAt = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY),
        () => (pending = undefined),
      );
    }
    return pending;
  };
}

/** The configuration of each service's client; one credential chain for them all. */
export async function providerClientConfigs<S extends AwsSdkService>(
  connection: AwsSdkConnection,
  services: readonly S[],
  defaults: ProviderRetryDefaults,
): Promise<Record<S, ProviderClientConfig>> {
  const factories = await loadCredentialFactories();
  const configs = services.map((service) => awsSdkClientConfig(connection, service, factories));
  const chain = configs[0]?.credentials;
  const credentials =
    chain === undefined ? undefined : sharedCredentials(chain as AwsCredentialIdentityProvider);
  return Object.fromEntries(
    services.map((service, i) => [
      service,
      {
        // The standard strategy retries throttling and transient errors with backoff and jitter.
        retryMode: "standard",
        maxAttempts: defaults.maxAttempts,
        ...configs[i],
        ...(credentials === undefined ? {} : { credentials }),
      },
    ]),
  ) as Record<S, ProviderClientConfig>;
}
