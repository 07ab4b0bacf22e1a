import { AthenaClient, GetWorkGroupCommand } from "@aws-sdk/client-athena";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  ICEBERG_TABLE_COMPONENT_TYPE,
  ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE,
  IcebergTable,
  icebergTableArgsFromDefinition,
} from "../../components/iceberg-table/iceberg-table";
import { tableResourceOptions } from "../../components/iceberg-table/lakehouse-tables";
import { createLakehouse } from "../../components/lakehouse";
import { PROJECT_NAME } from "../../config/load";
import { parseLakehouseConfig, StackConfigError } from "../../config/stack-config";
import { captureResourceGraph } from "../../offline/resource-graph";
import * as policyTypes from "../../policy/lib/resource-types";
import { LAKEHOUSE_TABLES, RAW_ORDERS } from "../../tables/seed-tables";
import { componentGraph, ofType, resource, stackGraph, TEST_REGION } from "../helpers/graph";

const DYNAMIC = "pulumi-nodejs:dynamic/lakehouse:IcebergTable";
const COMPONENT = "lakehouse:catalog:IcebergTable";
const TABLE_NAMES = LAKEHOUSE_TABLES.map((t) => t.name);

function specInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== "__provider"));
}

describe("IcebergTable in the stacks", () => {
  for (const [stack, database, protect] of [
    ["dev", "ecommerce_lakehouse_dev", false],
    ["prod", "ecommerce_lakehouse", true],
  ] as const) {
    describe(stack, () => {
      it("has one IcebergTable component and one table resource per declared table", async () => {
        const graph = await stackGraph(stack);
        expect(ofType(graph, COMPONENT).map((r) => r.name)).to.deep.equal(
          TABLE_NAMES.map((n) => `lakehouse-${n}`),
        );
        expect(
          ofType(graph, DYNAMIC)
            .map((r) => r.name)
            .sort(),
        ).to.deep.equal(TABLE_NAMES.map((n) => `lakehouse-${n}-table`).sort());
      });

      it(`gives each table its declared spec, placement and deletionPolicy "retain"`, async () => {
        const graph = await stackGraph(stack);
        for (const table of LAKEHOUSE_TABLES) {
          const record = resource(graph, DYNAMIC, `lakehouse-${table.name}-table`);
          expect(specInputs(record.inputs)).to.deep.equal({
            name: table.name,
            comment: table.comment,
            columns: table.columns,
            partitionBy: table.partitionBy,
            properties: table.properties,
            allowColumnDrops: false,
            database,
            location: `s3://lakehouse-data/${table.prefix}`,
            workgroup: "lakehouse-athena",
            region: "eu-west-1",
            deletionPolicy: "retain",
            aws: { region: "eu-west-1" },
            owner: {
              stack: `organization/${PROJECT_NAME}/${stack}`,
              urn: `urn:pulumi:${stack}::${PROJECT_NAME}::lakehouse:index:Lakehouse$${COMPONENT}$${DYNAMIC}::lakehouse-${table.name}-table`,
            },
            providerVersion: "2",
          });
        }
      });

      it(`${protect ? "protects" : "does not protect"} the tables and retains them on delete`, async () => {
        const tables = ofType(await stackGraph(stack), DYNAMIC);
        expect(tables.map((r) => [r.protect, r.retainOnDelete])).to.deep.equal(
          tables.map(() => [protect, true]),
        );
      });

      it("creates every table after the database and the workgroup", async () => {
        const graph = await stackGraph(stack);
        const database = resource(
          graph,
          "aws:glue/catalogDatabase:CatalogDatabase",
          "lakehouse-catalog-database",
        );
        const workgroup = resource(graph, "aws:athena/workgroup:Workgroup", "lakehouse-athena");
        for (const table of ofType(graph, DYNAMIC)) {
          expect(table.dependencies).to.include.members([database.urn, workgroup.urn]);
        }
      });

      it("serializes the provider into each table (a capture error would fail this graph)", async () => {
        const tables = ofType(await stackGraph(stack), DYNAMIC);
        expect(tables.map((r) => typeof r.inputs.__provider)).to.deep.equal(tables.map(() => "string"));
        for (const code of [
          "planTableChange",
          "runAthenaStatement",
          "readLiveTable",
          'require("@aws-sdk/client-athena")',
        ]) {
          expect(tables[0].inputs.__provider).to.include(code);
        }
      });
    });
  }

  it("drops tables on delete only in a preview stack, which must ask for it", async () => {
    const config = parseLakehouseConfig({
      environment: "preview",
      region: TEST_REGION,
      accountSettings: { owner: false, catalogKey: "alias/iceberg-lakehouse-dev" },
      tables: { deletionPolicy: "drop" },
    });
    const graph = await captureResourceGraph(
      { project: PROJECT_NAME, stack: "pr-42", region: TEST_REGION },
      () => createLakehouse(config),
    );
    const tables = ofType(graph, DYNAMIC);
    expect(tables.map((r) => [r.inputs.deletionPolicy, r.protect, r.retainOnDelete])).to.deep.equal(
      tables.map(() => ["drop", false, false]),
    );
  });
});

describe("IcebergTable type tokens", () => {
  // Both tokens are in every deployed state (the dynamic one also in each table's ownership marker):
  // the names in code may change, these strings may not.
  it("are the deployed tokens, in the program and in the policy pack alike", () => {
    expect([ICEBERG_TABLE_COMPONENT_TYPE, ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE]).to.deep.equal([
      COMPONENT,
      DYNAMIC,
    ]);
    expect([
      policyTypes.ICEBERG_TABLE_COMPONENT_TYPE,
      policyTypes.ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE,
    ]).to.deep.equal([COMPONENT, DYNAMIC]);
    expect(policyTypes.IcebergTableDynamicResourceMarker.__pulumiType).to.equal(DYNAMIC);
  });
});

