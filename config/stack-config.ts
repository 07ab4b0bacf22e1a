import { z } from "zod";
import {
  AWS_REGION_PATTERN,
  DEFAULTS,
  EMR_RELEASES_WITH_ICEBERG_1_7,
  GLUE_WORKER_TYPES,
  LOG_RETENTION_DAYS,
  MIN_ATHENA_BYTES_SCANNED_CUTOFF,
  MIN_ORPHAN_FILE_AGE_DAYS,
  TABLE_DELETION_POLICIES,
} from "./defaults";

/** The Pulumi config key (under the project namespace) that holds the whole lakehouse config. */
export const CONFIG_KEY = "lakehouse";

const days = (min: number, max: number) => z.number().int().min(min).max(max);
const identifier = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,127}$/,
    "must be lowercase letters, digits and underscores (<= 128, first a letter)",
  );

const storageSchema = z
  .object({
    forceDestroy: z.boolean().default(DEFAULTS.storage.forceDestroy),
    noncurrentVersionExpirationDays: days(1, 3650).default(DEFAULTS.storage.noncurrentVersionExpirationDays),
    // S3 refuses STANDARD_IA transitions before 30 days.
    rawInfrequentAccessAfterDays: days(30, 3650).default(DEFAULTS.storage.rawInfrequentAccessAfterDays),
    curatedInfrequentAccessAfterDays: days(30, 3650).default(
      DEFAULTS.storage.curatedInfrequentAccessAfterDays,
    ),
    athenaResultsExpirationDays: days(1, 3650).default(DEFAULTS.storage.athenaResultsExpirationDays),
    accessLogExpirationDays: days(1, 3650).default(DEFAULTS.storage.accessLogExpirationDays),
    temporaryFilesExpirationDays: days(1, 30).default(DEFAULTS.storage.temporaryFilesExpirationDays),
    abortIncompleteUploadsAfterDays: days(1, 30).default(DEFAULTS.storage.abortIncompleteUploadsAfterDays),
  })
  .strict();

const networkSchema = z
  .object({
    cidrBlock: z
      .string()
      .regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/, "must be an IPv4 CIDR with a prefix from /16 to /24")
      .default(DEFAULTS.network.cidrBlock),
    availabilityZoneCount: z.number().int().min(2).max(3).default(DEFAULTS.network.availabilityZoneCount),
    // EMR in private subnets reaches the EMR, Glue and KMS APIs through NAT; "None" would strand it.
    natGateways: z.enum(["Single", "OnePerAz"]).default(DEFAULTS.network.natGateways),
  })
  .strict();

const glueSchema = z
  .object({
    workerType: z.enum(GLUE_WORKER_TYPES).default(DEFAULTS.glue.workerType),
    numberOfWorkers: z.number().int().min(2).max(299).default(DEFAULTS.glue.numberOfWorkers),
    timeoutMinutes: z.number().int().min(1).max(2880).default(DEFAULTS.glue.timeoutMinutes),
    maxRetries: z.number().int().min(0).max(10).default(DEFAULTS.glue.maxRetries),
  })
  .strict();

const emrSchema = z
  .object({
    enabled: z.boolean().default(DEFAULTS.emr.enabled),
    releaseLabel: z.enum(EMR_RELEASES_WITH_ICEBERG_1_7).default(DEFAULTS.emr.releaseLabel),
    primaryInstanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as "m7g.xlarge"')
      .default(DEFAULTS.emr.primaryInstanceType),
    coreInstanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as "r7g.2xlarge"')
      .default(DEFAULTS.emr.coreInstanceType),
    minCapacityUnits: z.number().int().min(1).max(100).default(DEFAULTS.emr.minCapacityUnits),
    maxCapacityUnits: z.number().int().min(1).max(100).default(DEFAULTS.emr.maxCapacityUnits),
    // EMR accepts an idle timeout from 1 minute to 7 days.
    idleTimeoutMinutes: z.number().int().min(1).max(10080).default(DEFAULTS.emr.idleTimeoutMinutes),
    ebsVolumeSizeGb: z.number().int().min(32).max(16384).default(DEFAULTS.emr.ebsVolumeSizeGb),
  })
  .strict()
  .refine((emr) => emr.maxCapacityUnits >= emr.minCapacityUnits, {
    message: "must be >= emr.minCapacityUnits",
    path: ["maxCapacityUnits"],
  });

