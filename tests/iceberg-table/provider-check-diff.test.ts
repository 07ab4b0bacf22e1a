import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { icebergTableProvider } from "../../components/iceberg-table/provider";
import { IcebergTableSpec, validateIcebergTableSpec } from "../../components/iceberg-table/spec";
import { captureProviderLog } from "../helpers/provider-log";
import { PROVIDER_FORMS } from "../helpers/serialized-provider";

const spec: IcebergTableSpec = validateIcebergTableSpec({
  name: "orders",
  database: "sales",
  location: "s3://lakehouse-data/curated/orders/",
  workgroup: "lakehouse-athena",
  region: "eu-west-1",
  columns: [
    { name: "order_id", type: "string" },
    { name: "qty", type: "int" },
    { name: "ordered_at", type: "timestamp" },
  ],
  partitionBy: [{ column: "ordered_at", transform: "day" }],
  properties: { format: "parquet" },
});
/** The state after create: the spec, the outputs, and the serialized provider. */
const state = {
  ...spec,
  qualifiedName: "sales.orders",
  drift: [],
  providerVersion: "1",
  __provider: "serialized",
};
const UNKNOWN = pulumi.runtime.unknownValue;
type Provider = pulumi.dynamic.ResourceProvider<Record<string, unknown>, Record<string, unknown>>;

for (const form of PROVIDER_FORMS) {
  describe(`IcebergTable provider check and diff (preview, no AWS), ${form.name}`, () => {
    let provider: Provider;
    let logs: string[];
    let restoreLog: () => void;
    before(async () => {
      provider = await form.load(icebergTableProvider());
    });
    beforeEach(() => {
      const captured = captureProviderLog();
      logs = captured.lines;
      restoreLog = captured.restore;
    });
    afterEach(() => restoreLog());

    async function diffError(news: Record<string, unknown>): Promise<string> {
      try {
        await provider.diff!("sales.orders", state, news);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected diff to refuse");
    }

    it("check fills the defaults and keeps the serialized provider", async () => {
      const bare = Object.fromEntries(
        Object.entries(spec).filter(([key]) => key !== "deletionPolicy" && key !== "allowColumnDrops"),
      );
      const result = await provider.check!({}, { ...bare, __provider: "serialized" });
      expect(result).to.deep.equal({ inputs: { ...spec, __provider: "serialized" } });
    });

    it("check fails naming the table, the field and what is accepted", async () => {
      const result = await provider.check!(
        {},
        { ...spec, columns: [{ name: "id", type: "varchar" }], partitionBy: [], deletionPolicy: "purge" },
      );
      expect(result).to.deep.equal({
        failures: [
          {
            property: "deletionPolicy",
            reason: `IcebergTable "orders" [deletionPolicy] Invalid enum value. Expected 'retain' | 'drop', received 'purge'`,
          },
        ],
      });
      const types = await provider.check!(
        {},
        { ...spec, columns: [{ name: "id", type: "varchar" }], partitionBy: [] },
      );
      expect(types.failures?.map((f) => [f.property, f.reason.split(": ")[0]])).to.deep.equal([
        ["columns", 'IcebergTable "orders" [columns[0].type] "varchar" is not an Athena Iceberg DDL type'],
      ]);
    });

    it("check lets values unknown at preview pass", async () => {
      const result = await provider.check!({}, { ...spec, location: UNKNOWN, database: UNKNOWN });
      expect(result.failures).to.equal(undefined);
    });

    it("diff sees no change in the state's own spec or a type written differently", async () => {
      expect(await provider.diff!("sales.orders", state, { ...spec, providerVersion: "1" })).to.deep.equal({
        changes: false,
      });
      const respelled = {
        ...spec,
        providerVersion: "1",
        columns: spec.columns.map((c) => ({ ...c, type: c.type.toUpperCase() })),
      };
      expect(await provider.diff!("sales.orders", state, respelled)).to.deep.equal({ changes: false });
    });

    it("diff reports a change when the provider's version changed, to store the new provider code", async () => {
      const inputs = { ...spec, providerVersion: "1" };
      expect(await provider.diff!("sales.orders", state, inputs)).to.deep.equal({ changes: false });
      expect(await provider.diff!("sales.orders", state, { ...inputs, providerVersion: "2" })).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("diff plans an in-place update, never a replacement, and logs the plan for the preview", async () => {
      const next = { ...spec, columns: [...spec.columns, { name: "channel", type: "string" }] };
      expect(await provider.diff!("sales.orders", state, next)).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      expect(logs).to.deep.equal([
        [
          "info: -- sales.orders: 1 statement, in this order (metadata only, no data file is rewritten)",
          "",
          "-- 1. add columns channel",
          "ALTER TABLE `sales`.`orders` ADD COLUMNS (`channel` string);",
        ].join("\n"),
      ]);
      logs.length = 0;
      expect(await provider.diff!("sales.orders", state, { ...spec, deletionPolicy: "drop" })).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("diff plans with the state's value where a computed input is unknown", async () => {
      const next = { ...spec, location: UNKNOWN, database: UNKNOWN, workgroup: UNKNOWN };
      expect(await provider.diff!("sales.orders", state, next)).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("diff refuses at preview what Athena cannot apply in place", async () => {
      expect(
        await diffError({
          ...spec,
          location: "s3://lakehouse-data/curated/orders_v2/",
          columns: spec.columns.filter((c) => c.name !== "qty"),
        }),
      ).to.equal(
        [
          'IcebergTable "orders": the change cannot be applied in place and was refused (nothing was run):',
          "  - [location] s3://lakehouse-data/curated/orders/ -> s3://lakehouse-data/curated/orders_v2/: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead",
          '  - [columns] column "qty" (int) is not declared: dropping it is refused; declare it again, say renamedFrom: "qty" on the column it became, or set allowColumnDrops: true',
        ].join("\n"),
      );
    });

    it("diff refuses a region change", async () => {
      expect(await diffError({ ...spec, region: "us-east-1" })).to.equal(
        'IcebergTable "orders": the change cannot be applied in place and was refused (nothing was run):\n  - [region] eu-west-1 -> us-east-1 would be another table; declare a new table instead',
      );
    });
  });
}
