import { PolicyResource } from "@pulumi/policy";
import { parseS3Uri } from "./s3-paths";

/** A resource class as `isType` takes it (an @pulumi/aws class, or a type marker). */
export type ResourceClass = Parameters<PolicyResource["isType"]>[0];

/** The stack's resources of a class (or of any of several), in stack order (matched by `isType`). */
export function resourcesOf(
  resources: readonly PolicyResource[],
  resourceClass: ResourceClass | readonly ResourceClass[],
): PolicyResource[] {
  const classes: readonly ResourceClass[] = Array.isArray(resourceClass) ? resourceClass : [resourceClass];
  return resources.filter((r) => classes.some((c) => r.isType(c)));
}

/** A value as policies compare it: JSON-encoded provider inputs parsed, anything else as it is. */
export function parsedJson(value: unknown): unknown {
  if (typeof value !== "string" || !/^[[{]/.test(value.trim())) {
    return value;
  }
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The resources among `targets` that `resource`'s property `property` refers to: first by the engine's
 * property dependencies (known even when the value is not, as in a first preview), then by value
 * against the target's id, name, bucket or ARN (for a value written in, not taken from an output).
 */
export function referencedResources(
  resource: PolicyResource,
  property: string,
  targets: readonly PolicyResource[],
): PolicyResource[] {
  const byDependency = (resource.propertyDependencies[property] ?? []).filter((d) => targets.includes(d));
  if (byDependency.length > 0) {
    return byDependency;
  }
  const value = resource.props[property];
  if (typeof value !== "string" || value === "") {
    return [];
  }
  return targets.filter((target) =>
    ["id", "name", "bucket", "arn"].some((key) => target.props[key] === value),
  );
}

/** The companion resources (encryption, versioning, policy, ...) whose `bucket` property is `bucket`. */
export function companionsOf(
  bucket: PolicyResource,
  companions: readonly PolicyResource[],
  buckets: readonly PolicyResource[],
): PolicyResource[] {
  return companions.filter((c) => referencedResources(c, "bucket", buckets).includes(bucket));
}

/**
 * The bucket and key prefix an `s3://` location property points at: the bucket by dependency or by
 * its name in the URI, the prefix from the URI. Undefined when the value is not an S3 URI.
 */
export function s3Location(
  resource: PolicyResource,
  property: string,
  buckets: readonly PolicyResource[],
): { readonly bucket?: PolicyResource; readonly bucketName: string; readonly prefix: string } | undefined {
  const value = resource.props[property];
  const parsed = typeof value === "string" ? parseS3Uri(value) : undefined;
  if (parsed === undefined) {
    return undefined;
  }
  const byDependency = (resource.propertyDependencies[property] ?? []).filter((d) => buckets.includes(d));
  const bucket = byDependency[0] ?? buckets.find((b) => b.props.bucket === parsed.bucket);
  return { bucket, bucketName: parsed.bucket, prefix: parsed.prefix };
}
