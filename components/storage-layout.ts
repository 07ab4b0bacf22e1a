import * as pulumi from "@pulumi/pulumi";
import { LakehouseConfig } from "../config/stack-config";
import { PolicyStatement } from "./iam-documents";
import { PrefixLifecycleRule } from "./lakehouse-bucket";

/**
 * What lives where in the three buckets, and the lifecycle each folder gets. The seed's rules,
 * corrected: live table data only ever moves to STANDARD_IA (instantly readable, and only files over
 * 128 KiB, so metadata and manifests stay in STANDARD); it never expires and never goes to GLACIER.
 */

/** The data bucket's folder of landing JSON: the bronze job reads it (`--landing-uri`), and so may EMR. */
export const LANDING_PREFIX = "landing/";

/** The data bucket's folder for tables created without a location (the Glue database's default). */
export const WAREHOUSE_PREFIX = "warehouse/";

/** STANDARD_IA bills smaller objects as 128 KiB; Iceberg metadata files are small and read often. */
export const INFREQUENT_ACCESS_MIN_OBJECT_BYTES = 128 * 1024;

export function dataBucketRules(config: Pick<LakehouseConfig, "storage">): PrefixLifecycleRule[] {
  const ia = (days: number) => [{ days, storageClass: "STANDARD_IA" as const }];
  return [
    {
      id: "raw-data-lifecycle",
      prefix: "raw/",
      transitions: ia(config.storage.rawInfrequentAccessAfterDays),
      minObjectSizeBytes: INFREQUENT_ACCESS_MIN_OBJECT_BYTES,
    },
    {
      id: "curated-data-lifecycle",
      prefix: "curated/",
      transitions: ia(config.storage.curatedInfrequentAccessAfterDays),
      minObjectSizeBytes: INFREQUENT_ACCESS_MIN_OBJECT_BYTES,
    },
    {
      id: "cleanup-temp",
      prefix: "_temporary/",
      expirationDays: config.storage.temporaryFilesExpirationDays,
    },
  ];
}

/** Artifacts: job code is kept (running jobs need their version); results, scratch and logs expire. */
export function artifactsBucketRules(
  config: Pick<LakehouseConfig, "storage" | "logs">,
): PrefixLifecycleRule[] {
  return [
    {
      id: "expire-athena-results",
      prefix: "athena-results/",
      expirationDays: config.storage.athenaResultsExpirationDays,
    },
    {
      id: "expire-glue-temp",
      prefix: "glue-temp/",
      expirationDays: config.storage.temporaryFilesExpirationDays,
    },
    { id: "expire-spark-ui-logs", prefix: "spark-ui/", expirationDays: config.logs.retentionDays },
    { id: "expire-emr-logs", prefix: "emr-logs/", expirationDays: config.logs.retentionDays },
  ];
}

export function accessLogBucketRules(config: Pick<LakehouseConfig, "storage">): PrefixLifecycleRule[] {
  return [{ id: "expire-access-logs", prefix: "", expirationDays: config.storage.accessLogExpirationDays }];
}

/** Lets S3 server access logging of this account's buckets write into the log bucket. */
export function accessLogDeliveryStatements(accountId: pulumi.Output<string>) {
  return (bucketArn: pulumi.Output<string>): PolicyStatement[] => [
    {
      Sid: "S3ServerAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ];
}
