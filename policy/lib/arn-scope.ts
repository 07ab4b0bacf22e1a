/**
 * How far an IAM Resource value reaches. `*` is every resource; an ARN whose wildcard stands where a
 * specific resource should be named reaches every resource of a kind, in every account or every
 * bucket: `arn:aws:s3:::*` and `arn:aws:s3:::*\/*` (every bucket and object), `arn:aws:kms:*:*:key/*`,
 * `arn:aws:iam::123456789012:role/*`. A wildcard after a named folder or resource (`bucket/raw/*`,
 * `log-group:/aws-glue/*`, `table/db/*`) is a scope, not a reach.
 */

const WILDCARD = /[*?]/;

/** Why `resource` reaches every resource of a kind (a phrase for messages), or undefined when it is scoped. */
export function unscopedReach(resource: string): string | undefined {
  if (!resource.startsWith("arn:")) {
    return WILDCARD.test(resource) ? "every resource" : undefined;
  }
  const [, partition, service, , account, ...rest] = resource.split(":");
  const name = rest.join(":");
  if (WILDCARD.test(partition ?? "") || WILDCARD.test(service ?? "")) {
    return "every service";
  }
  if (service === "s3") {
    const bucket = name.split("/")[0];
    return WILDCARD.test(bucket) ? "every bucket" : undefined;
  }
  if (WILDCARD.test(account ?? "")) {
    return "every account";
  }
  // The resource's type (`role`, `key`, `log-group`) and then its name: a wildcard first in the name.
  const typed = /^([A-Za-z0-9-]+)[/:](.*)$/.exec(name);
  const first = (typed === null ? name : typed[2]).charAt(0);
  if (name === "" || first === "*" || first === "?") {
    return typed === null ? `every ${service} resource` : `every ${service} ${typed[1]}`;
  }
  return undefined;
}
