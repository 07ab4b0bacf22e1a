/**
 * Defaults of the stack configuration, in one place so the schema, the README's configuration
 * reference and the tests read the same values.
 */
export const DEFAULTS = {
  protect: false,
  storage: {
    forceDestroy: false,
    noncurrentVersionExpirationDays: 30,
    rawInfrequentAccessAfterDays: 90,
    curatedInfrequentAccessAfterDays: 180,
    athenaResultsExpirationDays: 30,
    accessLogExpirationDays: 365,
    temporaryFilesExpirationDays: 1,
    abortIncompleteUploadsAfterDays: 7,
  },
  kms: { deletionWindowDays: 30 },
  catalog: { databaseName: "ecommerce_lakehouse" },
  accountSettings: { owner: true },
  network: { cidrBlock: "10.20.0.0/16", availabilityZoneCount: 2, natGateways: "Single" },
  athena: { bytesScannedCutoffPerQuery: 10 * 1024 ** 3 },
  glue: { workerType: "G.1X", numberOfWorkers: 2, timeoutMinutes: 60, maxRetries: 1 },
  emr: {
    enabled: false,
    releaseLabel: "emr-7.9.0",
    primaryInstanceType: "m7g.xlarge",
    coreInstanceType: "r7g.2xlarge",
    minCapacityUnits: 2,
    maxCapacityUnits: 6,
    idleTimeoutMinutes: 60,
    ebsVolumeSizeGb: 64,
  },
  pipeline: {
    schedule: "cron(0 3 * * ? *)",
    scheduleTimezone: "UTC",
    scheduleEnabled: true,
    alertEmails: [] as string[],
  },
  audit: { trail: "create" },
  maintenance: {
    snapshotRetentionDays: 7,
    snapshotsToKeep: 10,
    orphanFileMinAgeDays: 3,
    targetFileSizeMb: 128,
    tables: {} as Record<string, TableMaintenance>,
  },
  quality: { maxBadRecordShare: 0.01 },
  rollback: { runTagRetentionDays: 7 },
  tables: { deletionPolicy: "retain" },
  logs: { retentionDays: 90 },
} as const;

/** Who maintains a table: the stack's maintenance Glue job, or Glue's managed table optimizers. */
export const TABLE_MAINTENANCE = ["job", "managed"] as const;
export type TableMaintenance = (typeof TABLE_MAINTENANCE)[number];

/**
 * Domains that never receive mail (RFC 2606 and RFC 6761): an alert address there reaches nobody.
 * Second-level names cover their subdomains; top-level names cover every domain under them.
 */
export const RESERVED_EMAIL_DOMAINS = ["example.com", "example.net", "example.org"] as const;
export const RESERVED_EMAIL_TOP_LEVEL_DOMAINS = ["example", "invalid", "localhost", "test"] as const;

/** Orphan-file removal younger than this can delete files of writes still in flight (Iceberg guidance). */
export const MIN_ORPHAN_FILE_AGE_DAYS = 3;

/** Athena's smallest accepted per-query bytes-scanned cutoff (10 MB). */
export const MIN_ATHENA_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** G.025X is for streaming jobs only; Z.2X is for Ray. Batch Spark jobs take these. */
export const GLUE_WORKER_TYPES = ["G.1X", "G.2X", "G.4X", "G.8X"] as const;

/**
 * EMR 7 releases whose Iceberg is 1.7.1, the version Glue 5.0 and the local Spark run: one table
 * written by both engines must see one Iceberg. 7.10+ moves to Iceberg 1.8-1.10 (1.10 can write
 * format v3, which Athena cannot read).
 */
export const EMR_RELEASES_WITH_ICEBERG_1_7 = ["emr-7.7.0", "emr-7.8.0", "emr-7.9.0"] as const;
