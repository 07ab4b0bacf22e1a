import * as pulumi from "@pulumi/pulumi";
import { DeletionPolicy } from "../../tables/deletion-policy";
import { ColumnDefinition, PartitionField, SortField, TableDefinition } from "../../tables/table-definition";
import { awsConnectionProblems } from "../aws-sdk-connection-check";
import { AwsSdkConnection } from "../aws-sdk-config";
import { ICEBERG_TABLE_PROVIDER_VERSION, icebergTableProvider } from "./provider";
import { claimDeclaration } from "./table-declarations";
import {
  definitionSpecFields,
  ICEBERG_TABLE_DEFAULTS,
  icebergTableSpecError,
  icebergTableSpecProblems,
} from "./spec";

/**
 * The two type tokens of a table, both in every deployed state: the component users declare
 * (`IcebergTable`) and its one child, the dynamic resource that runs the DDL
 * (`IcebergTableDynamicResource`). Either change renames every table's URN, and the dynamic resource's
 * URN is also written into each table's ownership marker (./table-ownership): never change them.
 */
export const ICEBERG_TABLE_COMPONENT_TYPE = "lakehouse:catalog:IcebergTable";
/** Module and type of the dynamic resource: Pulumi prefixes them with `pulumi-nodejs:dynamic/`. */
const ICEBERG_TABLE_DYNAMIC_MODULE = "lakehouse";
const ICEBERG_TABLE_DYNAMIC_TYPE = "IcebergTable";
export const ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE = `pulumi-nodejs:dynamic/${ICEBERG_TABLE_DYNAMIC_MODULE}:${ICEBERG_TABLE_DYNAMIC_TYPE}`;

export interface IcebergTableArgs {
  /** Table name: 1-128 lowercase letters, digits, underscores. */
  readonly name: string;
  /** The previous name, to rename the table in place. */
  readonly renamedFrom?: string;
  /** Table comment (Spark and docs; Athena DDL has no table comment). */
  readonly comment?: string;
  readonly columns: readonly ColumnDefinition[];
  /** @default [] (unpartitioned) */
  readonly partitionBy?: readonly PartitionField[];
  /** The sort order (set through Glue's Iceberg update). @default [] (unsorted) */
  readonly sortOrder?: readonly SortField[];
  /** Athena table properties (allow-listed keys). @default {} */
  readonly properties?: Readonly<Record<string, string>>;
  /** @default false */
  readonly allowColumnDrops?: boolean;
  readonly database: pulumi.Input<string>;
  /** `s3://bucket/prefix/`, a folder. */
  readonly location: pulumi.Input<string>;
  /** Athena workgroup the DDL runs in. */
  readonly workgroup: pulumi.Input<string>;
  readonly region: string;
  /**
   * How the provider reaches AWS: the stack's AWS settings as SDK configuration (`awsSdkConnection`;
   * names, ARNs and endpoints only, since inputs are stored in plain text). Its region must be `region`.
   * @default { region } (the SDK's default chain in the provider's process)
   */
  readonly aws?: AwsSdkConnection;
  /** @default "retain" (table and data stay when the resource is deleted) */
  readonly deletionPolicy?: DeletionPolicy;
  /** Pulumi protection of the table resource (refuses delete and replace). @default false */
  readonly protect?: boolean;
  /** Pulumi forgets the table on delete without calling the provider. @default false */
  readonly retainOnDelete?: boolean;
}

/** The component args of a declared table placed at `location`. */
export function icebergTableArgsFromDefinition(
  definition: TableDefinition,
  placement: Omit<IcebergTableArgs, keyof TableDefinition | "columns" | "partitionBy" | "properties">,
): IcebergTableArgs {
  return { ...definitionSpecFields(definition), ...placement };
}

const provider = icebergTableProvider();

