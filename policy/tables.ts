import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { IcebergTableDynamicResourceMarker } from "./lib/resource-types";
import { parseS3Uri } from "./lib/s3-paths";
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
    const tables = resourcesOf(args.resources, IcebergTableDynamicResourceMarker);
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

interface PlacedTable {
  readonly table: PolicyResource;
  readonly location: string;
  readonly s3: { readonly bucket: string; readonly prefix: string } | undefined;
}

/** Whether `outer`'s folder holds `inner`'s; of two tables in one folder, the first by URN holds the other. */
function holds(outer: PlacedTable, inner: PlacedTable): boolean {
  if (outer === inner || outer.s3 === undefined || inner.s3 === undefined || outer.s3.prefix === "") {
    return false;
  }
  return (
    outer.s3.bucket === inner.s3.bucket &&
    inner.s3.prefix.startsWith(outer.s3.prefix) &&
    (outer.s3.prefix !== inner.s3.prefix || outer.table.urn < inner.table.urn)
  );
}

/**
 * The outermost table whose folder holds `inner`'s. Decided by the locations, not by the order the
 * engine lists resources in (registration order, which varies from run to run), so the same table is
 * reported every time: the one inside another's folder.
 */
function outermostHolder(inner: PlacedTable, all: readonly PlacedTable[]): PlacedTable | undefined {
  return all
    .filter((outer) => holds(outer, inner))
    .sort((a, b) => a.location.length - b.location.length || (a.table.urn < b.table.urn ? -1 : 1))[0];
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
    const tables = resourcesOf(args.resources, IcebergTableDynamicResourceMarker);
    if (tables.length === 0) {
      args.notApplicable("Policy only applies to stacks with Iceberg tables");
    }
    const placed: PlacedTable[] = tables.map((table) => {
      const location = String(table.props.location);
      return { table, location, s3: parseS3Uri(location) };
    });
    for (const current of placed) {
      const { table, location, s3 } = current;
      if (s3 === undefined) {
        reportViolation(
          `${tableLabel(table)} has location "${location}", which is not an s3:// URI`,
          table.urn,
        );
      } else if (s3.prefix === "") {
        reportViolation(`${tableLabel(table)} sits at the root of bucket "${s3.bucket}"`, table.urn);
      } else {
        const outer = outermostHolder(current, placed);
        if (outer !== undefined) {
          reportViolation(
            `${tableLabel(table)} at "${location}" overlaps the location of ${tableLabel(outer.table)} ("${outer.location}")`,
            table.urn,
          );
        }
      }
    }
  },
};

export const TABLE_POLICIES = [icebergTableRetainsData, icebergTableOwnLocation];
