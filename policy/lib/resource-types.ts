import * as pulumi from "@pulumi/pulumi";

/**
 * Resource types the pack checks that have no class in @pulumi/aws: the lakehouse's Iceberg tables.
 * The program declares each table as a ComponentResource `lakehouse:catalog:IcebergTable` wrapping a
 * dynamic resource (Athena DDL) of the type below; the rules look at the dynamic resource, which holds
 * the inputs and the options (protect, deleteBeforeReplace) that decide what happens to the data.
 */
export const ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic/lakehouse:IcebergTable";

/** The component that wraps each table (its URN is the table's path in reports). */
export const ICEBERG_TABLE_COMPONENT_TYPE = "lakehouse:catalog:IcebergTable";

/** What a table does with its data when Pulumi deletes it: `drop` runs DROP TABLE (data deleted). */
export type TableDeletionPolicy = "retain" | "drop";

/** The inputs of the table's dynamic resource that the rules read. */
export interface IcebergTableInputs {
  readonly name: string;
  readonly database: string;
  /** `s3://<bucket>/<prefix>/`, the table's own folder. */
  readonly location: string;
  /** @default "retain" (the provider drops only tables that opt in) */
  readonly deletionPolicy?: TableDeletionPolicy;
}

/**
 * Type marker for `validateResourceOfType` and `isType`: @pulumi/policy matches a class by its static
 * `__pulumiType`, as it does for @pulumi/aws classes. Policies never construct it (the program's own
 * class, components/iceberg-table/iceberg-table.ts, is not imported: the pack stands apart from the program).
 */
export class IcebergTableDynamicResourceMarker extends pulumi.CustomResource {
  static readonly __pulumiType = ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE;

  constructor(name: string, args: IcebergTableInputs, opts?: pulumi.CustomResourceOptions) {
    super(ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE, name, args, opts);
  }
}
