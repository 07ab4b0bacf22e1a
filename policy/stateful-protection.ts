import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { IcebergTableDynamicResourceMarker } from "./lib/resource-types";
import { validateEveryBucket } from "./lib/s3-types";
import { PRODUCTION, stackEnvironment } from "./lib/stack-environment";
import { ResourceClass } from "./lib/stack-resources";

/** Data-safety rules for stateful resources: what holds data, and how the stack says where it runs. */

/** The resources whose loss loses data, with how messages name them. */
const STATEFUL: readonly { readonly resourceClass: ResourceClass; readonly label: string }[] = [
  { resourceClass: aws.s3.Bucket, label: "bucket" },
  { resourceClass: aws.s3.BucketV2, label: "bucket" },
  { resourceClass: aws.s3.DirectoryBucket, label: "bucket" },
  { resourceClass: aws.kms.Key, label: "KMS key" },
  { resourceClass: aws.glue.CatalogDatabase, label: "Glue database" },
  { resourceClass: IcebergTableDynamicResourceMarker, label: "Iceberg table" },
];

function statefulLabel(resource: PolicyResource): string | undefined {
  return STATEFUL.find((s) => resource.isType(s.resourceClass))?.label;
}

export const productionStatefulProtected: StackValidationPolicy = {
  name: "prod-stateful-resources-protected",
  description:
    'In production (Environment tag "prod" on the stack\'s AWS providers) every bucket, KMS key, Glue ' +
    "database and Iceberg table has Pulumi's protect option, so no update or destroy can delete it. A stack " +
    "whose providers do not agree on a known environment is held to this rule too: missing context fails.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set protect: true in the prod stack file (it reaches exactly these resources through statefulOptions).",
  validateStack: (args, reportViolation) => {
    const environment = stackEnvironment(args.resources);
    if (environment !== undefined && environment !== PRODUCTION) {
      args.notApplicable("Policy only applies to production stacks");
    }
    const where = environment === undefined ? "a stack with no single known Environment tag" : "production";
    for (const resource of args.resources) {
      const label = statefulLabel(resource);
      if (label !== undefined && resource.opts.protect !== true) {
        reportViolation(`${label} "${resource.name}" is not protected in ${where}`, resource.urn);
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
    ...validateEveryBucket(noDeleteBeforeReplace("bucket")),
    validateResourceOfType(aws.kms.Key, noDeleteBeforeReplace("KMS key")),
    validateResourceOfType(aws.glue.CatalogDatabase, noDeleteBeforeReplace("Glue database")),
    validateResourceOfType(IcebergTableDynamicResourceMarker, noDeleteBeforeReplace("Iceberg table")),
  ],
};

export const STATEFUL_POLICIES = [productionStatefulProtected, statefulNoDeleteBeforeReplace];
