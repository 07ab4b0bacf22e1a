import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { IcebergTableDynamicResourceMarker } from "./resource-types";
import { BUCKET_CLASSES } from "./s3-types";
import { resourcesOf, s3Location } from "./stack-resources";

/** Where live Iceberg data of the stack is: a bucket of the stack and a key prefix in it. */
export interface LakehouseLocation {
  readonly bucket: PolicyResource;
  readonly prefix: string;
}

/**
 * The stack's lakehouse data locations: each Iceberg table's location and the Glue catalog database's
 * location (where tables created without one, e.g. by Spark, go). Their buckets are the data buckets.
 */
export function lakehouseLocations(resources: readonly PolicyResource[]): LakehouseLocation[] {
  const buckets = resourcesOf(resources, BUCKET_CLASSES);
  return [
    ...resourcesOf(resources, IcebergTableDynamicResourceMarker).map((table) =>
      s3Location(table, "location", buckets),
    ),
    ...resourcesOf(resources, aws.glue.CatalogDatabase).map((database) =>
      s3Location(database, "locationUri", buckets),
    ),
  ].flatMap((location) =>
    location?.bucket === undefined ? [] : [{ bucket: location.bucket, prefix: location.prefix }],
  );
}
