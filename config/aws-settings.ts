import { z } from "zod";

/**
 * Regions of the `aws` and `aws-us-gov` partitions. The stack writes service principals and endpoint
 * names (`logs.<region>.amazonaws.com`, `com.amazonaws.<region>.s3`) that differ in China
 * (`amazonaws.com.cn`) and the isolated partitions, so those regions are refused, not half-supported.
 */
export const AWS_REGION_PATTERN = /^(?!cn-)[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * The `aws:` settings of a stack file, parsed once. The stack creates its own `aws.Provider` (for the
 * default tags), and an explicit provider does not read `aws:` stack settings by itself: these are
 * what it is configured with (components/aws-provider.ts), and what the AWS SDK clients of the
 * dynamic providers are configured with (components/aws-sdk-config.ts). `aws:region` is the
 * configuration's `region`; everything else is here.
 *
 * The supported set is the part of @pulumi/aws 7's ProviderArgs that says where and as whom the stack
 * deploys. Settings for AWS imitations (`skip*`, `insecure`), proxies and metadata endpoints are
 * refused by name rather than half-applied: the SDK clients would not follow them.
 */

/** Services the stack calls, by their name in the provider's `endpoints` (and the SDK's, for athena, glue, s3, sts). */
export const AWS_ENDPOINT_SERVICES = [
  "athena",
  "cloudtrail",
  "cloudwatchlogs",
  "ec2",
  "emr",
  "glue",
  "iam",
  "kms",
  "s3",
  "scheduler",
  "sfn",
  "sns",
  "sts",
] as const;
export type AwsEndpointService = (typeof AWS_ENDPOINT_SERVICES)[number];

/** Tags the program sets on every resource through the provider's default tags (components/lakehouse.ts). */
export const STACK_TAG_KEYS = ["Project", "Environment", "Stack", "ManagedBy", "PullRequest", "ExpiresAt"];

/** Why a provider setting is refused, for the ones a user is likely to try. */
const REFUSED_SETTINGS: Readonly<Record<string, string>> = {
  accessKey: "credentials do not belong in a stack file: use aws:profile, environment credentials or OIDC",
  secretKey: "credentials do not belong in a stack file: use aws:profile, environment credentials or OIDC",
  token: "credentials do not belong in a stack file: use aws:profile, environment credentials or OIDC",
  defaultTags: `is set by the program (${STACK_TAG_KEYS.slice(0, 4).join(", ")})`,
};

const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
const accountIds = z
  .array(
    z.union([accountId, z.number()]).superRefine((value, ctx) => {
      if (typeof value === "number") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message:
            'must be a quoted 12-digit account id such as "111122223333" (unquoted, YAML reads a number and drops leading zeros)',
        });
      }
    }),
  )
  .min(1)
  .transform((ids) => ids.map(String));

