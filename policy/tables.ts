import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { IcebergTableResource } from "./lib/resource-types";
import { parseS3Uri, prefixesOverlap } from "./lib/s3-paths";
import { PREVIEW, stackEnvironment } from "./lib/stack-environment";
import { resourcesOf } from "./lib/stack-resources";

/**
 * Our own rules for Iceberg tables (no public scanner has them). They are stack policies: whether a
 * table may drop its data depends on the stack's environment, which the table's own provider (the
 * dynamic provider) does not carry. They read the table's state, which a dynamic provider echoes
 * from its inputs (`name`, `database`, `location`, `deletionPolicy`).
 */

export const icebergTableRetainsData: StackValidationPolicy = {
  name: "iceberg-table-retains-data",
  description:
    'Every Iceberg table keeps its data when Pulumi deletes it (deletionPolicy "retain"), unless the stack is a ' +
    'preview environment (Environment tag "preview" on the stack\'s AWS provider): Athena DROP TABLE deletes an ' +
    "Iceberg table's data.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set deletionPolicy "retain" (the default). Only short-lived preview stacks may drop their tables.',
  validateStack: (args, reportViolation) => {
    const tables = resourcesOf(args.resources, IcebergTableResource);
    if (tables.length === 0) {
      args.notApplicable("Policy only applies to stacks with Iceberg tables");
    }
    const environment = stackEnvironment(args.resources);
    if (environment === PREVIEW) {
      return;
    }
    for (const table of tables) {
      const policy = table.props.deletionPolicy ?? "retain";
      if (policy !== "retain") {
        const where =
          environment === undefined
            ? "a stack with no single Environment tag"
            : `environment "${environment}"`;
        reportViolation(
          `table "${String(table.props.name)}" has deletionPolicy "${String(policy)}" in ${where}`,
          table.urn,
        );
      }
    }
  },
};

function tableLabel(table: PolicyResource): string {
  return `table "${String(table.props.name)}"`;
}

export const icebergTableOwnLocation: StackValidationPolicy = {
  name: "iceberg-table-own-location",
  description:
    "Every Iceberg table has its own folder: an s3:// location below a bucket's root, inside no other table's " +
    "location. VACUUM fails on a bucket root, and one table's orphan-file cleanup deletes files in another " +
    "table's folder.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give each table a distinct folder, e.g. s3://<data bucket>/<layer>/<table>/ (the table declaration's prefix).",
  validateStack: (args, reportViolation) => {
    const tables = resourcesOf(args.resources, IcebergTableResource);
    if (tables.length === 0) {
      args.notApplicable("Policy only applies to stacks with Iceberg tables");
    }
    const located: { table: PolicyResource; bucket: string; prefix: string }[] = [];
    for (const table of tables) {
      const location = String(table.props.location);
      const parsed = parseS3Uri(location);
      if (parsed === undefined) {
        reportViolation(
          `${tableLabel(table)} has location "${location}", which is not an s3:// URI`,
          table.urn,
        );
      } else if (parsed.prefix === "") {
        reportViolation(`${tableLabel(table)} sits at the root of bucket "${parsed.bucket}"`, table.urn);
      } else {
        const other = located.find(
          (l) => l.bucket === parsed.bucket && prefixesOverlap(l.prefix, parsed.prefix),
        );
        if (other !== undefined) {
          reportViolation(
            `${tableLabel(table)} at "${location}" overlaps the location of ${tableLabel(other.table)} ("s3://${other.bucket}/${other.prefix}")`,
            table.urn,
          );
        }
        located.push({ table, bucket: parsed.bucket, prefix: parsed.prefix });
      }
    }
  },
};

export const TABLE_POLICIES = [icebergTableRetainsData, icebergTableOwnLocation];
