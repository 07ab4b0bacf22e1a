import * as path from "path";
import { CreateTableCommand, DeleteTableCommand, GetTableCommand } from "@aws-sdk/client-glue";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { AwsClients, destroyAwsClients } from "../../components/iceberg-table/aws-clients";
import { createLakehouseTables } from "../../components/iceberg-table/lakehouse-tables";
import { RAW_ORDERS } from "../../tables/seed-tables";
import { TableDefinition } from "../../tables/table-definition";
import { emulatorEnvironment } from "../helpers/aws-environment";
import { emulatorClients } from "../helpers/emulator-clients";
import { glueParameters, seedLiveTable } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
import { MotoServer, startMoto } from "../helpers/moto-server";
import { EngineEventRecorder } from "./helpers/engine-events";
import { createEngineSandbox, EngineSandbox, inlineStack } from "./helpers/engine-sandbox";
import { objectsUnder } from "./helpers/emulator-state";
import { DataProgramSettings, declaredSpec, seedPlacement } from "./helpers/lakehouse-data-program";

/*
 * Issue 12's data-loss path through the real engine: with deletionPolicy "drop", a resource renamed
 * without an alias, moved to another parent, or replaced with `up --replace` creates a new resource
 * that takes the existing table over, and the old one's delete runs afterwards. The table and its data
 * must survive every one of them, the state must hold exactly one resource for the table, whose claim
 * the table carries; a destroy then drops it once. Another stack never adopts it; a refresh follows a
 * rename the state did not record; a column drop is in the preview's diff by name.
 */

const PROJECT = "lakehouse-ownership";
const DYNAMIC = "pulumi-nodejs:dynamic/lakehouse:IcebergTable";
const TABLE: TableDefinition = { ...RAW_ORDERS, allowColumnDrops: true };
const DATA_FILE = "data/ingestion_date=2026-01-01/00000-0-data.parquet";

interface Layout {
  /** The prefix of the resource names (`<prefix>-raw_orders`, `<prefix>-raw_orders-table`). */
  readonly prefix: string;
  /** A component every table resource is placed under, when set. */
  readonly parent?: string;
  readonly table: TableDefinition;
}

class TableGroup extends pulumi.ComponentResource {
  constructor(name: string) {
    super("lakehouse:test:TableGroup", name, {}, {});
  }
}

