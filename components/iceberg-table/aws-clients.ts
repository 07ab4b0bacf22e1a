import type { AthenaClient } from "@aws-sdk/client-athena";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";

/**
 * The AWS SDK clients a provider method uses, created inside the method (never at module scope: the
 * dynamic provider is serialized into the state by closure capture, and an SDK client does not
 * serialize). Region from the table's spec; credentials and endpoint from the SDK's default chain
 * (the environment, a profile, SSO, a role), which is also how tests point the provider at the AWS
 * emulator (AWS_ENDPOINT_URL and test credentials in the environment). Nothing here is captured into
 * the state: no credentials, no endpoint, no request handler.
 */

/** What a test may tune; plain numbers, safe to capture into the serialized provider. */
export interface AwsClientSettings {
  /** Fewer attempts, so a test of giving up does not wait through every backoff. @default SDK_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
}

export interface AwsClients {
  readonly athena: AthenaClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
}

/**
 * Attempts per API call under the SDK's standard retry strategy (exponential backoff with jitter), which
 * retries throttling (ThrottlingException, and TooManyRequestsException over Athena's DDL quota) and
 * transient errors. StartQueryExecution carries a ClientRequestToken, so a retried start runs once.
 */
export const SDK_MAX_ATTEMPTS = 8;

export async function createAwsClients(
  region: string,
  settings: AwsClientSettings = {},
): Promise<AwsClients> {
  const [{ AthenaClient }, { GlueClient }, { S3Client }] = await Promise.all([
    import("@aws-sdk/client-athena"),
    import("@aws-sdk/client-glue"),
    import("@aws-sdk/client-s3"),
  ]);
  const common = { region, retryMode: "standard", maxAttempts: settings.maxAttempts ?? SDK_MAX_ATTEMPTS };
  return { athena: new AthenaClient(common), glue: new GlueClient(common), s3: new S3Client(common) };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.athena.destroy();
  clients.glue.destroy();
  clients.s3.destroy();
}
