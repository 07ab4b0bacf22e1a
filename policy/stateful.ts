import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { IcebergTableResource } from "./lib/resource-types";
import {
  awsProviders,
  ENVIRONMENT_TAG,
  environmentTag,
  KNOWN_ENVIRONMENTS,
  PRODUCTION,
  stackEnvironment,
} from "./lib/stack-environment";
import { ResourceClass } from "./lib/stack-resources";

/** Data-safety rules for stateful resources: what holds data, and how the stack says where it runs. */

/** The resources whose loss loses data, with how messages name them. */
const STATEFUL: readonly { readonly resourceClass: ResourceClass; readonly label: string }[] = [
  { resourceClass: aws.s3.Bucket, label: "bucket" },
  { resourceClass: aws.kms.Key, label: "KMS key" },
  { resourceClass: aws.glue.CatalogDatabase, label: "Glue database" },
  { resourceClass: IcebergTableResource, label: "Iceberg table" },
];

function statefulLabel(resource: PolicyResource): string | undefined {
  return STATEFUL.find((s) => resource.isType(s.resourceClass))?.label;
}

export const productionStatefulProtected: StackValidationPolicy = {
  name: "prod-stateful-resources-protected",
  description:
    'In production (Environment tag "prod" on the stack\'s AWS provider) every bucket, KMS key, Glue ' +
    "database and Iceberg table has Pulumi's protect option, so no update or destroy can delete it.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set protect: true in the prod stack file (it reaches exactly these resources through statefulOptions).",
  validateStack: (args, reportViolation) => {
    if (stackEnvironment(args.resources) !== PRODUCTION) {
      args.notApplicable("Policy only applies to production stacks");
    }
    for (const resource of args.resources) {
      const label = statefulLabel(resource);
      if (label !== undefined && resource.opts.protect !== true) {
        reportViolation(`${label} "${resource.name}" is not protected in production`, resource.urn);
      }
    }
  },
};

function noDeleteBeforeReplace(label: string) {
  return (_props: unknown, args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.opts.deleteBeforeReplace === true) {
      reportViolation(
        `${label} "${args.name}" is set to be deleted before its replacement is created (deleteBeforeReplace)`,
      );
    }
  };
}

export const statefulNoDeleteBeforeReplace: ResourceValidationPolicy = {
  name: "stateful-no-delete-before-replace",
  description:
    "No bucket, KMS key, Glue database or Iceberg table sets deleteBeforeReplace: a replacement would " +
    "delete the data before anything new exists.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove deleteBeforeReplace; a change that needs a replacement of a stateful resource is a migration, " +
    "planned on its own (copy, switch, then retire).",
  validateResource: [
    validateResourceOfType(aws.s3.Bucket, noDeleteBeforeReplace("bucket")),
    validateResourceOfType(aws.kms.Key, noDeleteBeforeReplace("KMS key")),
    validateResourceOfType(aws.glue.CatalogDatabase, noDeleteBeforeReplace("Glue database")),
    validateResourceOfType(IcebergTableResource, noDeleteBeforeReplace("Iceberg table")),
  ],
};

export const stackEnvironmentTag: StackValidationPolicy = {
  name: "stack-environment-tag",
  description:
    `The stack's AWS providers carry one ${ENVIRONMENT_TAG} default tag, one of ${KNOWN_ENVIRONMENTS.join(", ")}: ` +
    "the environment-dependent rules (production protection, table retention, forceDestroy) read it.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the stack's AWS provider with defaultTags.tags.Environment set to the stack's environment " +
    "(the Lakehouse component does, from the config's environment) and pass it to every resource.",
  validateStack: (args, reportViolation) => {
    const providers = awsProviders(args.resources);
    if (providers.length === 0) {
      reportViolation("the stack has no AWS provider whose default tags say its environment");
    }
    const seen = new Map<string, string[]>();
    for (const provider of providers) {
      const environment = environmentTag(provider.props);
      if (environment === undefined) {
        reportViolation(
          `AWS provider "${provider.name}" has no ${ENVIRONMENT_TAG} default tag`,
          provider.urn,
        );
      } else if (!KNOWN_ENVIRONMENTS.includes(environment)) {
        reportViolation(
          `AWS provider "${provider.name}" has ${ENVIRONMENT_TAG} "${environment}"; accepted: ${KNOWN_ENVIRONMENTS.join(", ")}`,
          provider.urn,
        );
      } else {
        seen.set(environment, [...(seen.get(environment) ?? []), provider.name]);
      }
    }
    if (seen.size > 1) {
      const list = [...seen]
        .map(([environment, names]) => `"${environment}" (${names.join(", ")})`)
        .join(", ");
      reportViolation(`the stack's AWS providers disagree on ${ENVIRONMENT_TAG}: ${list}`);
    }
  },
};

export const STATEFUL_POLICIES = [
  productionStatefulProtected,
  statefulNoDeleteBeforeReplace,
  stackEnvironmentTag,
];