describe("IcebergTable ownership through the real Pulumi engine: no drop of a table the stack still manages", function () {
  this.timeout(300000);
  let moto: MotoServer;
  let aws: AwsClients;
  let sandbox: EngineSandbox;
  let settings: DataProgramSettings;
  let layout: Layout;
  let stack: Stack;
  let seen = 0;
  const events = new EngineEventRecorder();
  const options = { onEvent: events.onEvent, color: "never" as const };
  const spec = () => declaredSpec(settings, layout.table);
  const location = () => spec().location.replace(/^s3:\/\/[^/]+\//, "");

  /** Statements Athena was asked to run since the last call. */
  async function newStatements(): Promise<string[]> {
    const all = await recordedSql(aws.athena, settings.workgroup);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  }

  const program = () => async () => {
    const { prefix, parent, table } = layout;
    createLakehouseTables(
      prefix,
      {
        tables: [table],
        databaseName: settings.database,
        dataBucketName: settings.dataBucket,
        workgroupName: settings.workgroup,
        region: settings.region,
        deletionPolicy: "drop",
        stateful: { protect: false, retainOnDelete: false },
      },
      parent === undefined ? {} : { parent: new TableGroup(parent) },
    );
  };

  /** The stack's table resources: URN, id and the owner and claim in their state. */
  async function tableResources(of: Stack = stack) {
    const { deployment } = await of.exportStack();
    return (
      deployment.resources as { urn: string; type: string; id: string; outputs: Record<string, unknown> }[]
    )
      .filter((r) => r.type === DYNAMIC)
      .map((r) => ({ urn: r.urn, id: r.id, owner: r.outputs.owner, claim: r.outputs.ownerClaim }));
  }

  /** The one table resource, whose owner names its own URN and whose claim the table carries. */
  async function expectOneConsistentOwner(urnEnd: string, table = TABLE.name): Promise<string> {
    const [only, ...more] = await tableResources();
    expect(more).to.deep.equal([]);
    expect(only.urn.endsWith(urnEnd), `${only.urn} ends with ${urnEnd}`).to.equal(true);
    expect(only.owner).to.deep.equal({ stack: `organization/${PROJECT}/dev`, urn: only.urn });
    expect(await glueParameters(aws, settings.database, table)).to.deep.include({
      "lakehouse.owner.stack": `organization/${PROJECT}/dev`,
      "lakehouse.owner.urn": only.urn,
      "lakehouse.owner.claim": only.claim,
    });
    return only.claim as string;
  }

  /** The table and its data, as they must survive. */
  async function tableAndData(): Promise<[string | undefined, string[]]> {
    const table = await aws.glue
      .send(new GetTableCommand({ DatabaseName: settings.database, Name: TABLE.name }))
      .then((r) => r.Table?.Parameters?.metadata_location)
      .catch(() => undefined);
    return [table, Object.keys(await objectsUnder(aws, settings.dataBucket, location()))];
  }

  before(async () => {
    moto = await startMoto();
    aws = emulatorClients(moto.endpoint);
    sandbox = await createEngineSandbox(emulatorEnvironment(moto.endpoint));
    settings = {
      tables: [TABLE],
      region: "eu-west-1",
      database: "lakehouse_ownership",
      workgroup: "lakehouse-ownership",
      dataBucket: "lakehouse-ownership-data",
      artifactsBucket: "lakehouse-ownership-artifacts",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/5f3c1a2b-0d4e-4f6a-8b7c-9d0e1f2a3b4c",
      deletionPolicy: "drop",
      jobsDir: path.join(sandbox.root, "unused"),
      buildDir: path.join(sandbox.root, "unused"),
    };
    layout = { prefix: "lakehouse", table: TABLE };
    await seedPlacement(aws, settings);
    stack = await inlineStack(sandbox, PROJECT, "dev", program());
  });
  after(async () => {
    destroyAwsClients(aws);
    sandbox?.remove();
    await moto?.stop();
  });
  beforeEach(() => events.clear());

  it("up creates the table; Athena's table and a data file are then in place", async () => {
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ create: 3 });
    expect(await newStatements()).to.have.length(1);
    // What Athena's CREATE TABLE and a first write leave: the catalog entry, metadata and a data file.
    await seedLiveTable(aws, spec());
    await aws.s3.send(
      new PutObjectCommand({ Bucket: settings.dataBucket, Key: `${location()}${DATA_FILE}`, Body: "PAR1" }),
    );
  });

  it("a resource renamed without an alias takes the table over; the old one's delete does not drop it", async () => {
    const before = await tableAndData();
    layout = { ...layout, prefix: "lakehouse-v2" };
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ create: 2, delete: 2, same: 1 });
    expect(await newStatements()).to.deep.equal([]);
    expect(await tableAndData()).to.deep.equal(before);
    expect(before[1]).to.include(`${location()}${DATA_FILE}`);
    await expectOneConsistentOwner(`::lakehouse-v2-${TABLE.name}-table`);
    expect(events.providerLines()).to.include(
      `warning: [runtime] IcebergTable ${settings.database}.${TABLE.name}: not dropped: the table is now managed by ${(await tableResources())[0].urn} (stack organization/${PROJECT}/dev); this resource leaves the stack and the table and its data stay`,
    );
  });

  it("a table moved under another parent keeps its table too", async () => {
    const before = await tableAndData();
    layout = { ...layout, parent: "group" };
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ create: 3, delete: 2, same: 1 });
    expect(await newStatements()).to.deep.equal([]);
    expect(await tableAndData()).to.deep.equal(before);
    await expectOneConsistentOwner(
      `lakehouse:test:TableGroup$lakehouse:catalog:IcebergTable$${DYNAMIC}::lakehouse-v2-${TABLE.name}-table`,
    );
  });

  it("up --replace creates the new resource first, which takes the table over; the replaced one does not drop it", async () => {
    const before = await tableAndData();
    const [{ urn, claim }] = await tableResources();
    const result = await stack.up({ ...options, replace: [urn] });
    expect(result.summary.resourceChanges).to.deep.equal({ replace: 1, same: 3 });
    expect(await newStatements()).to.deep.equal([]);
    expect(await tableAndData()).to.deep.equal(before);
    const newClaim = await expectOneConsistentOwner(`::lakehouse-v2-${TABLE.name}-table`);
    expect(newClaim).not.to.equal(claim);
  });

  it("another stack declaring the same table is refused, and the table stays with this one", async () => {
    const before = [await tableAndData(), await glueParameters(aws, settings.database, TABLE.name)];
    const other = await inlineStack(sandbox, PROJECT, "pr-7", program());
    const [{ urn }] = await tableResources();
    const message = await other.up(options).then(
      () => "no error",
      (e: Error) => e.message,
    );
    expect(message).to.match(/code: 255|exit code 1/);
    expect(events.resourceErrors()).to.deep.equal([
      `lakehouse-v2-${TABLE.name}-table: IcebergTable ${settings.database}.${TABLE.name}: the table is managed by stack organization/${PROJECT}/dev (resource ${urn}); a table has one managing stack, so it was not adopted and nothing was run. Remove it from that stack first (pulumi destroy with deletionPolicy "retain", or pulumi state delete), or declare this table under another name or database`,
    ]);
    expect(await newStatements()).to.deep.equal([]);
    expect([await tableAndData(), await glueParameters(aws, settings.database, TABLE.name)]).to.deep.equal(
      before,
    );
    await other.destroy(options);
    expect(await newStatements()).to.deep.equal([]);
    await other.workspace.removeStack("pr-7");
  });

  it("a column drop is in the preview's diff by name (columnDrops) before up runs it", async () => {
    const dropped = TABLE.columns[TABLE.columns.length - 1].name;
    layout = { ...layout, table: { ...TABLE, columns: TABLE.columns.slice(0, -1) } };
    const shown = await stack.preview({ ...options, diff: true });
    // The CLI's own rendering of the step: the drop by name, before anything runs.
    expect(shown.stdout).to.match(
      new RegExp(`~ columnDrops\\s*: \\[\\n\\s*\\+ \\[0\\]: "${dropped}"\\n\\s*\\]`),
    );
    expect(shown.changeSummary).to.deep.equal({ update: 1, same: 3 });
    expect(events.providerLines()).to.include(`-- 1. drop column ${dropped}`);
    expect(await newStatements()).to.deep.equal([]);
    await stack.up(options);
    expect(await newStatements()).to.deep.equal([
      `ALTER TABLE \`${settings.database}\`.\`${TABLE.name}\` DROP COLUMN \`${dropped}\``,
    ]);
    await seedLiveTable(aws, spec());
  });

  it("refresh follows a table renamed behind the state (a rename that ran, unrecorded); up then runs nothing", async () => {
    const renamed: TableDefinition = { ...layout.table, name: "bronze_orders", renamedFrom: TABLE.name };
    // The RENAME TO ran in Athena, and the update stopped before the state recorded it.
    const { Table } = await aws.glue.send(
      new GetTableCommand({ DatabaseName: settings.database, Name: TABLE.name }),
    );
    await aws.glue.send(
      new CreateTableCommand({
        DatabaseName: settings.database,
        TableInput: {
          Name: renamed.name,
          TableType: Table?.TableType,
          Parameters: Table?.Parameters,
          StorageDescriptor: Table?.StorageDescriptor,
        },
      }),
    );
    await aws.glue.send(new DeleteTableCommand({ DatabaseName: settings.database, Name: TABLE.name }));
    const result = await stack.refresh(options);
    expect(result.summary.resourceChanges).to.deep.equal({ update: 1, same: 3 });
    const [{ id }] = await tableResources();
    expect(id).to.equal(`${settings.database}.${renamed.name}`);
    layout = { ...layout, table: renamed };
    const up = await stack.up(options);
    // The alias keeps the resource; the update records its new URN on the table and runs no DDL.
    expect(up.summary.resourceChanges).to.deep.equal({ update: 1, same: 3 });
    expect(await newStatements()).to.deep.equal([]);
    await expectOneConsistentOwner(`::lakehouse-v2-${renamed.name}-table`, renamed.name);
  });

  it("destroy drops the table once, by the resource that manages it", async () => {
    const result = await stack.destroy(options);
    expect(result.summary.resourceChanges).to.deep.equal({ delete: 4 });
    expect(await newStatements()).to.deep.equal([
      `DROP TABLE IF EXISTS \`${settings.database}\`.\`bronze_orders\``,
    ]);
  });
});
