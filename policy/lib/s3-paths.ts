/** `s3://bucket/key/prefix/` split into bucket and key prefix, or undefined when it is not an S3 URI. */
export function parseS3Uri(uri: string): { readonly bucket: string; readonly prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return match === null ? undefined : { bucket: match[1], prefix: match[2] };
}

/** Two key prefixes overlap when one contains the other ("" is the whole bucket). */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
