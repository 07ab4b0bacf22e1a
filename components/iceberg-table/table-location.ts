import { s3BucketNameProblem } from "../s3-bucket-name";

/**
 * The rules of a table's S3 location: a folder (never the bucket root: VACUUM fails there) of a bucket
 * whose name S3 accepts, made of plain folder names.
 */

const LOCATION_SHAPE = /^s3:\/\/([^/]*)\/((?:[A-Za-z0-9_.=-]+\/)+)$/;
const LOCATION_RULE =
  'must be an S3 folder such as "s3://bucket/prefix/": a lowercase bucket name, then one or more folders of letters, digits, "_", "-", ".", "=", each ending in "/" (never the bucket root)';

/** What is wrong with `location`, or undefined when it is a valid table location. */
export function tableLocationProblem(location: string): string | undefined {
  const match = LOCATION_SHAPE.exec(location);
  if (match === null) {
    return `${JSON.stringify(location)} ${LOCATION_RULE}`;
  }
  const [, bucket, folders] = match;
  const bucketProblem = s3BucketNameProblem(bucket);
  if (bucketProblem !== undefined) {
    return `${JSON.stringify(location)}: bucket ${bucketProblem}`;
  }
  if (folders.split("/").some((segment) => /^\.+$/.test(segment))) {
    return `${JSON.stringify(location)} has a "." or ".." folder; accepted: plain folder names`;
  }
  return undefined;
}