describe("IcebergTable component", () => {
  const placement = {
    database: "sales",
    location: "s3://bucket/raw/orders/",
    workgroup: "wg",
    region: TEST_REGION,
  };

  it("registers the table under the component with the flat spec inputs", async () => {
    const graph = await componentGraph(
      () => new IcebergTable("orders", icebergTableArgsFromDefinition(RAW_ORDERS, placement)),
    );
    const component = resource(graph, COMPONENT, "orders");
    const table = resource(graph, DYNAMIC, "orders-table");
    expect([table.parent, table.protect, table.retainOnDelete]).to.deep.equal([component.urn, false, false]);
    expect(Object.keys(specInputs(table.inputs)).sort()).to.deep.equal([
      "allowColumnDrops",
      "aws",
      "columns",
      "comment",
      "database",
      "deletionPolicy",
      "location",
      "name",
      "owner",
      "partitionBy",
      "properties",
      "providerVersion",
      "region",
      "workgroup",
    ]);
  });

  it("refuses a second declaration of the same table in one program: one table, one managing resource", async () => {
    const args = icebergTableArgsFromDefinition(RAW_ORDERS, placement);
    let message = "";
    await componentGraph(() => {
      new IcebergTable("orders", args);
      new IcebergTable("orders-again", args);
    }).catch((error: Error) => (message = error.message));
    const urn = (name: string) => `urn:pulumi:unit::${PROJECT_NAME}::${COMPONENT}$${DYNAMIC}::${name}-table`;
    expect(message).to.include(
      `IcebergTable: table sales.raw_orders is declared twice in this program, by ${urn("orders")} and ${urn("orders-again")}; one table is managed by one resource: remove one declaration (to rename a resource, give it an alias)`,
    );
  });

  it("refuses an AWS connection that carries a credential, before creating anything", () => {
    const aws = { region: TEST_REGION, secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
    expect(
      () => new IcebergTable("leaky", { ...icebergTableArgsFromDefinition(RAW_ORDERS, placement), aws }),
    ).to.throw(
      `IcebergTable "raw_orders" [aws.secretAccessKey] is a credential, and a dynamic resource's inputs are stored in the state in plain text: give the stack aws:profile, environment credentials or aws:assumeRoles instead`,
    );
  });

  it("refuses an invalid spec before creating anything", () => {
    const bad = { ...RAW_ORDERS, columns: [{ name: "Order Id", type: "string" }], partitionBy: [] };
    expect(() => new IcebergTable("bad", icebergTableArgsFromDefinition(bad, placement))).to.throw(
      'IcebergTable "raw_orders" [columns[0].name] "Order Id" must be 1-128 lowercase letters, digits or underscores',
    );
  });

  it("leaves computed placement to the provider's check", async () => {
    const graph = await componentGraph(
      () =>
        new IcebergTable(
          "orders",
          icebergTableArgsFromDefinition(RAW_ORDERS, {
            ...placement,
            location: pulumi.output("s3://bucket/raw/orders/"),
          }),
        ),
    );
    expect(resource(graph, DYNAMIC, "orders-table").inputs.location).to.equal("s3://bucket/raw/orders/");
  });

  it("a provider capturing an SDK client at module scope fails under mocks (what this guards against)", async () => {
    const client = new AthenaClient({ region: TEST_REGION });
    const careless: pulumi.dynamic.ResourceProvider = {
      create: async () => {
        await client.send(new GetWorkGroupCommand({ WorkGroup: "primary" }));
        return { id: "careless" };
      },
    };
    class Careless extends pulumi.dynamic.Resource {
      constructor() {
        super(careless, "careless", {}, {}, "lakehouse", "Careless");
      }
    }
    let message = "";
    await componentGraph(() => new Careless()).catch((error: Error) => (message = error.message));
    expect(message).to.include("Error serializing");
  });
});

describe("tables.deletionPolicy stack setting", () => {
  it("defaults to retain", () => {
    expect(parseLakehouseConfig({ environment: "prod", region: TEST_REGION }).tables).to.deep.equal({
      deletionPolicy: "retain",
    });
  });

  it("refuses drop outside preview, saying why", () => {
    let problems: readonly string[] = [];
    try {
      parseLakehouseConfig({ environment: "dev", region: TEST_REGION, tables: { deletionPolicy: "drop" } });
    } catch (error) {
      expect(error).to.be.instanceOf(StackConfigError);
      problems = (error as StackConfigError).problems;
    }
    expect(problems).to.deep.equal([
      `[lakehouse.tables.deletionPolicy] "drop" is only accepted when environment is "preview" (Athena DROP TABLE deletes the table's data); accepted here: "retain"`,
    ]);
  });
});

describe("a renamed table keeps its resource", () => {
  it("aliases the component to the logical name of its previous name", () => {
    const renamed = { ...RAW_ORDERS, name: "bronze_orders", renamedFrom: "raw_orders" };
    expect(tableResourceOptions("lakehouse", renamed, { protect: false })).to.deep.equal({
      protect: false,
      aliases: [{ name: "lakehouse-raw_orders" }],
    });
    expect(tableResourceOptions("lakehouse", RAW_ORDERS, { protect: false })).to.deep.equal({
      protect: false,
    });
  });
});
