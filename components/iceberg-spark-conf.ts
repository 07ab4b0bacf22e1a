import * as pulumi from "@pulumi/pulumi";

/** The Spark catalog name every engine uses for the Glue Data Catalog (jobs read it from `--catalog`). */
export const ICEBERG_CATALOG_NAME = "glue_catalog";

/** Spark settings that turn on Iceberg with the Glue Data Catalog (Glue 5.0 and EMR 7 alike). */
export function icebergSparkConf(warehouseUri: pulumi.Input<string>): pulumi.Output<Record<string, string>> {
  const catalog = `spark.sql.catalog.${ICEBERG_CATALOG_NAME}`;
  return pulumi.output(warehouseUri).apply((warehouse): Record<string, string> => ({
    "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
    [catalog]: "org.apache.iceberg.spark.SparkCatalog",
    [`${catalog}.catalog-impl`]: "org.apache.iceberg.aws.glue.GlueCatalog",
    [`${catalog}.io-impl`]: "org.apache.iceberg.aws.s3.S3FileIO",
    [`${catalog}.warehouse`]: warehouse,
    // Athena reads format v2 only; Iceberg 1.7 writes v2 by default, this keeps new tables there.
    [`${catalog}.table-default.format-version`]: "2",
  }));
}

/**
 * Glue takes one `--conf` job argument; further settings ride inside its value as
 * `k=v --conf k2=v2` (the form AWS documents for Iceberg on Glue).
 */
export function glueConfArgument(conf: Record<string, string>): string {
  return Object.entries(conf)
    .map(([key, value]) => `${key}=${value}`)
    .join(" --conf ");
}
