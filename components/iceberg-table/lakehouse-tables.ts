import * as pulumi from "@pulumi/pulumi";
import { TableDefinition } from "../../tables/table-definition";
import { StatefulOptions } from "../stateful";
import { IcebergTable, icebergTableArgsFromDefinition } from "./iceberg-table";
import { DeletionPolicy } from "./spec";

export interface LakehouseTablesArgs {
  readonly tables: readonly TableDefinition[];
  readonly databaseName: pulumi.Input<string>;
  readonly dataBucketName: pulumi.Input<string>;
  readonly workgroupName: pulumi.Input<string>;
  readonly region: string;
  readonly deletionPolicy: DeletionPolicy;
  readonly stateful: StatefulOptions;
}

/**
 * One IcebergTable per declared table, at `s3://<data bucket>/<prefix>`, named `<name>-<table>`.
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
        `${name}-${table.name}`,
        icebergTableArgsFromDefinition(table, {
          database: args.databaseName,
          location: pulumi.interpolate`s3://${args.dataBucketName}/${table.prefix}`,
          workgroup: args.workgroupName,
          region: args.region,
          deletionPolicy: args.deletionPolicy,
          protect: args.stateful.protect,
          retainOnDelete: args.stateful.retainOnDelete,
        }),
        opts,
      ),
    ]),
  );
}
