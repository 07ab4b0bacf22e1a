import { z } from "zod";
import { AwsSdkConnection } from "./aws-sdk-config";

/**
 * Validation of the `aws` input of a dynamic resource (an AwsSdkConnection, see ./aws-sdk-config), run
 * in the providers' `check`. A dynamic resource's inputs are stored in the state in plain text, so the
 * shape is closed: a key that is not a connection setting is refused by name, a credential above all.
 * Built per call: the providers are serialized into the state, and a zod schema held at module scope
 * would not survive it.
 */

/** Keys that would carry a credential: refused with the reason. */
const CREDENTIAL_KEYS = [
  "accessKey",
  "accessKeyId",
  "secretKey",
  "secretAccessKey",
  "token",
  "sessionToken",
  "credentials",
];

const CREDENTIAL_REFUSAL =
  "is a credential, and a dynamic resource's inputs are stored in the state in plain text: give the stack aws:profile, environment credentials or aws:assumeRoles instead";

function connectionSchema() {
  const role = z
    .object({
      roleArn: z
        .string()
        .regex(/^arn:aws(-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN"),
      sessionName: z.string().optional(),
      externalId: z.string().optional(),
      durationSeconds: z.number().int().min(900).max(43200).optional(),
      policy: z.string().optional(),
      policyArns: z.array(z.string()).optional(),
      tags: z.record(z.string()).optional(),
      transitiveTagKeys: z.array(z.string()).optional(),
      sourceIdentity: z.string().optional(),
    })
    .strict();
  const connection = z
    .object({
      region: z.string(),
      profile: z.string().min(1).optional(),
      sharedConfigFile: z.string().min(1).optional(),
      sharedCredentialsFile: z.string().min(1).optional(),
      assumeRoles: z.array(role).optional(),
      stsRegion: z.string().optional(),
      endpoints: z
        .record(z.string().url("must be a URL such as https://glue.eu-west-1.amazonaws.com"))
        .optional(),
      maxAttempts: z.number().int().min(1).max(101).optional(),
      retryMode: z.enum(["standard", "adaptive"]).optional(),
      useFipsEndpoint: z.boolean().optional(),
      useDualstackEndpoint: z.boolean().optional(),
      s3ForcePathStyle: z.boolean().optional(),
    })
    .strict();
  return { connection, role };
}

/** One problem of the `aws` input: its field (`aws.endpoints.glue`) and what is wrong. */
export interface ConnectionProblem {
  readonly field: string;
  readonly message: string;
}

function fieldOf(path: readonly (string | number)[]): string {
  return ["aws", ...path].map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/**
 * Every problem of a resource's `aws` input; none when it is absent (the provider then uses the SDK's
 * default chain in `region`). `region` is the resource's own region, which the connection must name.
 */
export function awsConnectionProblems(raw: unknown, region: unknown): ConnectionProblem[] {
  if (raw === undefined) {
    return [];
  }
  const schemas = connectionSchema();
  const parsed = schemas.connection.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.flatMap((issue) =>
      issue.code === z.ZodIssueCode.unrecognized_keys
        ? issue.keys.map((key) => ({
            field: fieldOf([...issue.path, key]),
            message: CREDENTIAL_KEYS.includes(key)
              ? CREDENTIAL_REFUSAL
              : `is not an AWS connection setting; accepted: ${Object.keys((issue.path.length === 0 ? schemas.connection : schemas.role).shape).join(", ")}`,
          }))
        : [{ field: fieldOf(issue.path), message: issue.message }],
    );
  }
  return typeof region === "string" && parsed.data.region !== region
    ? [
        {
          field: "aws.region",
          message: `"${parsed.data.region}" differs from the resource's region "${region}"; accepted: the same region`,
        },
      ]
    : [];
}

/** The connection a resource's inputs or state hold, or the default chain in `region` when none. */
export function awsConnectionOf(props: Record<string, unknown>, region: string): AwsSdkConnection {
  const aws = props.aws;
  return typeof aws === "object" && aws !== null ? (aws as AwsSdkConnection) : { region };
}
