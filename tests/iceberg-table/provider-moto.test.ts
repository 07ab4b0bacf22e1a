import { ListQueryExecutionsCommand } from "@aws-sdk/client-athena";
import { expect } from "chai";
import { renderCreateTable } from "../../components/iceberg-table/athena-ddl";
import { icebergTableProvider } from "../../components/iceberg-table/provider";
import { glueParameters, seedLiveTable } from "../helpers/iceberg-fixture";
import { recordedQueries, recordedSql, stepThroughAthenaQueryStates } from "../helpers/moto-athena";
import { PROVIDER_FORMS } from "../helpers/serialized-provider";
import {
  ALTER_ORDERS,
  FAST_POLLING,
  IcebergProvider,
  inputsOf,
  inputsOfState,
  markerOfOwner,
  ORDERS,
  outputsOf,
  shapeOf,
  WORKGROUP,
} from "./orders-fixture";
import { useMotoSuite } from "./moto-suite";

describe("IcebergTable provider against moto (real SDK over HTTP, AWS settings from the environment)", function () {
  this.timeout(60000);
  const suite = useMotoSuite();

  const executed = () => recordedQueries(suite.aws.athena, WORKGROUP);
  const sqlRun = () => recordedSql(suite.aws.athena, WORKGROUP);

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      let loaded: IcebergProvider;
      before(async () => {
        loaded = await form.load(icebergTableProvider({ timing: FAST_POLLING }));
      });
      const provider = () => loaded;
      it("create runs CREATE TABLE in the workgroup, polling through QUEUED and RUNNING, and suite.logs it", async () => {
        await stepThroughAthenaQueryStates(suite.moto.endpoint);
        const result = await provider().create(inputsOf(ORDERS));
        expect(result.id).to.equal("sales.orders");
        expect(result.outs).to.deep.equal(outputsOf(ORDERS, result.outs!.ownerClaim));
        expect(result.outs!.ownerClaim).to.match(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        const [query] = await executed();
        expect(query).to.deep.equal({
          sql: renderCreateTable(ORDERS),
          workgroup: WORKGROUP,
          database: "sales",
        });
        const { QueryExecutionIds = [] } = await suite.aws.athena.send(
          new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }),
        );
        expect(suite.logs).to.deep.equal([
          `info: IcebergTable sales.orders: running create table in workgroup ${WORKGROUP}:\n${renderCreateTable(ORDERS)}`,
          `info: IcebergTable sales.orders: create table succeeded (query ${QueryExecutionIds[0]})`,
          // moto runs no SQL: the catalog has no table after CREATE TABLE (Athena's would).
          "warn: IcebergTable sales.orders: the catalog does not list the table yet, so its owner could not be recorded on it; the next update records it",
        ]);
      });

      it("read finds the table Athena created and reports no drift", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const outs = outputsOf(ORDERS, "claim-1");
        expect(await provider().read!("sales.orders", outs)).to.deep.equal({
          id: "sales.orders",
          props: outs,
        });
        expect(suite.logs).to.deep.equal([]);
      });

      it("update plans from the live table and runs each statement in order", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const next = {
          ...ORDERS,
          columns: [
            ...ORDERS.columns.map((c) => (c.name === "qty" ? { ...c, type: "bigint" } : c)),
            { name: "channel", type: "string" },
          ],
          properties: { format: "parquet", write_compression: "snappy", vacuum_min_snapshots_to_keep: "3" },
        };
        const result = await provider().update!("sales.orders", outputsOf(ORDERS, "claim-1"), inputsOf(next));
        expect(result.outs).to.deep.equal(outputsOf(next, "claim-1"));
        expect(await sqlRun()).to.deep.equal([
          `${ALTER_ORDERS} CHANGE COLUMN \`qty\` \`qty\` bigint`,
          `${ALTER_ORDERS} ADD COLUMNS (\`channel\` string)`,
          `${ALTER_ORDERS} SET TBLPROPERTIES ('vacuum_min_snapshots_to_keep'='3', 'write_compression'='snappy')`,
        ]);
        expect(suite.logs.filter((l) => l.includes("running")).map((l) => l.split(":\n")[0])).to.deep.equal([
          `info: IcebergTable sales.orders: running change column qty: promote int -> bigint in workgroup ${WORKGROUP}`,
          `info: IcebergTable sales.orders: running add columns channel in workgroup ${WORKGROUP}`,
          `info: IcebergTable sales.orders: running set properties vacuum_min_snapshots_to_keep, write_compression in workgroup ${WORKGROUP}`,
        ]);
      });

      it("converges after a half-applied update: runs only what the live table still lacks", async () => {
        const next = {
          ...ORDERS,
          columns: [...ORDERS.columns, { name: "channel", type: "string" }],
          properties: { format: "parquet" },
        };
        // An earlier run added the column and then stopped; the previous spec still says write_compression.
        await seedLiveTable(suite.aws, shapeOf(ORDERS, next.columns));
        await provider().update!("sales.orders", { ...ORDERS }, inputsOf(next));
        expect(await sqlRun()).to.deep.equal([`${ALTER_ORDERS} UNSET TBLPROPERTIES ('write_compression')`]);
      });

      it("update refuses dropping a partition source before running anything", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const next = {
          ...ORDERS,
          columns: ORDERS.columns.filter((c) => c.name !== "ordered_at"),
          partitionBy: [],
          allowColumnDrops: true,
        };
        let message = "";
        // Listed in columnDrops, as check lists it: only the partition source refusal remains.
        await provider().update!(
          "sales.orders",
          { ...ORDERS },
          inputsOf(next, { columnDrops: ["ordered_at"] }),
        ).catch((e: Error) => (message = e.message));
        expect(message).to.equal(
          'IcebergTable "orders": the change cannot be applied in place and was refused (nothing was run):\n  - [columns] column "ordered_at" is a partition source of spec 0 (day(ordered_at)), the default; Iceberg needs it to read and prune the files written with that spec, so it cannot be dropped; declare it again',
        );
        expect(await sqlRun()).to.deep.equal([]);
      });

      it("update renames the table it finds under its previous name", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const next = { ...ORDERS, name: "customer_orders", renamedFrom: "orders" };
        const result = await provider().update!("sales.orders", { ...ORDERS }, inputsOf(next));
        expect(await sqlRun()).to.deep.equal([
          "ALTER TABLE `sales`.`orders` RENAME TO `sales`.`customer_orders`",
        ]);
        expect((result.outs as { qualifiedName: string }).qualifiedName).to.equal("sales.customer_orders");
      });

      it("read reports drift and returns the live shape for the next preview", async () => {
        const drifted = ORDERS.columns.map((c) => (c.name === "qty" ? { ...c, type: "bigint" } : c));
        await seedLiveTable(suite.aws, { ...shapeOf(ORDERS, drifted), properties: { format: "parquet" } });
        const result = await provider().read!("sales.orders", outputsOf(ORDERS, "claim-1"));
        const drift = [
          "cannot apply [columns.qty.type]: bigint -> int is not a type change Athena applies in place (data files are never rewritten); accepted: int -> bigint, float -> double, decimal(p,s) -> decimal(p2,s) with p2 > p",
        ];
        const live = { ...ORDERS, columns: drifted, properties: { format: "parquet" } };
        const inputs = inputsOfState(outputsOf(live, "claim-1", drift));
        // The live shape becomes the state's inputs too: the next preview diffs the declaration against it.
        expect(result).to.deep.equal({
          id: "sales.orders",
          props: outputsOf(live, "claim-1", drift),
          inputs,
        });
        expect(suite.logs).to.deep.equal([
          `warn: IcebergTable sales.orders: drift: the live table differs from the declaration; ${drift[0]}`,
        ]);
      });

      it("read of a table dropped outside the stack returns no id", async () => {
        expect(await provider().read!("sales.orders", { ...ORDERS })).to.deep.equal({ id: "", props: {} });
        expect(suite.logs).to.deep.equal(["warn: IcebergTable sales.orders: the table no longer exists"]);
      });

      it("create adopts an existing table that matches, without running DDL", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const result = await provider().create(inputsOf(ORDERS));
        expect(await sqlRun()).to.deep.equal([]);
        expect(suite.logs).to.deep.equal([
          "info: IcebergTable sales.orders: the table already exists and matches the declaration; adopted without running DDL",
        ]);
        expect(await glueParameters(suite.aws, "sales", "orders")).to.deep.include(
          markerOfOwner(result.outs!.ownerClaim as string),
        );
      });

      it("create refuses an existing table that differs and leaves it unchanged", async () => {
        await seedLiveTable(suite.aws, { ...shapeOf(ORDERS, ORDERS.columns.slice(0, 3)), partitionBy: [] });
        let message = "";
        await provider()
          .create(inputsOf(ORDERS))
          .catch((e: Error) => (message = e.message));
        expect(message).to.equal(
          [
            "IcebergTable sales.orders: the table already exists and differs from the declaration; it was left unchanged. Make the declaration match it (then evolve it), or drop it yourself if it is disposable. Differences:",
            "  - would run: add columns ordered_at",
            "  - would change partition spec 0 -> 1: (unpartitioned) -> day(ordered_at)",
          ].join("\n"),
        );
        expect(await sqlRun()).to.deep.equal([]);
      });

      it("reads the live schema from Iceberg metadata, not from Glue's column list", async () => {
        await seedLiveTable(suite.aws, {
          ...shapeOf(ORDERS),
          droppedColumns: [{ name: "legacy_code", type: "string" }],
        });
        const result = await provider().read!("sales.orders", outputsOf(ORDERS, "claim-1"));
        expect((result.props as { drift: string[] }).drift).to.deep.equal([]);
      });

      it("refuses to manage a table that is not an Iceberg table", async () => {
        await seedLiveTable(suite.aws, { ...shapeOf(ORDERS), tableType: "EXTERNAL" });
        let message = "";
        await provider()
          .create(inputsOf(ORDERS))
          .catch((e: Error) => (message = e.message));
        expect(message).to.equal(
          'sales.orders exists but is not an Iceberg table (table_type "EXTERNAL"); it is left untouched',
        );
      });

      it("delete with retain runs nothing and says the data stays", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        await provider().delete!("sales.orders", { ...ORDERS, deletionPolicy: "retain" });
        expect(await sqlRun()).to.deep.equal([]);
        expect(suite.logs).to.deep.equal([
          'info: IcebergTable sales.orders: deletionPolicy "retain": the table and its data at s3://lakehouse-data/curated/orders/ are left in place; only the stack forgets them',
        ]);
      });

      it("delete with drop runs DROP TABLE on the table carrying its claim", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const { outs } = await provider().create(inputsOf({ ...ORDERS, deletionPolicy: "drop" }));
        await provider().delete!("sales.orders", outs!);
        expect(await sqlRun()).to.deep.equal(["DROP TABLE IF EXISTS `sales`.`orders`"]);
      });

      it("a missing workgroup fails with Athena's answer", async () => {
        let message = "";
        await provider()
          .create(inputsOf({ ...ORDERS, workgroup: "missing" }))
          .catch((e: Error) => (message = e.message));
        expect(message).to.equal(
          `Athena refused to start the query in workgroup "missing": InvalidRequestException: WorkGroup does not exist\n  statement: ${renderCreateTable({ ...ORDERS, workgroup: "missing" })}`,
        );
      });
    });
  }
});