/** The dynamic resource; its inputs are the flat spec fields (the policy pack reads them). */
class IcebergTableDynamicResource extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly database: pulumi.Output<string>;
  declare readonly location: pulumi.Output<string>;
  declare readonly qualifiedName: pulumi.Output<string>;
  declare readonly drift: pulumi.Output<string[]>;

  constructor(
    name: string,
    inputs: Record<string, pulumi.Input<unknown>>,
    opts: pulumi.CustomResourceOptions,
  ) {
    super(
      provider,
      name,
      { ...inputs, qualifiedName: undefined, drift: undefined },
      opts,
      ICEBERG_TABLE_DYNAMIC_MODULE,
      ICEBERG_TABLE_DYNAMIC_TYPE,
    );
  }
}

/** `organization/project/stack` of the running program: which stack manages a table. */
function stackIdentity(): string {
  let organization: string;
  try {
    organization = pulumi.getOrganization();
  } catch {
    // Only programs run under mocks without an organization get here; the CLI always sets one (a
    // self-managed backend's is "organization").
    organization = "organization";
  }
  return `${organization}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * An Apache Iceberg table managed as code through Athena DDL: created by CREATE TABLE, evolved in place
 * (add, rename, promote, comment, reorder columns; set and unset properties; rename the table), never
 * replaced. Changes Athena cannot make in place fail the preview with the reason.
 */
export class IcebergTable extends pulumi.ComponentResource {
  readonly tableName: pulumi.Output<string>;
  readonly databaseName: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
  readonly qualifiedName: pulumi.Output<string>;

  constructor(name: string, args: IcebergTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ICEBERG_TABLE_COMPONENT_TYPE, name, {}, opts);
    const { protect, retainOnDelete, aws = { region: args.region }, ...specArgs } = args;
    const inputs = {
      ...specArgs,
      partitionBy: args.partitionBy ?? ICEBERG_TABLE_DEFAULTS.partitionBy,
      properties: args.properties ?? ICEBERG_TABLE_DEFAULTS.properties,
      allowColumnDrops: args.allowColumnDrops ?? ICEBERG_TABLE_DEFAULTS.allowColumnDrops,
      deletionPolicy: args.deletionPolicy ?? ICEBERG_TABLE_DEFAULTS.deletionPolicy,
    };
    // Validate what is known now, before any child exists; computed values are judged by `check`.
    const knowable = Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [
        k,
        pulumi.Output.isInstance(v) || v instanceof Promise ? pulumi.runtime.unknownValue : v,
      ]),
    );
    const problems = [...icebergTableSpecProblems(knowable), ...awsConnectionProblems(aws, args.region)];
    if (problems.length > 0) {
      throw icebergTableSpecError(args.name, problems);
    }
    const resourceName = `${name}-table`;
    const urn = pulumi.createUrn(resourceName, ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE, this);
    // Who manages the table, recorded on it by the provider (./table-ownership). Resolving it also
    // refuses a second declaration of the same table in this program: one table, one managing resource.
    const owner = pulumi.all([urn, args.database]).apply(([resourceUrn, database]) => {
      claimDeclaration(`${database}.${args.name}`, resourceUrn);
      return { stack: stackIdentity(), urn: resourceUrn };
    });
    const table = new IcebergTableDynamicResource(
      resourceName,
      {
        ...inputs,
        aws,
        owner,
        providerVersion: ICEBERG_TABLE_PROVIDER_VERSION,
      },
      {
        parent: this,
        protect: protect ?? false,
        retainOnDelete: retainOnDelete ?? false,
        // A replacement creates the new resource first, which takes the table over; the old one's
        // delete then leaves it (a delete first would drop a table that is about to be managed again).
        deleteBeforeReplace: false,
        dependsOn: opts?.dependsOn,
      },
    );
    this.tableName = table.name;
    this.databaseName = table.database;
    this.location = table.location;
    this.qualifiedName = table.qualifiedName;
    this.registerOutputs({
      tableName: this.tableName,
      databaseName: this.databaseName,
      location: this.location,
      qualifiedName: this.qualifiedName,
    });
  }
}
