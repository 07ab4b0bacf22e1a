import { CreateWorkGroupCommand } from "@aws-sdk/client-athena";
import { CreateDatabaseCommand } from "@aws-sdk/client-glue";
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { AwsClients, destroyAwsClients } from "../../components/iceberg-table/aws-clients";
import { createLakehouseTables } from "../../components/iceberg-table/lakehouse-tables";
import { TableDefinition } from "../../tables/table-definition";
import { emulatorEnvironment } from "../helpers/aws-environment";
import { emulatorClients } from "../helpers/emulator-clients";
import { FaultProxy, ProxiedRequest, startFaultProxy } from "../helpers/fault-proxy";
import { answerIcebergUpdate, currentMetadata, isIcebergUpdate } from "../helpers/glue-iceberg-emulator";
import { seedMetadata } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
import { MotoServer, startMoto } from "../helpers/moto-server";
import {
  EVOLVED_RAW_ORDERS,
  EVOLVED_REQUEST,
  FIRST_RAW_ORDERS,
  fixtureMetadata,
} from "../iceberg-table/layout-fixture";
import { EngineEventRecorder } from "./helpers/engine-events";
import { createEngineSandbox, EngineSandbox, inlineStack } from "./helpers/engine-sandbox";

/*
 * A partition spec and sort order change through the real Pulumi engine: raw_orders as the local Spark
 * wrote it (spec 0, unsorted) is adopted by `up`; `preview` of the evolved declaration shows the Glue
 * Iceberg update planned from the live metadata; `up` sends it, in the provider process the engine runs
 * from the state. moto fails Glue's Iceberg update, so the provider process reaches moto through a proxy
 * that answers it as Glue would and keeps the exact body sent.
 */

const DATABASE = "ecommerce_lakehouse";
const WORKGROUP = "lakehouse-engine";
const RESOURCE = "lakehouse-raw_orders-table";

describe("partition spec and sort order through the real Pulumi engine (file backend, moto, Glue emulated)", function () {
  this.timeout(300000);
  let moto: MotoServer;
  let proxy: FaultProxy;
  let aws: AwsClients;
  let sandbox: EngineSandbox;
  let stack: Stack;
  let declared: TableDefinition = FIRST_RAW_ORDERS;
  let seen: ProxiedRequest[] = [];
  const events = new EngineEventRecorder();
  const options = { onEvent: events.onEvent, color: "never" as const };
  const updates = () =>
    seen.filter(isIcebergUpdate).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  const live = () => currentMetadata(aws, DATABASE, FIRST_RAW_ORDERS.name).then((t) => t.metadata);
  beforeEach(() => {
    events.clear();
    seen = [];
  });

  before(async () => {
    moto = await startMoto();
    aws = emulatorClients(moto.endpoint);
    proxy = await startFaultProxy(moto.port, (request) => {
      seen.push(request);
      return isIcebergUpdate(request) ? answerIcebergUpdate(aws, request) : undefined;
    });
    sandbox = await createEngineSandbox(emulatorEnvironment(proxy.endpoint));
    await aws.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DATABASE } }));
    await aws.athena.send(new CreateWorkGroupCommand({ Name: WORKGROUP }));
    // The fixture's location: s3://lakehouse-data/raw/orders, FIRST_RAW_ORDERS.prefix in that bucket.
    const metadata = fixtureMetadata(0) as { properties: Record<string, string> };
    await seedMetadata(
      aws,
      {
        database: DATABASE,
        name: FIRST_RAW_ORDERS.name,
        location: `s3://lakehouse-data/${FIRST_RAW_ORDERS.prefix}`,
      },
      { ...metadata, properties: { ...metadata.properties, ...FIRST_RAW_ORDERS.properties } },
    );
    stack = await inlineStack(sandbox, "lakehouse-layout", "dev", async () => {
      createLakehouseTables(
        "lakehouse",
        {
          tables: [declared],
          databaseName: DATABASE,
          dataBucketName: "lakehouse-data",
          workgroupName: WORKGROUP,
          region: "eu-west-1",
          deletionPolicy: "retain",
          stateful: { protect: false, retainOnDelete: false },
        },
        {},
      );
    });
  });
  after(async () => {
    destroyAwsClients(aws);
    sandbox?.remove();
    await proxy?.close();
    await moto?.stop();
  });

  it("up adopts the table Spark wrote, which matches the declaration: no DDL, no Glue update", async () => {
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ create: 3 });
    expect([await recordedSql(aws.athena, WORKGROUP), updates()]).to.deep.equal([[], []]);
  });

  it("preview of the evolved declaration is an update showing the spec and sort order change; nothing is sent", async () => {
    declared = EVOLVED_RAW_ORDERS;
    const result = await stack.preview(options);
    expect(result.changeSummary).to.deep.equal({ update: 1, same: 2 });
    expect(events.dynamicSteps()).to.deep.equal([`update ${RESOURCE}`]);
    // The plan the provider logged, line by line as the engine shows it.
    const lines = events.providerLines();
    const header = `info: [runtime] -- ${DATABASE}.raw_orders: 2 Glue Iceberg updates, in this order (metadata only, no data file is rewritten)`;
    expect(lines.slice(lines.indexOf(header), lines.indexOf(header) + 9)).to.deep.equal([
      header,
      "-- 1. partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date)",
      "--    existing files keep spec 0; new writes use spec 1; nothing is rewritten",
      "--    new field 1002 order_date_month: month(order_date)",
      "--    no longer in the default spec: 1000 order_date_day (day(order_date)), 1001 order_status (identity(order_status))",
      "--    (Glue UpdateTable, Iceberg update: add-spec, set-default-spec)",
      "-- 2. sort order 0 -> 1: (unsorted) -> customer_id asc nulls first",
      "--    files written so far keep their order; new writes and sort compaction order rows by it; nothing is rewritten",
      "--    (Glue UpdateTable, Iceberg update: add-sort-order, set-default-sort-order)",
    ]);
    expect(updates()).to.deep.equal([]);
  });

  it("up sends the Glue Iceberg update the preview showed, and the table has spec 1 and sort order 1", async () => {
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ update: 1, same: 2 });
    const [sent] = updates();
    expect(sent).to.deep.equal({ ...EVOLVED_REQUEST, VersionId: sent.VersionId });
    const after = await live();
    expect([after["default-spec-id"], after["default-sort-order-id"]]).to.deep.equal([1, 1]);
    expect(await recordedSql(aws.athena, WORKGROUP)).to.deep.equal([]);
  });

  it("a second up with refresh finds the live table as declared and sends nothing", async () => {
    const result = await stack.up({ ...options, refresh: true });
    expect(result.summary.resourceChanges).to.deep.equal({ same: 3 });
    expect(updates()).to.deep.equal([]);
  });
});
