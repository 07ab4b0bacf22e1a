import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Glue rules of docs/security-baseline.md. */

export const glueDataCatalogEncryption: ResourceValidationPolicy = {
  name: "glue-data-catalog-encrypted",
  description:
    "The Glue Data Catalog encryption settings encrypt metadata at rest with SSE-KMS and connection " +
    "passwords with KMS (Checkov CKV_AWS_94).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set encryptionAtRest.catalogEncryptionMode "SSE-KMS" with sseAwsKmsKeyId, and ' +
    "connectionPasswordEncryption.returnConnectionPasswordEncrypted true with awsKmsKeyId.",
  validateResource: validateResourceOfType(
    aws.glue.DataCatalogEncryptionSettings,
    (settings, args, reportViolation) => {
      const atRest = settings.dataCatalogEncryptionSettings?.encryptionAtRest;
      const passwords = settings.dataCatalogEncryptionSettings?.connectionPasswordEncryption;
      if (atRest?.catalogEncryptionMode !== "SSE-KMS" || (atRest.sseAwsKmsKeyId ?? "") === "") {
        reportViolation(
          `catalog encryption "${args.name}" stores metadata with mode "${atRest?.catalogEncryptionMode ?? "unset"}"; SSE-KMS with a key is required`,
        );
      }
      if (passwords?.returnConnectionPasswordEncrypted !== true || (passwords.awsKmsKeyId ?? "") === "") {
        reportViolation(
          `catalog encryption "${args.name}" does not encrypt connection passwords with a KMS key`,
        );
      }
    },
  ),
};

/** The three encryptions a Glue security configuration sets, and the mode each must use. */
const SECURITY_CONFIGURATION_MODES = [
  { block: "s3Encryption", mode: "s3EncryptionMode", required: "SSE-KMS", what: "S3 data" },
  {
    block: "cloudwatchEncryption",
    mode: "cloudwatchEncryptionMode",
    required: "SSE-KMS",
    what: "CloudWatch logs",
  },
  {
    block: "jobBookmarksEncryption",
    mode: "jobBookmarksEncryptionMode",
    required: "CSE-KMS",
    what: "job bookmarks",
  },
] as const;

export const glueSecurityConfigurationEncryption: ResourceValidationPolicy = {
  name: "glue-security-configuration-encrypted",
  description:
    "Every Glue security configuration encrypts S3 data and CloudWatch logs with SSE-KMS and job bookmarks " +
    "with CSE-KMS, each with a KMS key (Checkov CKV_AWS_99).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set s3Encryption SSE-KMS, cloudwatchEncryption SSE-KMS and jobBookmarksEncryption CSE-KMS, each with " +
    "kmsKeyArn of the stack's key (GlueCatalog does).",
  validateResource: validateResourceOfType(
    aws.glue.SecurityConfiguration,
    (configuration, args, reportViolation) => {
      const encryption = (configuration.encryptionConfiguration ?? {}) as Record<
        string,
        Record<string, string | undefined> | undefined
      >;
      for (const { block, mode, required, what } of SECURITY_CONFIGURATION_MODES) {
        const actual = encryption[block]?.[mode];
        if (actual !== required || (encryption[block]?.kmsKeyArn ?? "") === "") {
          reportViolation(
            `security configuration "${args.name}" encrypts ${what} with "${actual ?? "unset"}"; ${required} with a key is required`,
          );
        }
      }
    },
  ),
};

export const glueJobSecurityConfiguration: ResourceValidationPolicy = {
  name: "glue-job-security-configuration",
  description: "Every Glue job and crawler runs with a security configuration (Checkov CKV_AWS_195).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set securityConfiguration to the stack's Glue security configuration (GlueEtlJob does).",
  validateResource: [
    validateResourceOfType(aws.glue.Job, (job, args, reportViolation) => {
      if ((job.securityConfiguration ?? "") === "") {
        reportViolation(`Glue job "${args.name}" runs without a security configuration`);
      }
    }),
    validateResourceOfType(aws.glue.Crawler, (crawler, args, reportViolation) => {
      if ((crawler.securityConfiguration ?? "") === "") {
        reportViolation(`Glue crawler "${args.name}" runs without a security configuration`);
      }
    }),
  ],
};

/** Glue versions AWS supports for Spark jobs today; 5.0 is the one the jobs and the local Spark run. */
export const DEFAULT_ALLOWED_GLUE_VERSIONS: readonly string[] = ["4.0", "5.0"];
/** Glue's own default when glueVersion is not set (long unsupported). */
const GLUE_DEFAULT_VERSION = "0.9";
/** Spark job commands (Python shell and Ray jobs have their own runtimes). */
const SPARK_COMMANDS = ["glueetl", "gluestreaming"];

export const glueSupportedVersion: ResourceValidationPolicy = {
  name: "glue-supported-version",
  description:
    "Every Glue Spark job runs on a supported Glue version (>= 4.0; the project uses 5.0) (AWS FSBP Glue.4).",
  enforcementLevel: "mandatory",
  remediationSteps: 'Set glueVersion "5.0" (GLUE_VERSION in components/glue-etl-job.ts).',
  configSchema: {
    properties: {
      allowedGlueVersions: {
        type: "array",
        items: { type: "string", pattern: "^[0-9]+\\.[0-9]+$" },
        minItems: 1,
        default: [...DEFAULT_ALLOWED_GLUE_VERSIONS],
        description: "Glue versions a Spark job may use.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.glue.Job, (job, args, reportViolation) => {
    const command = job.command?.name ?? "glueetl";
    if (!SPARK_COMMANDS.includes(command)) {
      args.notApplicable(`Policy only applies to Spark jobs (glueetl, gluestreaming), not ${command}`);
    }
    const allowed =
      args.getConfig<{ allowedGlueVersions?: string[] }>().allowedGlueVersions ??
      DEFAULT_ALLOWED_GLUE_VERSIONS;
    const version = job.glueVersion ?? GLUE_DEFAULT_VERSION;
    if (!allowed.includes(version)) {
      reportViolation(
        `Glue job "${args.name}" runs on Glue ${version}; accepted versions: ${allowed.join(", ")}`,
      );
    }
  }),
};

export const GLUE_POLICIES = [
  glueDataCatalogEncryption,
  glueSecurityConfigurationEncryption,
  glueJobSecurityConfiguration,
  glueSupportedVersion,
];
