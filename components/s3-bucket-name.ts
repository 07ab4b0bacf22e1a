/**
 * AWS's naming rules for general purpose S3 buckets (S3 user guide, "General purpose bucket naming
 * rules"), so a name S3 would refuse, or one that means something else (an IP address, an access
 * point or Multi-Region Access Point alias), fails at preview with the rule it breaks. Used by the
 * dynamic providers (IcebergTable locations, the job code bucket): plain functions and regular
 * expressions only, which survive Pulumi's function serializer.
 */

/** The rules in one line, for error messages. */
export const S3_BUCKET_NAME_RULE =
  '3-63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit, no "..", not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)';

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Which rule `name` breaks, or undefined for a valid bucket name. */
export function s3BucketNameViolation(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `it is ${name.length} characters long`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return "it has a character other than a lowercase letter, a digit, a period or a hyphen";
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "it does not start and end with a letter or digit";
  }
  if (name.includes("..")) {
    return "it has two adjacent periods";
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    return "it is formatted as an IP address";
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) {
    return `it starts with the reserved prefix "${prefix}"`;
  }
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  return suffix === undefined ? undefined : `it ends with the reserved suffix "${suffix}"`;
}

/** `"name" is not an S3 bucket name: <rule broken>; accepted: <the rules>`, or undefined when valid. */
export function s3BucketNameProblem(name: string): string | undefined {
  const violation = s3BucketNameViolation(name);
  return violation === undefined
    ? undefined
    : `${JSON.stringify(name)} is not an S3 bucket name: ${violation}; accepted: ${S3_BUCKET_NAME_RULE}`;
}
