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

export async function providerClientConfig(
  connection: AwsSdkConnection,
  service: AwsSdkService,
  defaults: ProviderRetryDefaults,
): Promise<AwsSdkClientConfig & { readonly maxAttempts: number; readonly retryMode: string }> {
  return {
    // The standard strategy retries throttling and transient errors with backoff and jitter.
    retryMode: "standard",
    maxAttempts: defaults.maxAttempts,
    ...awsSdkClientConfig(connection, service, await loadCredentialFactories()),
  };
}
