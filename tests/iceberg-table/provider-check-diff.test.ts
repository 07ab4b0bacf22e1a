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
const owner = {
  stack: "organization/lakehouse/dev",
  urn: "urn:pulumi:dev::lakehouse::lakehouse:catalog:IcebergTable$pulumi-nodejs:dynamic/lakehouse:IcebergTable::orders-table",
};
const aws = { region: "eu-west-1" };
/** The resource's inputs as the component gives them (the spec, its connection and owner). */
const inputs = { ...spec, aws, owner, providerVersion: "2" };
/** The state after create: the spec, the outputs, and the serialized provider. */
const state = {
  ...inputs,
  qualifiedName: "sales.orders",
  drift: [],
  ownerClaim: "0b7e3f52-claim",
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

    /** check's failures for new inputs over the state's inputs (what `pulumi preview` refuses). */
    async function checkFailures(news: Record<string, unknown>) {
      return (await provider.check!(inputs, news)).failures;
    }

    it("check fills the defaults and keeps the serialized provider", async () => {
      const bare = Object.fromEntries(
        Object.entries(spec).filter(([key]) => key !== "deletionPolicy" && key !== "allowColumnDrops"),
      );
      const result = await provider.check!({}, { ...bare, aws, owner, __provider: "serialized" });
      expect(result).to.deep.equal({
        inputs: { ...spec, aws, owner, columnDrops: [], __provider: "serialized" },
      });
    });

    it("check fails naming the table, the field and what is accepted", async () => {
      const result = await provider.check!(
        {},
        { ...inputs, columns: [{ name: "id", type: "varchar" }], partitionBy: [], deletionPolicy: "purge" },
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
        { ...inputs, columns: [{ name: "id", type: "varchar" }], partitionBy: [] },
      );
      expect(types.failures?.map((f) => [f.property, f.reason.split(": ")[0]])).to.deep.equal([
        ["columns", 'IcebergTable "orders" [columns[0].type] "varchar" is not an Athena Iceberg DDL type'],
      ]);
    });

    it("check lets values unknown at preview pass", async () => {
      const result = await provider.check!(
        {},
        { ...inputs, location: UNKNOWN, database: UNKNOWN, owner: UNKNOWN },
      );
      expect(result.failures).to.equal(undefined);
    });

    it("diff sees no change in the state's own spec or a type written differently", async () => {
      expect(await provider.diff!("sales.orders", state, inputs)).to.deep.equal({
        changes: false,
      });
      const respelled = {
        ...inputs,
        columns: spec.columns.map((c) => ({ ...c, type: c.type.toUpperCase() })),
      };
      expect(await provider.diff!("sales.orders", state, respelled)).to.deep.equal({ changes: false });
    });

    it("diff reports a change when the provider's version changed, to store the new provider code", async () => {
      expect(await provider.diff!("sales.orders", state, inputs)).to.deep.equal({ changes: false });
      expect(await provider.diff!("sales.orders", state, { ...inputs, providerVersion: "3" })).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("diff plans an in-place update, never a replacement, and logs the plan for the preview", async () => {
      const next = { ...inputs, columns: [...spec.columns, { name: "channel", type: "string" }] };
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
      expect(
        await provider.diff!("sales.orders", state, { ...inputs, deletionPolicy: "drop" }),
      ).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("diff plans with the state's value where a computed input is unknown", async () => {
      const next = { ...inputs, location: UNKNOWN, database: UNKNOWN, workgroup: UNKNOWN };
      expect(await provider.diff!("sales.orders", state, next)).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("check refuses at preview what Athena cannot apply in place, planned from the previous inputs", async () => {
      expect(
        await checkFailures({
          ...inputs,
          location: "s3://lakehouse-data/curated/orders_v2/",
          columns: spec.columns.filter((c) => c.name !== "qty"),
        }),
      ).to.deep.equal([
        {
          property: "location",
          reason:
            'IcebergTable "orders" [location] refused, nothing was run: s3://lakehouse-data/curated/orders/ -> s3://lakehouse-data/curated/orders_v2/: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead',
        },
        {
          property: "columns",
          reason:
            'IcebergTable "orders" [columns] refused, nothing was run: column "qty" (int) is not declared: dropping it is refused; declare it again, say renamedFrom: "qty" on the column it became, or set allowColumnDrops: true',
        },
      ]);
    });

    it("check refuses a region change", async () => {
      expect(
        await checkFailures({ ...inputs, region: "us-east-1", aws: { region: "us-east-1" } }),
      ).to.deep.equal([
        {
          property: "region",
          reason:
            'IcebergTable "orders" [region] refused, nothing was run: eu-west-1 -> us-east-1 would be another table; declare a new table instead',
        },
      ]);
    });

    it("diff never refuses: a refresh diffs the live state against the old inputs, and must record it", async () => {
      const live = { ...state, name: "customer_orders", columns: spec.columns.slice(0, 2) };
      expect(await provider.diff!("sales.orders", live, inputs)).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      expect(logs).to.deep.equal([]);
    });

    it("diff reports a change of the AWS connection or the owner (stored by an update that runs no DDL)", async () => {
      const changed = { changes: true, replaces: [], deleteBeforeReplace: false };
      const endpoint = {
        ...inputs,
        aws: { region: "eu-west-1", endpoints: { glue: "https://glue.vpce.internal" } },
      };
      expect(await provider.diff!("sales.orders", state, endpoint)).to.deep.equal(changed);
      const renamed = { ...inputs, owner: { ...owner, urn: `${owner.urn}-renamed` } };
      expect(await provider.diff!("sales.orders", state, renamed)).to.deep.equal(changed);
      // The same connection with its keys in another order (as the state gives them back) is no change.
      const reordered = { ...inputs, owner: { urn: owner.urn, stack: owner.stack } };
      expect(await provider.diff!("sales.orders", state, reordered)).to.deep.equal({ changes: false });
      expect(logs).to.deep.equal([]);
    });

    it("check lists by name the columns an update drops, in the resource's columnDrops input", async () => {
      const wide = { ...inputs, columns: [...spec.columns, { name: "legacy_code", type: "string" }] };
      const narrowed = { ...inputs, allowColumnDrops: true };
      expect((await provider.check!(wide, narrowed)).inputs?.columnDrops).to.deep.equal(["legacy_code"]);
      // Not without allowColumnDrops (the drop is refused), and never a column renamed into another.
      expect((await provider.check!(wide, inputs)).failures?.map((f) => f.property)).to.deep.equal([
        "columns",
      ]);
      const renamed = {
        ...narrowed,
        columns: [...spec.columns, { name: "legacy", type: "string", renamedFrom: "legacy_code" }],
      };
      expect((await provider.check!(wide, renamed)).inputs?.columnDrops).to.deep.equal([]);
    });

    it("diff shows the DROP COLUMN of a column listed in columnDrops", async () => {
      const wide = { ...state, columns: [...spec.columns, { name: "legacy_code", type: "string" }] };
      const narrowed = { ...inputs, allowColumnDrops: true };
      const checked = await provider.check!(
        { ...inputs, columns: wide.columns },
        { ...narrowed, __provider: "serialized" },
      );
      expect(checked.inputs?.columnDrops).to.deep.equal(["legacy_code"]);
      expect(await provider.diff!("sales.orders", wide, checked.inputs!)).to.deep.equal({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      expect(logs.join("\n")).to.include(
        "-- 1. drop column legacy_code\nALTER TABLE `sales`.`orders` DROP COLUMN `legacy_code`;",
      );
    });

    it("check refuses at preview a renamedFrom naming a column the table does not have", async () => {
      const typo = {
        ...inputs,
        allowColumnDrops: true,
        columns: spec.columns.map((c) =>
          c.name === "qty" ? { name: "quantity", type: "int", renamedFrom: "qtty" } : c,
        ),
      };
      // With allowColumnDrops, the typo would have become DROP qty + ADD quantity.
      expect(await checkFailures(typo)).to.deep.equal([
        {
          property: "columns",
          reason:
            'IcebergTable "orders" [columns.quantity.renamedFrom] refused, nothing was run: "qtty" is not a column of the live table, so there is nothing to rename to "quantity" (live columns: order_id, qty, ordered_at); correct renamedFrom, or remove it to add "quantity" as a new column',
        },
      ]);
    });

    it("check refuses a credential or another region in the AWS connection, and a missing owner", async () => {
      const result = await provider.check!(
        {},
        {
          ...spec,
          aws: { region: "us-east-1", sessionToken: "FwoGZXIvYXdzEXAMPLE", endpoint: "https://x" },
        },
      );
      expect(result.failures?.map((f) => f.reason)).to.deep.equal([
        `IcebergTable "orders" [aws.sessionToken] is a credential, and a dynamic resource's inputs are stored in the state in plain text: give the stack aws:profile, environment credentials or aws:assumeRoles instead`,
        'IcebergTable "orders" [aws.endpoint] is not an AWS connection setting; accepted: region, profile, sharedConfigFile, sharedCredentialsFile, assumeRoles, stsRegion, endpoints, maxAttempts, retryMode, useFipsEndpoint, useDualstackEndpoint, s3ForcePathStyle',
        'IcebergTable "orders" [owner] is required: the stack and URN of the resource that manages the table (the IcebergTable component sets it)',
      ]);
      const other = await provider.check!({}, { ...inputs, aws: { region: "us-east-1" } });
      expect(other.failures).to.deep.equal([
        {
          property: "aws",
          reason:
            'IcebergTable "orders" [aws.region] "us-east-1" differs from the resource\'s region "eu-west-1"; accepted: the same region',
        },
      ]);
    });
  });
}
