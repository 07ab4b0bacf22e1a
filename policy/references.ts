import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { actionMatches } from "./lib/iam-document";
import {
  bucketNameOf,
  identityPolicyReferences,
  Reference,
  REFERENCE_SITES,
  ReferenceKind,
} from "./lib/reference-sites";
import { BUCKET_CLASSES } from "./lib/s3-types";
import { stackDocuments } from "./lib/stack-documents";
import { ResourceClass, resourcesOf } from "./lib/stack-resources";

/**
 * References by string. A KMS key, bucket, role, log group or security configuration named by ARN or
 * name may be one the stack does not create: an AWS managed key (alias/aws/s3), a log group or a
 * security configuration nobody checks, a bucket of someone else. The baseline's checks only hold for
 * what the stack creates, so a reference must resolve to a resource of the stack, or the policy config
 * must list it (fail closed).
 */

interface KindRule {
  readonly label: string;
  readonly knob: string;
  readonly targets: readonly ResourceClass[];
  /** The target's outputs that a reference may use. */
  readonly identifiers: readonly string[];
  /** The reference as the identifiers hold it. */
  readonly normalize?: (value: string) => string;
}

const KINDS: Record<ReferenceKind, KindRule> = {
  kmsKey: {
    label: "KMS key",
    knob: "externalKmsKeys",
    targets: [aws.kms.Key, aws.kms.Alias],
    identifiers: ["arn", "keyId", "id", "name"],
  },
  bucket: {
    label: "bucket",
    knob: "externalBuckets",
    targets: [...BUCKET_CLASSES, aws.s3.DirectoryBucket],
    identifiers: ["bucket", "id"],
    normalize: bucketNameOf,
  },
  role: {
    label: "IAM role",
    knob: "externalRoles",
    targets: [aws.iam.Role, aws.iam.InstanceProfile],
    identifiers: ["arn", "name", "id"],
  },
  logGroup: {
    label: "log group",
    knob: "externalLogGroups",
    targets: [aws.cloudwatch.LogGroup],
    identifiers: ["arn", "name"],
    normalize: (value) => value.replace(/:\*$/, ""),
  },
  glueSecurityConfiguration: {
    label: "Glue security configuration",
    knob: "externalGlueSecurityConfigurations",
    targets: [aws.glue.SecurityConfiguration],
    identifiers: ["name", "id"],
  },
  emrSecurityConfiguration: {
    label: "EMR security configuration",
    knob: "externalEmrSecurityConfigurations",
    targets: [aws.emr.SecurityConfiguration],
    identifiers: ["name", "id"],
  },
};

/** The identifiers of each kind's resources in the stack. */
function ownIdentifiers(resources: readonly PolicyResource[]): Map<ReferenceKind, Set<string>> {
  const own = new Map<ReferenceKind, Set<string>>();
  for (const [kind, rule] of Object.entries(KINDS) as [ReferenceKind, KindRule][]) {
    const values = resourcesOf(resources, rule.targets).flatMap((r) =>
      rule.identifiers
        .map((key) => r.props[key])
        .filter((v): v is string => typeof v === "string" && v !== ""),
    );
    // An alias's ARN is the key's region and account with alias/<name>: accept both spellings.
    const aliasArns = kind === "kmsKey" ? values.filter((v) => v.includes(":alias/")) : [];
    own.set(kind, new Set([...values, ...aliasArns.map((arn) => arn.slice(arn.indexOf(":alias/") + 1))]));
  }
  return own;
}

type ReferenceConfig = Partial<Record<string, string[]>>;

export const stackOwnedReferences: StackValidationPolicy = {
  name: "stack-owned-references",
  description:
    "Every KMS key, bucket, IAM role, log group, Glue and EMR security configuration that a resource of the " +
    "stack names by ARN, name or s3:// URI (encryption keys, log targets, job scripts and arguments, roles, " +
    "identity policy resources, security configurations) is a resource of the stack, whose settings the " +
    "pack checks, or is listed in the policy config: an AWS managed key or someone else's log group fails.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Pass the stack's own resource (its output, e.g. the LakehouseKey's arn) instead of a string. A resource " +
    "made elsewhere on purpose goes in the matching list of the policy config (externalKmsKeys, " +
    "externalBuckets, externalRoles, externalLogGroups, externalGlueSecurityConfigurations, " +
    "externalEmrSecurityConfigurations).",
  configSchema: {
    properties: Object.fromEntries(
      Object.values(KINDS).map((rule) => [
        rule.knob,
        {
          type: "array",
          items: { type: "string" },
          default: [],
          description: `${rule.label[0].toUpperCase()}${rule.label.slice(1)}s (ARN or name, wildcards allowed) made outside the stack that its resources may name.`,
        },
      ]),
    ),
  },
  validateStack: (args, reportViolation) => {
    const own = ownIdentifiers(args.resources);
    const config = args.getConfig<ReferenceConfig>();
    const check = (resource: PolicyResource, what: string, reference: Reference) => {
      const rule = KINDS[reference.kind];
      // A top-level property taken from a resource of the kind is that resource, whatever its spelling.
      const fromDependency = (resource.propertyDependencies[reference.field] ?? []).some((d) =>
        rule.targets.some((target) => d.isType(target)),
      );
      if (fromDependency) {
        return;
      }
      const value = (rule.normalize ?? ((v: string) => v))(reference.value);
      const listed = (config[rule.knob] ?? []).some(
        (pattern) => actionMatches(pattern, reference.value) || actionMatches(pattern, value),
      );
      if (!own.get(reference.kind)?.has(value) && !listed) {
        reportViolation(
          `${what} names ${rule.label} "${reference.value}" (${reference.field}), which is not a resource of this stack nor listed in ${rule.knob}`,
          resource.urn,
        );
      }
    };
    for (const site of REFERENCE_SITES) {
      for (const resource of resourcesOf(args.resources, site.resourceClass)) {
        const what = `${resource.type.split(":").pop()} "${resource.name}"`;
        site.references(resource.props).forEach((reference) => check(resource, what, reference));
      }
    }
    for (const { resource, label, document } of stackDocuments(args.resources, ["identity"])) {
      identityPolicyReferences(document, "Resource").forEach((reference) =>
        check(resource, label, reference),
      );
    }
  },
};
