import type { AthenaClient } from "@aws-sdk/client-athena";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";

/**
 * The AWS SDK clients a provider method uses, created inside the method (never at module scope: the
 * dynamic provider is serialized into the state by closure capture, and an SDK client does not
 * serialize). Credentials come from the SDK's default chain; the region from the table's spec.
 */

/** Settings only tests set: a local endpoint (moto), fixed credentials, a fake HTTP handler. */
export interface AwsClientOverrides {
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Path-style S3 addressing, needed for a local endpoint. */
  readonly forcePathStyle?: boolean;
  /** Replaces the SDK's HTTP handler (tests inject throttling responses through it). */
  readonly requestHandler?: unknown;
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
  overrides: AwsClientOverrides = {},
): Promise<AwsClients> {
  const [{ AthenaClient }, { GlueClient }, { S3Client }] = await Promise.all([
    import("@aws-sdk/client-athena"),
    import("@aws-sdk/client-glue"),
    import("@aws-sdk/client-s3"),
  ]);
  const common = {
    region,
    retryMode: "standard",
    maxAttempts: overrides.maxAttempts ?? SDK_MAX_ATTEMPTS,
    ...(overrides.endpoint === undefined ? {} : { endpoint: overrides.endpoint }),
    ...(overrides.credentials === undefined ? {} : { credentials: overrides.credentials }),
    ...(overrides.requestHandler === undefined ? {} : { requestHandler: overrides.requestHandler as never }),
  };
  return {
    athena: new AthenaClient(common),
    glue: new GlueClient(common),
    s3: new S3Client({ ...common, forcePathStyle: overrides.forcePathStyle ?? false }),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.athena.destroy();
  clients.glue.destroy();
  clients.s3.destroy();
}
