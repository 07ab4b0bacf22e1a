import { lakehouseKeyAlias } from "../components/lakehouse-key";
import { DEFAULTS, MIN_ATHENA_BYTES_SCANNED_CUTOFF } from "../config/defaults";
import { LakehouseConfig, parseLakehouseConfig } from "../config/stack-config";

/** What makes one preview environment different from another. */
export interface PreviewIdentity {
  readonly pullRequest: number;
  /** UTC timestamp after which gc may remove the environment (see `previewExpiry`). */
  readonly expiresAt: string;
  /** Create the EMR cluster (and its VPC and NAT gateway). @default false: EMR costs by the hour. */
  readonly emr?: boolean;
}

/** Glue database of a preview: the stack's own, so previews never write into dev's tables. */
export function previewDatabaseName(pullRequest: number): string {
  return `${DEFAULTS.catalog.databaseName}_pr_${pullRequest}`;
}

/**
 * The configuration of a pull request's preview environment, derived from dev's: the same region and
 * layout, the smallest sizes, nothing scheduled, short retention, everything removable, and tagged with
 * the pull request and its expiry. One pure function, so what a preview differs in is read in one place.
 * The result is validated by the same schema `pulumi up` uses.
 */
export function derivePreviewConfig(dev: LakehouseConfig, preview: PreviewIdentity): LakehouseConfig {
  return parseLakehouseConfig({
    ...dev,
    environment: "preview",
    protect: false,
    preview: { pullRequest: preview.pullRequest, expiresAt: preview.expiresAt },
    storage: {
      ...dev.storage,
      // Buckets go with the stack, objects included; retainOnDelete is already off in preview.
      forceDestroy: true,
      noncurrentVersionExpirationDays: 1,
      athenaResultsExpirationDays: 1,
      accessLogExpirationDays: 3,
      temporaryFilesExpirationDays: 1,
      abortIncompleteUploadsAfterDays: 1,
    },
    kms: { deletionWindowDays: 7 },
    catalog: { databaseName: previewDatabaseName(preview.pullRequest) },
    // The account-wide settings belong to dev (or to whoever dev names): a preview neither fights over
    // them nor takes them with it when destroyed; its roles get the catalog key of the owner.
    accountSettings: {
      owner: false,
      catalogKey: dev.accountSettings.catalogKey ?? `alias/${lakehouseKeyAlias("dev")}`,
    },
    // Athena bills at least 10 MB per query: a preview's sample data never needs more.
    athena: { bytesScannedCutoffPerQuery: MIN_ATHENA_BYTES_SCANNED_CUTOFF },
    glue: { workerType: "G.1X", numberOfWorkers: 2, timeoutMinutes: 15, maxRetries: 0 },
    emr: {
      ...dev.emr,
      enabled: preview.emr ?? false,
      coreInstanceType: DEFAULTS.emr.primaryInstanceType,
      minCapacityUnits: 1,
      maxCapacityUnits: 2,
      idleTimeoutMinutes: 30,
      ebsVolumeSizeGb: 32,
    },
    network: { ...dev.network, availabilityZoneCount: 2, natGateways: "Single" },
    // Jobs run when someone starts them, and alert nobody.
    pipeline: { ...dev.pipeline, scheduleEnabled: false, alertEmails: [] },
    // CloudTrail allows 5 trails per region and account: a trail per pull request would exhaust them.
    audit: { trail: "organization" },
    maintenance: { ...dev.maintenance, snapshotRetentionDays: 1 },
    logs: { retentionDays: 3 },
    // A preview's tables go with it: Athena DROP TABLE removes their data too (preview only).
    tables: { deletionPolicy: "drop" },
  });
}
