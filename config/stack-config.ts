import { z } from "zod";
import { TABLE_DELETION_POLICIES } from "../tables/deletion-policy";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";
import { accountSettingsProblems, accountSettingsSchema } from "./account-settings";
import { AWS_REGION_PATTERN, awsSettingsSchema } from "./aws-settings";
import {
  DEFAULTS,
  EMR_RELEASES_WITH_ICEBERG_1_7,
  GLUE_WORKER_TYPES,
  LOG_RETENTION_DAYS,
  MIN_ATHENA_BYTES_SCANNED_CUTOFF,
  MIN_ORPHAN_FILE_AGE_DAYS,
  RESERVED_EMAIL_DOMAINS,
  RESERVED_EMAIL_TOP_LEVEL_DOMAINS,
  TABLE_MAINTENANCE,
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

/** An address in a domain reserved for examples is refused: alerts sent there reach nobody. */
function refuseReservedDomain(address: string, ctx: z.RefinementCtx): void {
  const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
  const reserved =
    RESERVED_EMAIL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`)) ??
    RESERVED_EMAIL_TOP_LEVEL_DOMAINS.find((tld) => domain === tld || domain.endsWith(`.${tld}`));
  if (reserved !== undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `"${address}" is in a domain reserved for examples (${reserved}): alerts sent there reach nobody`,
    });
  }
}

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
      .array(z.string().email("must be an email address").superRefine(refuseReservedDomain))
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
    // Who maintains each table; tables not named here are maintained by the maintenance job.
    tables: z.record(z.enum(TABLE_MAINTENANCE)).default({ ...DEFAULTS.maintenance.tables }),
  })
  .strict()
  .superRefine((maintenance, ctx) => {
    const declared = LAKEHOUSE_TABLES.map((t) => t.name);
    for (const table of Object.keys(maintenance.tables).filter((t) => !declared.includes(t))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["tables", table],
        message: `is not a declared table; declared: ${declared.join(", ")}`,
      });
    }
  });

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
      })
      .strict()
      .default({}),
    accountSettings: accountSettingsSchema.default({}),
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
    rollback: z
      .object({
        runTagRetentionDays: z.number().int().min(1).max(3650).default(DEFAULTS.rollback.runTagRetentionDays),
      })
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
    // The stack file's `aws:` settings other than the region (config/aws-settings.ts).
    aws: awsSettingsSchema.default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const { path, message } of accountSettingsProblems(
      config.accountSettings,
      config.environment,
      config.region,
    )) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["accountSettings", ...path], message });
    }
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

/** `region` and `aws` come from the AWS provider's own keys (`aws:region`, `aws:profile`); the rest lives under `lakehouse`. */
function configKeyLabel(path: (string | number)[]): string {
  if (path[0] === "region" || path[0] === "aws") {
    const [, ...rest] = path;
    return path[0] === "region" ? "aws:region" : `aws:${rest.join(".")}`;
  }
  return [CONFIG_KEY, ...path].join(".");
}
