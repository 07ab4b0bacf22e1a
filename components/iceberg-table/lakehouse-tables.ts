import * as pulumi from "@pulumi/pulumi";
import { TableDefinition } from "../../tables/table-definition";
import { AwsSdkConnection } from "../aws-sdk-config";
import { StatefulOptions } from "../stateful-options";
import { IcebergTable, icebergTableArgsFromDefinition } from "./iceberg-table";
import { DeletionPolicy } from "../../tables/deletion-policy";

export interface LakehouseTablesArgs {
  readonly tables: readonly TableDefinition[];
  readonly databaseName: pulumi.Input<string>;
  readonly dataBucketName: pulumi.Input<string>;
  readonly workgroupName: pulumi.Input<string>;
  readonly region: string;
  /** The stack's AWS connection for the provider's SDK clients. @default { region } */
  readonly aws?: AwsSdkConnection;
  readonly deletionPolicy: DeletionPolicy;
  readonly stateful: StatefulOptions;
}

/** The component's logical name for a table: `<name>-<table>`. */
export function tableResourceName(name: string, table: string): string {
  return `${name}-${table}`;
}

/**
 * Options of a table's component. A renamed table keeps its resource through an alias to the logical
 * name its previous name gave (the child's alias follows): Pulumi then updates it, and the provider
 * renames the table in place, instead of creating a second table and forgetting the first.
 */
export function tableResourceOptions(
  name: string,
  table: TableDefinition,
  opts: pulumi.ComponentResourceOptions,
): pulumi.ComponentResourceOptions {
  return table.renamedFrom === undefined
    ? opts
    : { ...opts, aliases: [...(opts.aliases ?? []), { name: tableResourceName(name, table.renamedFrom) }] };
}

/**
 * One IcebergTable per declared table, at `s3://<data bucket>/<prefix>`.
 * `opts.dependsOn` should hold the database and the workgroup: the DDL needs both to exist.
 */
export function createLakehouseTables(
  name: string,
  args: LakehouseTablesArgs,
  opts: pulumi.ComponentResourceOptions,
): Record<string, IcebergTable> {
  return Object.fromEntries(
    args.tables.map((table) => [
      table.name,
      new IcebergTable(
        tableResourceName(name, table.name),
        icebergTableArgsFromDefinition(table, {
          database: args.databaseName,
          location: pulumi.interpolate`s3://${args.dataBucketName}/${table.prefix}`,
          workgroup: args.workgroupName,
          region: args.region,
          ...(args.aws === undefined ? {} : { aws: args.aws }),
          deletionPolicy: args.deletionPolicy,
          protect: args.stateful.protect,
          retainOnDelete: args.stateful.retainOnDelete,
        }),
        tableResourceOptions(name, table, opts),
      ),
    ]),
  );
}
