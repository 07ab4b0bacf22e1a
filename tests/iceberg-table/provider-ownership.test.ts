import { DeleteTableCommand } from "@aws-sdk/client-glue";
import { expect } from "chai";
import { icebergTableProvider } from "../../components/iceberg-table/provider";
import { glueParameters, seedLiveTable } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
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
  OWNER,
  shapeOf,
  WORKGROUP,
} from "./orders-fixture";
import { useMotoSuite } from "./moto-suite";

/*
 * Who manages a table (components/iceberg-table/table-ownership.ts), against moto through the real SDK:
 * the marker a create records, the takeover of a rename or replacement within a stack, the refusal of
 * a table another stack manages, the drop that only the owner runs, and a refresh that follows a table
 * renamed by an update that did not finish.
 */

const DROPPING = { ...ORDERS, deletionPolicy: "drop" as const };
const OTHER_STACK = { stack: "organization/lakehouse/pr-7", urn: OWNER.urn.replace("test", "pr-7") };
const RENAMED_URN = OWNER.urn.replace("orders-table", "customer-orders-table");

describe("IcebergTable provider: who manages a table (moto)", function () {
  this.timeout(60000);
  const suite = useMotoSuite();
  const sqlRun = () => recordedSql(suite.aws.athena, WORKGROUP);
  const marker = () => glueParameters(suite.aws, "sales", "orders");

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      let provider: IcebergProvider;
      before(async () => {
        provider = await form.load(icebergTableProvider({ timing: FAST_POLLING }));
      });
      const failure = (run: Promise<unknown>) =>
        run.then(
          () => "no error",
          (e: Error) => e.message,
        );

      it("a new resource of the same stack takes the table over; the old one's drop then leaves it", async () => {
        await seedLiveTable(suite.aws, shapeOf(DROPPING));
        const old = (await provider.create(inputsOf(DROPPING))).outs!;
        suite.logs.length = 0;
        // The same table under a new resource (a rename without alias), created before the old is deleted.
        const taken = (await provider.create(inputsOf(DROPPING, { owner: { ...OWNER, urn: RENAMED_URN } })))
          .outs!;
        expect(suite.logs[0]).to.equal(
          `warn: IcebergTable sales.orders: taking the table over from resource ${OWNER.urn} (claim ${String(old.ownerClaim)}); that resource's delete leaves the table and its data in place`,
        );
        expect(await marker()).to.deep.include(
          markerOfOwner(taken.ownerClaim as string, { ...OWNER, urn: RENAMED_URN }),
        );
        suite.logs.length = 0;
        await provider.delete!("sales.orders", old);
        expect(suite.logs).to.deep.equal([
          `warn: IcebergTable sales.orders: not dropped: the table is now managed by ${RENAMED_URN} (stack ${OWNER.stack}); this resource leaves the stack and the table and its data stay`,
        ]);
        expect(await sqlRun()).to.deep.equal([]);
        // The new owner's own delete drops it.
        await provider.delete!("sales.orders", taken);
        expect(await sqlRun()).to.deep.equal(["DROP TABLE IF EXISTS `sales`.`orders`"]);
      });

      it("a replacement (same URN, a new claim) takes over from the instance it replaces", async () => {
        await seedLiveTable(suite.aws, shapeOf(DROPPING));
        const old = (await provider.create(inputsOf(DROPPING))).outs!;
        suite.logs.length = 0;
        await provider.create(inputsOf(DROPPING));
        expect(suite.logs[0]).to.equal(
          `warn: IcebergTable sales.orders: taking the table over from an earlier instance of this resource (claim ${String(old.ownerClaim)}); that resource's delete leaves the table and its data in place`,
        );
        await provider.delete!("sales.orders", old);
        expect(await sqlRun()).to.deep.equal([]);
      });

      it("never adopts a table another stack manages, and runs nothing", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const theirs = (await provider.create(inputsOf(ORDERS, { owner: OTHER_STACK }))).outs!;
        const before = await marker();
        expect(await failure(provider.create(inputsOf(DROPPING)))).to.equal(
          `IcebergTable sales.orders: the table is managed by stack ${OTHER_STACK.stack} (resource ${OTHER_STACK.urn}); a table has one managing stack, so it was not adopted and nothing was run. Remove it from that stack first (pulumi destroy with deletionPolicy "retain", or pulumi state delete), or declare this table under another name or database`,
        );
        expect(await failure(provider.update!("sales.orders", { ...ORDERS }, inputsOf(ORDERS)))).to.equal(
          `IcebergTable sales.orders: the table is managed by stack ${OTHER_STACK.stack} (resource ${OTHER_STACK.urn}); a table has one managing stack, so it was not adopted and nothing was run. Remove it from that stack first (pulumi destroy with deletionPolicy "retain", or pulumi state delete), or declare this table under another name or database`,
        );
        expect([await marker(), await sqlRun()]).to.deep.equal([before, []]);
        expect(before).to.deep.include(markerOfOwner(theirs.ownerClaim as string, OTHER_STACK));
      });

      it("drops a table that records no owner (created before owners were recorded), saying so", async () => {
        await seedLiveTable(suite.aws, shapeOf(DROPPING));
        await provider.delete!("sales.orders", { ...DROPPING, ownerClaim: "claim-1" });
        expect(suite.logs).to.deep.equal([
          "warn: IcebergTable sales.orders: the table records no owner; dropping it as the last resource that managed it",
          `info: IcebergTable sales.orders: running drop table and its data (deletionPolicy drop) in workgroup ${WORKGROUP}:\nDROP TABLE IF EXISTS \`sales\`.\`orders\``,
          suite.logs[2],
        ]);
        expect(suite.logs[2]).to.match(
          /^info: IcebergTable sales\.orders: drop table and its data \(deletionPolicy drop\) succeeded \(query [0-9a-f-]{36}\)$/,
        );
        expect(await sqlRun()).to.deep.equal(["DROP TABLE IF EXISTS `sales`.`orders`"]);
      });

      it("leaves another table that now has the name, and a table already gone", async () => {
        await seedLiveTable(suite.aws, {
          ...shapeOf(DROPPING),
          location: "s3://lakehouse-data/other/orders/",
        });
        await provider.delete!("sales.orders", { ...DROPPING, ownerClaim: "claim-1" });
        await suite.aws.glue.send(new DeleteTableCommand({ DatabaseName: "sales", Name: "orders" }));
        await provider.delete!("sales.orders", { ...DROPPING, ownerClaim: "claim-1" });
        expect(suite.logs).to.deep.equal([
          "warn: IcebergTable sales.orders: not dropped: the table under this name is not at s3://lakehouse-data/curated/orders/ (the catalog says s3://lakehouse-data/other/orders), so it is not the table this resource managed; it stays",
          "info: IcebergTable sales.orders: the table no longer exists; nothing to drop",
        ]);
        expect(await sqlRun()).to.deep.equal([]);
      });

      it("update records the owner again when an engine's commit rewrote the catalog entry without it", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const state = (await provider.create(inputsOf(ORDERS))).outs!;
        const next = { ...ORDERS, columns: [...ORDERS.columns, { name: "channel", type: "string" }] };
        // The ADD COLUMNS lands, and the engine's commit keeps only the Iceberg pointers.
        await seedLiveTable(suite.aws, { ...shapeOf(ORDERS, next.columns), otherParameters: "drop" });
        expect(await marker()).not.to.have.property("lakehouse.owner.claim");
        await provider.update!("sales.orders", state, inputsOf(next));
        expect(await marker()).to.deep.include(markerOfOwner(state.ownerClaim as string));
      });

      it("update of a resource from before owners were recorded gives it a claim and records it", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const v1State = { ...ORDERS, qualifiedName: "sales.orders", drift: [], providerVersion: "1" };
        const { outs } = await provider.update!("sales.orders", v1State, inputsOf(ORDERS));
        expect(outs).to.deep.equal(outputsOf(ORDERS, outs!.ownerClaim));
        expect(await marker()).to.deep.include(markerOfOwner(outs!.ownerClaim as string));
        expect(await sqlRun()).to.deep.equal([]);
      });

      it("refresh after a table rename that was not recorded finds the table under its new name", async () => {
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const state = (await provider.create(inputsOf(ORDERS))).outs!;
        // The update ran RENAME TO, then stopped before the engine recorded it: the state says orders.
        const renamed = { ...ORDERS, name: "customer_orders", renamedFrom: "orders" };
        await provider.update!("sales.orders", state, inputsOf(renamed)).catch(() => undefined);
        expect(await sqlRun()).to.deep.equal([
          "ALTER TABLE `sales`.`orders` RENAME TO `sales`.`customer_orders`",
        ]);
        await suite.aws.glue.send(new DeleteTableCommand({ DatabaseName: "sales", Name: "orders" }));
        await seedLiveTable(suite.aws, shapeOf(renamed));
        suite.logs.length = 0;
        const result = await provider.read!("sales.orders", state);
        const found = outputsOf(renamed, state.ownerClaim);
        const inputs = inputsOfState(found);
        expect(result).to.deep.equal({ id: "sales.customer_orders", props: found, inputs });
        expect(suite.logs).to.deep.equal([
          "warn: IcebergTable sales.orders: not found under its name; found at its location as sales.customer_orders (renamed by an update that stopped before the state recorded it): the state follows it",
        ]);
        // The next update (the declaration still says renamedFrom) finds nothing left to run.
        await provider.update!("sales.customer_orders", result.props!, inputsOf(renamed));
        expect(await sqlRun()).to.have.length(1);
      });

      it("refresh does not follow a table at its location that another resource manages, nor guess between two", async () => {
        await seedLiveTable(suite.aws, shapeOf({ ...ORDERS, name: "theirs" }));
        await provider.create(inputsOf({ ...ORDERS, name: "theirs" }, { owner: OTHER_STACK }));
        expect(await provider.read!("sales.orders", outputsOf(ORDERS, "claim-1"))).to.deep.equal({
          id: "",
          props: {},
        });
        await seedLiveTable(suite.aws, shapeOf({ ...ORDERS, name: "copy_a" }));
        await seedLiveTable(suite.aws, shapeOf({ ...ORDERS, name: "copy_b" }));
        expect(await failure(provider.read!("sales.orders", outputsOf(ORDERS, "claim-1")))).to.equal(
          "IcebergTable sales.orders: not found under its name, and sales.copy_a, sales.copy_b are all at its location s3://lakehouse-data/curated/orders/; cannot tell which one it became, nothing was changed",
        );
      });

      it("update drops only the columns the preview listed in columnDrops", async () => {
        const wide = [
          ...ORDERS.columns,
          { name: "legacy_code", type: "string" },
          { name: "surprise", type: "int" },
        ];
        await seedLiveTable(suite.aws, shapeOf(ORDERS, wide));
        const state = outputsOf({ ...ORDERS, columns: wide.slice(0, -1) }, "claim-1");
        const next = { ...ORDERS, allowColumnDrops: true };
        // "surprise" was added behind the stack's back: the state never knew it, so no preview showed it.
        expect(
          await failure(
            provider.update!("sales.orders", state, inputsOf(next, { columnDrops: ["legacy_code"] })),
          ),
        ).to.equal(
          [
            'IcebergTable "orders": the change cannot be applied in place and was refused (nothing was run):',
            `  - [columns] column "surprise" (int) is in the live table but not in the columnDrops the preview showed (legacy_code): the stack's state does not know it. Run pulumi refresh (it records the live columns), review the preview, then pulumi up`,
          ].join("\n"),
        );
        await seedLiveTable(suite.aws, shapeOf(ORDERS, wide.slice(0, -1)));
        await provider.update!("sales.orders", state, inputsOf(next, { columnDrops: ["legacy_code"] }));
        expect(await sqlRun()).to.deep.equal([`${ALTER_ORDERS} DROP COLUMN \`legacy_code\``]);
      });
    });
  }
});