const roleArn = z
  .string()
  .regex(/^arn:aws(-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN");

/** Go duration syntax, as the provider reads it: `1h`, `90m`, `1h30m`, `3600s`. */
const DURATION_PATTERN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds of a role session duration (`1h30m` -> 5400); undefined for text that is not one. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (match === null || text === "") {
    return undefined;
  }
  const [, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return hours * 3600 + minutes * 60 + seconds;
}

const sessionDuration = z.string().refine(
  (text) => {
    const seconds = durationSeconds(text);
    return seconds !== undefined && seconds >= 900 && seconds <= 43200;
  },
  { message: 'must be a duration from 15m to 12h, such as "1h" or "90m"' },
);

const assumeRoleSchema = z
  .object({
    roleArn,
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/, "must be 2-64 letters, digits or +=,.@-_")
      .optional(),
    externalId: z.string().min(2).max(1224).optional(),
    duration: sessionDuration.optional(),
    policy: z.string().min(1).optional(),
    policyArns: z.array(z.string().regex(/^arn:aws(-us-gov)?:iam::/, "must be an IAM policy ARN")).optional(),
    tags: z.record(z.string()).optional(),
    transitiveTagKeys: z.array(z.string()).optional(),
    sourceIdentity: z.string().min(2).max(64).optional(),
  })
  .strict();

export type AssumeRoleSettings = z.infer<typeof assumeRoleSchema>;

const endpointUrl = z.string().url("must be a URL such as https://glue.eu-west-1.amazonaws.com");
const endpointsSchema = z.array(z.object(endpointShape()).strict()).min(1);

function endpointShape(): Record<AwsEndpointService, z.ZodOptional<typeof endpointUrl>> {
  return Object.fromEntries(
    AWS_ENDPOINT_SERVICES.map((service) => [service, endpointUrl.optional()]),
  ) as Record<AwsEndpointService, z.ZodOptional<typeof endpointUrl>>;
}

/** One shared file: the AWS SDK clients of the dynamic providers read a single config and credentials file. */
const sharedFiles = z
  .array(z.string().min(1))
  .length(1, "must list exactly one file (the AWS SDK reads one)");

const settingsShape = {
  profile: z.string().min(1).optional(),
  sharedConfigFiles: sharedFiles.optional(),
  sharedCredentialsFiles: sharedFiles.optional(),
  assumeRoles: z.array(assumeRoleSchema).min(1).optional(),
  /** The provider's older single-role form; read as a one-role `assumeRoles`. */
  assumeRole: assumeRoleSchema.optional(),
  allowedAccountIds: accountIds.optional(),
  forbiddenAccountIds: accountIds.optional(),
  endpoints: endpointsSchema.optional(),
  stsRegion: z.string().regex(AWS_REGION_PATTERN, "must be an AWS region such as us-east-1").optional(),
  maxRetries: z.number().int().min(0).max(100).optional(),
  retryMode: z.enum(["standard", "adaptive"]).optional(),
  useFipsEndpoint: z.boolean().optional(),
  useDualstackEndpoint: z.boolean().optional(),
  s3UsePathStyle: z.boolean().optional(),
  ignoreTags: z
    .object({ keys: z.array(z.string()).optional(), keyPrefixes: z.array(z.string()).optional() })
    .strict()
    .optional(),
};

type DeclaredSettings = z.infer<z.ZodObject<typeof settingsShape>>;

/** Every `aws:` key a stack file may set (region included), in the order the README lists them. */
export const SUPPORTED_AWS_SETTINGS = ["region", ...Object.keys(settingsShape)];

/** Settings whose Pulumi config value is plain text; the others are JSON (numbers, booleans, lists, objects). */
export const TEXT_AWS_SETTINGS = ["region", "profile", "stsRegion", "retryMode"];

export const awsSettingsSchema = z
  .object(settingsShape)
  .passthrough()
  .superRefine((settings, ctx) => {
    for (const key of Object.keys(settings).filter((k) => !(k in settingsShape))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        message:
          REFUSED_SETTINGS[key] ??
          `is not supported by this stack; supported: ${SUPPORTED_AWS_SETTINGS.map((s) => `aws:${s}`).join(", ")}`,
      });
    }
    const exclusive = (a: keyof typeof settings, b: keyof typeof settings, why: string) => {
      if (settings[a] !== undefined && settings[b] !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [b],
          message: `cannot be set with aws:${a}: ${why}`,
        });
      }
    };
    exclusive("allowedAccountIds", "forbiddenAccountIds", "give one list");
    exclusive("assumeRoles", "assumeRole", "aws:assumeRole is the one-role form of aws:assumeRoles");
    const services = (settings.endpoints ?? []).flatMap((block) => Object.keys(block));
    for (const service of services.filter((s, i) => services.indexOf(s) !== i)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["endpoints"],
        message: `names ${service} more than once`,
      });
    }
    const ignored = [...(settings.ignoreTags?.keys ?? [])].filter((key) => STACK_TAG_KEYS.includes(key));
    for (const key of ignored) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["ignoreTags", "keys"],
        message: `"${key}" is one of the stack's own tags, which the policy pack and cost reports read`,
      });
    }
  })
  .transform(({ assumeRole, endpoints, ...settings }) => {
    const known = Object.fromEntries(
      Object.entries(settings).filter(([key]) => key in settingsShape),
    ) as Omit<DeclaredSettings, "assumeRole" | "endpoints">;
    const roles = settings.assumeRoles ?? (assumeRole === undefined ? undefined : [assumeRole]);
    const merged = endpoints === undefined ? undefined : Object.assign({}, ...endpoints);
    return {
      ...known,
      ...(roles === undefined ? {} : { assumeRoles: roles }),
      ...(merged === undefined ? {} : { endpoints: merged as Partial<Record<AwsEndpointService, string>> }),
    };
  });

/** The validated `aws:` settings of a stack other than the region; every one is optional. */
export type AwsSettings = z.infer<typeof awsSettingsSchema>;

/** Settings back in the form a stack file writes them (`endpoints` as its list of one block), keyed without `aws:`. */
export function awsStackConfigValues(settings: AwsSettings): Record<string, unknown> {
  const { endpoints, ...rest } = settings;
  return { ...rest, ...(endpoints === undefined ? {} : { endpoints: [endpoints] }) };
}

/**
 * The `aws:` keys of Pulumi config (`{"aws:profile": "ci"}`, values as the runtime holds them: text,
 * or JSON for numbers, booleans, lists and objects) as the raw object the schema reads, region left out.
 */
export function awsSettingsFromPulumiConfig(
  config: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("aws:") && key !== "aws:region")
      .map(([key, text]) => {
        const name = key.slice("aws:".length);
        return [name, TEXT_AWS_SETTINGS.includes(name) ? text : parseJsonOrText(text)];
      }),
  );
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
