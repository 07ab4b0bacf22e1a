import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { createServiceRole } from "./service-role";
import { CatalogAccess, tableAccessStatements, tableLocations } from "./table-access-policy";

/** The three Glue table optimizers; together they do what the maintenance job does (manifests aside). */
export const TABLE_OPTIMIZER_TYPES = ["compaction", "retention", "orphan_file_deletion"] as const;

/** Log groups the optimizers write to (AWS Glue "Table optimization prerequisites"). */
export const TABLE_OPTIMIZER_LOG_GROUPS = [
  "/aws-glue/iceberg-compaction/logs",
  "/aws-glue/iceberg-retention/logs",
  "/aws-glue/iceberg-orphan-file-deletion/logs",
];

export interface ManagedTableMaintenanceArgs {
  readonly context: AwsContext;
  /** Tables Glue maintains (`maintenance.tables.<name>: managed`); at least one. */
  readonly tables: readonly string[];
  /**
   * Managed tables that declare a sort order: their compaction uses Glue's `sort` strategy (the
   * table's own sort order), as the maintenance job's compaction does. @default []
   */
  readonly sortedTables?: readonly string[];
  /** The tables' resources: an optimizer is created once its table exists. */
  readonly tableResources: readonly pulumi.Resource[];
  /** Bucket, key, catalog and database of the tables; the role gets exactly these tables. */
  readonly access: CatalogAccess;
  /** Snapshots younger than this stay (time travel window). */
  readonly snapshotRetentionDays: number;
  /** Snapshots always kept, however old. */
  readonly snapshotsToKeep: number;
  /** Unreferenced files younger than this stay: they can belong to writes in flight (>= 3). */
  readonly orphanFileMinAgeDays: number;
}

/**
 * Glue's managed maintenance of chosen Iceberg tables: per table a compaction, a snapshot retention
 * and an orphan file deletion optimizer, with the same retention and orphan-age floors the
 * maintenance job applies, and one role scoped to exactly those tables. The orphan optimizer looks in
 * the table's own folder (its location is left unset on purpose: another folder can hold other
 * tables' files). Compaction sizes files by the table's `write_target_data_file_size_bytes`.
 */
export class ManagedTableMaintenance extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: ManagedTableMaintenanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:catalog:ManagedTableMaintenance", name, {}, opts);
    if (args.tables.length === 0) {
      throw new Error(`ManagedTableMaintenance ${name}: [tables] name at least one table`);
    }
    const { accountId, partition, region } = args.context;
    const role = createServiceRole(
      name,
      {
        service: "glue.amazonaws.com",
        sourceAccount: accountId,
        description: `Glue table optimizers ${name}: only the managed tables`,
        statements: [
          ...tableAccessStatements(args.context, {
            ...args.access,
            readsTables: [],
            writesTables: tableLocations(args.tables),
            readsPrefixes: [],
          }),
          {
            Sid: "WriteOptimizerLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: TABLE_OPTIMIZER_LOG_GROUPS.map(
              (group) =>
                pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:${group}:*`,
            ),
          },
        ],
      },
      { parent: this },
    );

    for (const table of args.tables) {
      for (const type of TABLE_OPTIMIZER_TYPES) {
        new aws.glue.CatalogTableOptimizer(
          `${name}-${table.replace(/_/g, "-")}-${type.replace(/_/g, "-")}`,
          {
            catalogId: accountId,
            databaseName: args.access.databaseName,
            tableName: table,
            type,
            configuration: {
              roleArn: role.arn,
              enabled: true,
              ...optimizerConfiguration(type, args, (args.sortedTables ?? []).includes(table)),
            },
          },
          { parent: this, dependsOn: [role, ...args.tableResources] },
        );
      }
    }
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

/** Each optimizer's own block; every safety-relevant value is set, none left to AWS's defaults. */
export function optimizerConfiguration(
  type: (typeof TABLE_OPTIMIZER_TYPES)[number],
  args: Pick<
    ManagedTableMaintenanceArgs,
    "snapshotRetentionDays" | "snapshotsToKeep" | "orphanFileMinAgeDays"
  >,
  sorted = false,
): Omit<aws.types.input.glue.CatalogTableOptimizerConfiguration, "roleArn" | "enabled"> {
  switch (type) {
    case "compaction":
      return { compactionConfiguration: { icebergConfiguration: { strategy: sorted ? "sort" : "binpack" } } };
    case "retention":
      return {
        retentionConfiguration: {
          icebergConfiguration: {
            snapshotRetentionPeriodInDays: args.snapshotRetentionDays,
            numberOfSnapshotsToRetain: args.snapshotsToKeep,
            // Expired snapshots' files go too, as the job's expire_snapshots does.
            cleanExpiredFiles: true,
          },
        },
      };
    case "orphan_file_deletion":
      return {
        orphanFileDeletionConfiguration: {
          icebergConfiguration: { orphanFileRetentionPeriodInDays: args.orphanFileMinAgeDays },
        },
      };
  }
}