const pipelineSchema = z
  .object({
    schedule: z
      .string()
      .regex(
        /^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
        'must be an EventBridge Scheduler expression: "cron(...)" or "rate(N unit)"',
      )
      .default(DEFAULTS.pipeline.schedule),
    scheduleTimezone: z
      .string()
      .regex(/^(UTC|[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/, 'must be an IANA time zone such as "UTC"')
      .default(DEFAULTS.pipeline.scheduleTimezone),
    scheduleEnabled: z.boolean().default(DEFAULTS.pipeline.scheduleEnabled),
    alertEmails: z
      .array(z.string().email("must be an email address"))
      .default([...DEFAULTS.pipeline.alertEmails]),
  })
  .strict();

const maintenanceSchema = z
  .object({
    snapshotRetentionDays: days(1, 3650).default(DEFAULTS.maintenance.snapshotRetentionDays),
    snapshotsToKeep: z.number().int().min(1).max(1000).default(DEFAULTS.maintenance.snapshotsToKeep),
    orphanFileMinAgeDays: z
      .number()
      .int()
      .min(
        MIN_ORPHAN_FILE_AGE_DAYS,
        `must be >= ${MIN_ORPHAN_FILE_AGE_DAYS}: younger orphan files can belong to writes in flight`,
      )
      .max(3650)
      .default(DEFAULTS.maintenance.orphanFileMinAgeDays),
    targetFileSizeMb: z.number().int().min(16).max(1024).default(DEFAULTS.maintenance.targetFileSizeMb),
  })
  .strict();

/**
 * Marks a per-pull-request preview environment (set by the preview tool, `automation/`): every
 * resource is tagged with the pull request and the time after which the environment may be removed.
 */
const previewSchema = z
  .object({
    pullRequest: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    expiresAt: z.string().datetime({ message: 'must be a UTC timestamp such as "2025-01-31T00:00:00Z"' }),
  })
  .strict();

export const lakehouseConfigSchema = z
  .object({
    environment: z.enum(["dev", "prod", "preview"]),
    region: z
      .string()
      .regex(
        AWS_REGION_PATTERN,
        'must be an AWS region of the aws or aws-us-gov partition, such as "us-east-1"',
      ),
    protect: z.boolean().default(DEFAULTS.protect),
    storage: storageSchema.default({}),
    kms: z
      .object({ deletionWindowDays: days(7, 30).default(DEFAULTS.kms.deletionWindowDays) })
      .strict()
      .default({}),
    catalog: z
      .object({
        databaseName: identifier.default(DEFAULTS.catalog.databaseName),
        // The Data Catalog's encryption settings are one per account and region: only one stack may own them.
        manageEncryptionSettings: z.boolean().default(DEFAULTS.catalog.manageEncryptionSettings),
      })
      .strict()
      .default({}),
    network: networkSchema.default({}),
    athena: z
      .object({
        bytesScannedCutoffPerQuery: z
          .number()
          .int()
          .min(MIN_ATHENA_BYTES_SCANNED_CUTOFF, "must be >= 10485760 (10 MB, Athena's minimum)")
          .default(DEFAULTS.athena.bytesScannedCutoffPerQuery),
      })
      .strict()
      .default({}),
    glue: glueSchema.default({}),
    emr: emrSchema.default({}),
    pipeline: pipelineSchema.default({}),
    audit: z
      .object({ trail: z.enum(["create", "organization"]).default(DEFAULTS.audit.trail) })
      .strict()
      .default({}),
    maintenance: maintenanceSchema.default({}),
    quality: z
      .object({ maxBadRecordShare: z.number().min(0).max(1).default(DEFAULTS.quality.maxBadRecordShare) })
      .strict()
      .default({}),
    tables: z
      .object({ deletionPolicy: z.enum(TABLE_DELETION_POLICIES).default(DEFAULTS.tables.deletionPolicy) })
      .strict()
      .default({}),
    logs: z
      .object({
        retentionDays: z
          .number()
          .int()
          .refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
            message: `must be one of ${LOG_RETENTION_DAYS.join(", ")} (CloudWatch Logs retention values)`,
          })
          .default(DEFAULTS.logs.retentionDays),
      })
      .strict()
      .default({}),
    preview: previewSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.storage.forceDestroy && config.environment !== "preview") {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["storage", "forceDestroy"],
        message:
          'true is only accepted when environment is "preview" (it deletes every object with the bucket)',
      });
    }
    if (config.preview !== undefined && config.environment !== "preview") {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["preview"],
        message: 'is only accepted when environment is "preview" (it marks the stack for automatic removal)',
      });
    }
    if (config.tables.deletionPolicy === "drop" && config.environment !== "preview") {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["tables", "deletionPolicy"],
        message:
          '"drop" is only accepted when environment is "preview" (Athena DROP TABLE deletes the table\'s data); accepted here: "retain"',
      });
    }
  });

/** The validated, fully defaulted configuration of one stack. */
export type LakehouseConfig = z.infer<typeof lakehouseConfigSchema>;

/** Thrown for an invalid stack configuration; the message lists every problem, one per line. */
export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StackConfigError";
  }
}

/** Parses raw config values (from Pulumi config or a stack file); throws StackConfigError naming each key. */
export function parseLakehouseConfig(raw: unknown): LakehouseConfig {
  const result = lakehouseConfigSchema.safeParse(raw);
  if (result.success) {
    return result.data;
  }
  throw new StackConfigError(
    result.error.issues.map((issue) => `[${configKeyLabel(issue.path)}] ${issue.message}`),
  );
}

/** `region` comes from the AWS provider's own key; everything else lives under `lakehouse`. */
function configKeyLabel(path: (string | number)[]): string {
  return path.length === 1 && path[0] === "region" ? "aws:region" : [CONFIG_KEY, ...path].join(".");
}
