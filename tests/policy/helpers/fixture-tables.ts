import * as pulumi from "@pulumi/pulumi";
import { TableDeletionPolicy } from "../../../policy/lib/resource-types";

/**
 * Stand-ins for the Iceberg tables another engineer is adding, built to their contract: a component
 * `lakehouse:catalog:IcebergTable` wrapping a dynamic resource of type
 * `pulumi-nodejs:dynamic/lakehouse:IcebergTable` with inputs name, database, location and
 * deletionPolicy, and the stateful options (protect, deleteBeforeReplace) on the dynamic resource.
 * Under mocks the provider's methods never run; only the registration is recorded.
 */

const fixtureTableProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: String(inputs.name), outs: inputs };
  },
};

class FixtureTableResource extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(fixtureTableProvider, name, props, opts, "lakehouse", "IcebergTable");
  }
}

export interface FixtureTableArgs {
  readonly database: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  readonly deletionPolicy: TableDeletionPolicy;
  readonly protect: boolean;
  readonly deleteBeforeReplace?: boolean;
}

export class FixtureIcebergTable extends pulumi.ComponentResource {
  constructor(name: string, args: FixtureTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:catalog:IcebergTable", name, {}, opts);
    new FixtureTableResource(
      name,
      { name, database: args.database, location: args.location, deletionPolicy: args.deletionPolicy },
      {
        parent: this,
        protect: args.protect,
        ...(args.deleteBeforeReplace === true ? { deleteBeforeReplace: true } : {}),
      },
    );
    this.registerOutputs({});
  }
}
