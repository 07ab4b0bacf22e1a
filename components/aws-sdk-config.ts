import type { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { durationSeconds } from "../config/aws-settings";
import { LakehouseConfig } from "../config/stack-config";

/**
 * The stack's AWS settings as the AWS SDK v3 clients of the dynamic providers (Athena DDL, job code
 * upload) take them, so tables and job code go through the account, role and endpoints every `aws.*`
 * resource does.
 *
 * `AwsSdkConnection` is plain data meant to travel as a dynamic resource's input, and whatever a
 * dynamic resource gets as input is stored in the state in plain text: it holds names, ARNs, regions,
 * endpoints and file paths, never a credential. Credentials are resolved inside the provider method
 * from it (`awsSdkClientConfig`), by the SDK's own providers.
 */
export interface AwsSdkConnection {
  readonly region: string;
  readonly profile?: string;
  /** The shared config file (`~/.aws/config` when unset). */
  readonly sharedConfigFile?: string;
  /** The shared credentials file (`~/.aws/credentials` when unset). */
  readonly sharedCredentialsFile?: string;
  /** Roles assumed in order, each with the credentials of the one before (the first with the base credentials). */
  readonly assumeRoles?: readonly AwsSdkAssumedRole[];
  /** Region of the STS calls that assume the roles. @default region */
  readonly stsRegion?: string;
  /** Custom endpoints by service (`athena`, `glue`, `s3`, `sts`, ...). */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Attempts per call, the first included (the provider's `maxRetries` + 1). @default the SDK's */
  readonly maxAttempts?: number;
  readonly retryMode?: "standard" | "adaptive";
  readonly useFipsEndpoint?: boolean;
  readonly useDualstackEndpoint?: boolean;
  /** Path-style S3 addressing (`s3UsePathStyle`). */
  readonly s3ForcePathStyle?: boolean;
}

export interface AwsSdkAssumedRole {
  readonly roleArn: string;
  readonly sessionName?: string;
  /** Not a secret: AWS documents the external id as a confused-deputy guard, not a credential. */
  readonly externalId?: string;
  readonly durationSeconds?: number;
  readonly policy?: string;
  readonly policyArns?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly transitiveTagKeys?: readonly string[];
  readonly sourceIdentity?: string;
}

/** The connection the stack's configuration declares (the same settings its AWS provider gets). */
export function awsSdkConnection(config: Pick<LakehouseConfig, "region" | "aws">): AwsSdkConnection {
  const settings = config.aws;
  const defined = <T extends object>(value: T) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  return defined({
    region: config.region,
    profile: settings.profile,
    sharedConfigFile: settings.sharedConfigFiles?.[0],
    sharedCredentialsFile: settings.sharedCredentialsFiles?.[0],
    assumeRoles: settings.assumeRoles?.map(({ duration, ...role }) =>
      defined({ ...role, durationSeconds: duration === undefined ? undefined : durationSeconds(duration) }),
    ),
    stsRegion: settings.stsRegion,
    endpoints: settings.endpoints === undefined ? undefined : defined({ ...settings.endpoints }),
    maxAttempts: settings.maxRetries === undefined ? undefined : settings.maxRetries + 1,
    retryMode: settings.retryMode,
    useFipsEndpoint: settings.useFipsEndpoint,
    useDualstackEndpoint: settings.useDualstackEndpoint,
    s3ForcePathStyle: settings.s3UsePathStyle,
  });
}

/** The SDK's credential providers this module builds on (`loadCredentialFactories` imports them). */
export interface CredentialFactories {
  readonly fromNodeProviderChain: typeof fromNodeProviderChain;
  readonly fromTemporaryCredentials: typeof fromTemporaryCredentials;
}

/**
 * Imports the credential providers inside the calling method: a dynamic provider is serialized into
 * the state by closure capture, so SDK modules are loaded where they are used.
 */
export async function loadCredentialFactories(): Promise<CredentialFactories> {
  const { fromNodeProviderChain, fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
  return { fromNodeProviderChain, fromTemporaryCredentials };
}

/** The SDK clients the project creates: the dynamic providers', and the preview environment sweep's. */
export type AwsSdkService =
  "athena" | "glue" | "s3" | "sts" | "kms" | "cloudwatchlogs" | "resourcegroupstaggingapi";

/** The configuration of one SDK v3 client; credentials left to the SDK's default chain when nothing is set. */
export interface AwsSdkClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?:
    ReturnType<typeof fromTemporaryCredentials> | ReturnType<typeof fromNodeProviderChain>;
  readonly maxAttempts?: number;
  readonly retryMode?: string;
  readonly useFipsEndpoint?: boolean;
  readonly useDualstackEndpoint?: boolean;
  readonly forcePathStyle?: boolean;
}

/**
 * The client configuration of `service` for a connection: region, its endpoint, retries, and the
 * credentials: the profile (or the default chain) as the base, then each role assumed in turn with
 * STS in `stsRegion`. Pure: it builds credential providers and calls nothing; the SDK calls them on
 * the client's first request.
 */
export function awsSdkClientConfig(
  connection: AwsSdkConnection,
  service: AwsSdkService,
  factories: CredentialFactories,
): AwsSdkClientConfig {
  return {
    ...clientSettings(connection, service),
    ...optional("credentials", credentialsOf(connection, factories)),
  };
}

/** Everything of a client's configuration but its credentials. */
function clientSettings(connection: AwsSdkConnection, service: AwsSdkService): AwsSdkClientConfig {
  return {
    region: connection.region,
    ...optional("endpoint", connection.endpoints?.[service]),
    ...optional("maxAttempts", connection.maxAttempts),
    ...optional("retryMode", connection.retryMode),
    ...optional("useFipsEndpoint", connection.useFipsEndpoint),
    ...optional("useDualstackEndpoint", connection.useDualstackEndpoint),
    ...(service === "s3" ? optional("forcePathStyle", connection.s3ForcePathStyle) : {}),
  };
}

function credentialsOf(
  connection: AwsSdkConnection,
  factories: CredentialFactories,
): AwsSdkClientConfig["credentials"] {
  const files = {
    ...optional("profile", connection.profile),
    ...optional("configFilepath", connection.sharedConfigFile),
    ...optional("filepath", connection.sharedCredentialsFile),
  };
  const base = Object.keys(files).length === 0 ? undefined : factories.fromNodeProviderChain(files);
  const stsClientConfig = clientSettings(
    { ...connection, region: connection.stsRegion ?? connection.region },
    "sts",
  );
  return (connection.assumeRoles ?? []).reduce<AwsSdkClientConfig["credentials"]>(
    (masterCredentials, role) =>
      factories.fromTemporaryCredentials({
        params: {
          RoleArn: role.roleArn,
          ...optional("RoleSessionName", role.sessionName),
          ...optional("ExternalId", role.externalId),
          ...optional("DurationSeconds", role.durationSeconds),
          ...optional("Policy", role.policy),
          ...optional(
            "PolicyArns",
            role.policyArns?.map((arn) => ({ arn })),
          ),
          ...optional(
            "Tags",
            role.tags === undefined
              ? undefined
              : Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
          ),
          ...optional("TransitiveTagKeys", role.transitiveTagKeys?.slice()),
          ...optional("SourceIdentity", role.sourceIdentity),
        },
        ...optional("masterCredentials", masterCredentials),
        clientConfig: stsClientConfig,
      }),
    base,
  );
}

/** `{ [key]: value }`, or nothing when the value is undefined (so unset settings keep the SDK's defaults). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
