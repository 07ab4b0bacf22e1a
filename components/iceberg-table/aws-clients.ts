import type { AthenaClient } from "@aws-sdk/client-athena";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";
import { providerClientConfigs } from "../aws-sdk-clients";
import { AwsSdkConnection } from "../aws-sdk-config";

/**
 * The AWS SDK clients a provider method uses, created inside the method (never at module scope: the
 * dynamic provider is serialized into the state by closure capture, and an SDK client does not
 * serialize), configured from the stack's AWS connection (the resource's `aws` input: region,
 * endpoints, retries, profile, shared files, roles to assume; names and ARNs, never a credential).
 * What the connection leaves unset comes from the SDK's default chain in the provider's own process
 * (the environment, a profile, SSO, instance roles), which is also how tests point the provider at
 * the AWS emulator (AWS_ENDPOINT_URL and test credentials in the environment).
 */

export interface AwsClients {
  readonly athena: AthenaClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
}

/**
 * Attempts per API call when the stack does not set `aws:maxRetries`, under the SDK's standard retry
 * strategy (exponential backoff with jitter), which retries throttling (ThrottlingException, and
 * TooManyRequestsException over Athena's DDL quota) and transient errors. StartQueryExecution carries a
 * ClientRequestToken, so a retried start runs once.
 */
export const SDK_MAX_ATTEMPTS = 8;

export async function createAwsClients(connection: AwsSdkConnection): Promise<AwsClients> {
  const [{ AthenaClient }, { GlueClient }, { S3Client }] = await Promise.all([
    import("@aws-sdk/client-athena"),
    import("@aws-sdk/client-glue"),
    import("@aws-sdk/client-s3"),
  ]);
  const configs = await providerClientConfigs(connection, ["athena", "glue", "s3"], {
    maxAttempts: SDK_MAX_ATTEMPTS,
  });
  return {
    athena: new AthenaClient(configs.athena),
    glue: new GlueClient(configs.glue),
    s3: new S3Client(configs.s3),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.athena.destroy();
  clients.glue.destroy();
  clients.s3.destroy();
}
