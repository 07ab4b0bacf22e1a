import { GetTableCommand } from "@aws-sdk/client-glue";
import { expect } from "chai";
import { icebergTableProvider, IcebergTableProviderOptions } from "../../components/iceberg-table/provider";
import { IcebergTableSpec } from "../../components/iceberg-table/spec";
import { InjectedFault, jsonApiAnswer, ProxiedRequest } from "../helpers/fault-proxy";
import { answerIcebergUpdate, currentMetadata, isIcebergUpdate } from "../helpers/glue-iceberg-emulator";
import { seedMetadata } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
import { PROVIDER_FORMS } from "../helpers/serialized-provider";
import {
  declared,
  EVOLVED_RAW_ORDERS,
  FIRST_RAW_ORDERS,
  EVOLVED_REQUEST,
  fixtureMetadata,
  LOCATION,
  SET_PROPERTIES,
} from "./layout-fixture";
import { FAST_POLLING, IcebergProvider, inputsOf, WORKGROUP } from "./orders-fixture";
import { useMotoSuite } from "./moto-suite";

const PLACEMENT = { database: "ecommerce_lakehouse", name: "raw_orders", location: `${LOCATION}/` };
const LABEL = "IcebergTable ecommerce_lakehouse.raw_orders";
const START = "AmazonAthena.StartQueryExecution";
const THROTTLED = jsonApiAnswer(
  400,
  { __type: "ThrottlingException", message: "Rate exceeded" },
  "ThrottlingException",
);

/** The spec 0 (or 1) file Spark wrote, as an Athena-created table holds it (Athena's property keys). */
function athenaHeld(spec: 0 | 1): Record<string, unknown> {
  const metadata = fixtureMetadata(spec) as { properties: Record<string, string> };
  return {
    ...metadata,
    properties: { ...metadata.properties, format: "parquet", write_compression: "snappy" },
  };
}

/**
 * Partition spec and sort order changes through the provider, as written and as serialized, against
 * moto behind a proxy that answers Glue's Iceberg update as Glue would (moto 5.2.5 fails such a
 * request) and keeps the exact bodies the SDK sent; failures injected on the same path.
 */
describe("IcebergTable provider: partition spec and sort order through Glue's Iceberg update (moto, fault proxy)", function () {
  this.timeout(60000);
  let fault: (
    request: ProxiedRequest,
  ) => InjectedFault | undefined | Promise<InjectedFault | undefined> = () => undefined;
  /** What Athena would leave behind after a statement (moto records statements but runs none). */
  let athena: (sql: string) => Promise<void> = async () => undefined;
  const suite = useMotoSuite(async (request) => {
    const injected = await fault(request);
    if (injected !== undefined) {
      return injected;
    }
    if (request.target === START) {
      await athena((JSON.parse(request.body) as { QueryString: string }).QueryString);
    }
    return isIcebergUpdate(request) ? answerIcebergUpdate(suite.aws, request) : undefined;
  });

  const updates = () => suite.seen.filter(isIcebergUpdate);
  const bodyOf = (request: ProxiedRequest) => JSON.parse(request.body) as Record<string, unknown>;
  const version = async () =>
    (
      await suite.aws.glue.send(
        new GetTableCommand({ DatabaseName: PLACEMENT.database, Name: PLACEMENT.name }),
      )
    ).Table!.VersionId!;
  const live = () => currentMetadata(suite.aws, PLACEMENT.database, PLACEMENT.name).then((t) => t.metadata);
  const failure = (run: Promise<unknown>) =>
    run.then(
      () => "no error",
      (e: Error) => e.message,
    );

  beforeEach(() => {
    fault = () => undefined;
    athena = async () => undefined;
  });

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      const load = (options: IcebergTableProviderOptions = {}): Promise<IcebergProvider> =>
        form.load(icebergTableProvider({ timing: FAST_POLLING, ...options }));
      const previous: IcebergTableSpec = declared(FIRST_RAW_ORDERS);
      const next: IcebergTableSpec = declared(EVOLVED_RAW_ORDERS);

      it("update runs the Athena DDL, then sends the planned Glue request, then reads the table back", async () => {
        await seedMetadata(suite.aws, PLACEMENT, fixtureMetadata(0));
        const at = await version();
        await (
          await load()
        ).update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next));
        expect(await recordedSql(suite.aws.athena, WORKGROUP)).to.deep.equal([SET_PROPERTIES]);
        const order = suite.seen.filter((r) => r.target === START || isIcebergUpdate(r)).map((r) => r.target);
        expect(order).to.deep.equal([START, "AWSGlue.UpdateTable"]);
        expect(updates().map(bodyOf)).to.deep.equal([{ ...EVOLVED_REQUEST, VersionId: at }]);
        const after = await live();
        expect([
          after["default-spec-id"],
          after["last-partition-id"],
          after["default-sort-order-id"],
        ]).to.deep.equal([1, 1002, 1]);
        expect(
          suite.logs.filter((l) => !l.includes("running") && !l.includes("succeeded (query")),
        ).to.deep.equal(
          [
            `info: ${LABEL}: applying through Glue UpdateTable (Iceberg update: add-spec, set-default-spec, add-sort-order, set-default-sort-order; Glue table version ${at}):`,
            "  partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date)",
            "     existing files keep spec 0; new writes use spec 1; nothing is rewritten",
            "     new field 1002 order_date_month: month(order_date)",
            "     no longer in the default spec: 1000 order_date_day (day(order_date)), 1001 order_status (identity(order_status))",
            "     (Glue UpdateTable, Iceberg update: add-spec, set-default-spec)",
            "  sort order 0 -> 1: (unsorted) -> customer_id asc nulls first",
            "     files written so far keep their order; new writes and sort compaction order rows by it; nothing is rewritten",
            "     (Glue UpdateTable, Iceberg update: add-sort-order, set-default-sort-order)",
            `info: ${LABEL}: partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date); sort order 0 -> 1: (unsorted) -> customer_id asc nulls first applied`,
          ]
            .join("\n")
            .split("\n")
            .reduce<string[]>((lines, line) => {
              // One log entry per message: continuation lines belong to the entry before them.
              if (line.startsWith("info: ") || line.startsWith("warn: ")) {
                lines.push(line);
              } else {
                lines[lines.length - 1] += `\n${line}`;
              }
              return lines;
            }, []),
        );
        // The same update again finds the table as declared: nothing is sent.
        suite.seen.length = 0;
        await seedMetadata(suite.aws, PLACEMENT, { ...(await live()), properties: athenaHeld(1).properties });
        await (
          await load()
        ).update!("ecommerce_lakehouse.raw_orders", { ...next }, inputsOf(next));
        expect(updates()).to.deep.equal([]);
      });

      it("diff plans the change from the live metadata for the preview, and changes nothing", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(0));
        const result = await (
          await load()
        ).diff!("ecommerce_lakehouse.raw_orders", { ...previous }, { ...next });
        expect(result).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
        expect(suite.logs).to.deep.equal([
          [
            "info: -- ecommerce_lakehouse.raw_orders: 2 Glue Iceberg updates, in this order (metadata only, no data file is rewritten)",
            "",
            "-- 1. partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date)",
            "--    existing files keep spec 0; new writes use spec 1; nothing is rewritten",
            "--    new field 1002 order_date_month: month(order_date)",
            "--    no longer in the default spec: 1000 order_date_day (day(order_date)), 1001 order_status (identity(order_status))",
            "--    (Glue UpdateTable, Iceberg update: add-spec, set-default-spec)",
            "",
            "-- 2. sort order 0 -> 1: (unsorted) -> customer_id asc nulls first",
            "--    files written so far keep their order; new writes and sort compaction order rows by it; nothing is rewritten",
            "--    (Glue UpdateTable, Iceberg update: add-sort-order, set-default-sort-order)",
          ].join("\n"),
        ]);
        expect([await recordedSql(suite.aws.athena, WORKGROUP), updates()]).to.deep.equal([[], []]);
      });

      it("partitions by a column the same update adds: ADD COLUMNS first, then the spec with its new field id", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(0));
        athena = async (sql) => {
          if (sql.includes("ADD COLUMNS (`region` string)")) {
            // What Athena's ADD COLUMNS leaves: schema 1 with the column, field id 22.
            const metadata = (await live()) as { schemas: { fields: unknown[] }[] };
            const fields = [
              ...metadata.schemas[0].fields,
              { id: 22, name: "region", required: false, type: "string" },
            ];
            await seedMetadata(suite.aws, PLACEMENT, {
              ...metadata,
              "last-column-id": 22,
              "current-schema-id": 1,
              schemas: [...metadata.schemas, { type: "struct", "schema-id": 1, fields }],
            });
          }
        };
        const withRegion = declared({
          ...EVOLVED_RAW_ORDERS,
          columns: [...EVOLVED_RAW_ORDERS.columns, { name: "region", type: "string" }],
          partitionBy: [...EVOLVED_RAW_ORDERS.partitionBy, { column: "region", transform: "identity" }],
          sortOrder: [],
        });
        await (
          await load()
        ).update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(withRegion));
        const [update] = updates().map(bodyOf) as {
          UpdateOpenTableFormatInput: {
            UpdateIcebergInput: {
              UpdateIcebergTableInput: {
                Updates: { Action: string; Schema: { SchemaId: number }; PartitionSpec: unknown }[];
              };
            };
          };
        }[];
        const sent = update.UpdateOpenTableFormatInput.UpdateIcebergInput.UpdateIcebergTableInput.Updates;
        expect(sent.map((u) => [u.Action, u.Schema.SchemaId, u.PartitionSpec])).to.deep.equal(
          ["add-spec", "set-default-spec"].map((action) => [
            action,
            1,
            {
              SpecId: 1,
              Fields: [
                { SourceId: 4, Transform: "month", Name: "order_date_month", FieldId: 1002 },
                { SourceId: 22, Transform: "identity", Name: "region", FieldId: 1003 },
              ],
            },
          ]),
        );
      });

      it("converges after an interruption: Glue throttled past the SDK's retries, the next update sends only what is left", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(0));
        fault = (request) => (isIcebergUpdate(request) ? THROTTLED : undefined);
        const provider = await load();
        // Two attempts per call: the stack's AWS connection (aws:maxRetries 1) in the resource's inputs.
        const connection = { aws: { region: next.region, maxAttempts: 2 } };
        expect(
          await failure(
            provider.update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next, connection)),
          ),
        ).to.equal(
          `${LABEL}: Glue UpdateTable failed: ThrottlingException: Rate exceeded. The Athena DDL before it is applied; the partition spec and sort order are unchanged. The next update re-reads the table and applies what is left`,
        );
        expect([updates().length, (await live())["default-spec-id"]]).to.deep.equal([2, 0]);
        suite.seen.length = 0;
        fault = () => undefined;
        await provider.update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next));
        expect([
          updates().length,
          (await live())["default-spec-id"],
          (await live())["default-sort-order-id"],
        ]).to.deep.equal([1, 1, 1]);
      });

      it("rides out Glue throttling with the SDK's own retry", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(0));
        let throttled = 0;
        fault = (request) => (isIcebergUpdate(request) && throttled++ < 2 ? THROTTLED : undefined);
        await (
          await load()
        ).update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next));
        expect([updates().length, (await live())["default-spec-id"]]).to.deep.equal([3, 1]);
      });

      it("an answer lost after Glue applied the update: the SDK's retry meets Glue's version lock, the table already has it", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(0));
        let first = true;
        fault = async (request) => {
          if (!isIcebergUpdate(request) || !first) {
            return undefined;
          }
          first = false;
          await answerIcebergUpdate(suite.aws, request);
          return jsonApiAnswer(
            500,
            { __type: "InternalServiceException", Message: "lost" },
            "InternalServiceException",
          );
        };
        await (
          await load()
        ).update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next));
        expect(updates().length).to.equal(2);
        // The Glue version the lost update made is the one before the owner's marker was recorded.
        const updated = Number(await version()) - 1;
        expect(suite.logs.filter((l) => l.includes("already has"))).to.deep.equal([
          `info: ${LABEL}: Glue answered ConcurrentModificationException: Update table failed due to concurrent modifications (version ${updated - 1}, now ${updated}), but the table already has the declared layout`,
        ]);
      });

      it("a commit in between (a Spark job): planned again from the new metadata and sent with the new version", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(0));
        let committed = false;
        fault = async (request) => {
          if (isIcebergUpdate(request) && !committed) {
            committed = true;
            await seedMetadata(suite.aws, PLACEMENT, await live()); // another writer's commit: a new Glue version
          }
          return undefined;
        };
        await (
          await load()
        ).update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next));
        const versions = updates().map((r) => bodyOf(r).VersionId as string);
        expect(versions.map(Number)).to.deep.equal([Number(versions[0]), Number(versions[0]) + 1]);
        expect(suite.logs.filter((l) => l.startsWith("warn: "))).to.deep.equal([
          `warn: ${LABEL}: the table changed since it was read (ConcurrentModificationException: Update table failed due to concurrent modifications (version ${versions[0]}, now ${versions[1]})); planning again`,
        ]);
        expect((await live())["default-spec-id"]).to.equal(1);
      });

      it("refuses before anything runs when the table's specs cannot be read (format version 1)", async () => {
        await seedMetadata(suite.aws, PLACEMENT, { ...athenaHeld(0), "format-version": 1 });
        const message = await failure(
          (await load()).update!("ecommerce_lakehouse.raw_orders", { ...previous }, inputsOf(next)),
        );
        expect(message).to.equal(
          [
            'IcebergTable "raw_orders": the change cannot be applied in place and was refused (nothing was run):',
            "  - [partitionBy] day(order_date), identity(order_status) -> month(order_date) cannot be planned: the table's Iceberg metadata cannot be read (format-version 1: partition specs and sort orders are changed on format-version 2 tables only (the only version Athena operates on)); nothing is changed",
            "  - [sortOrder] (unsorted) -> customer_id asc nulls first cannot be planned: the table's Iceberg metadata cannot be read (format-version 1: partition specs and sort orders are changed on format-version 2 tables only (the only version Athena operates on)); nothing is changed",
          ].join("\n"),
        );
        expect([await recordedSql(suite.aws.athena, WORKGROUP), updates()]).to.deep.equal([[], []]);
      });

      it("create runs CREATE TABLE, then sets the declared sort order through Glue", async () => {
        athena = async (sql) => {
          if (sql.startsWith("CREATE TABLE")) {
            await seedMetadata(suite.aws, PLACEMENT, {
              ...athenaHeld(0),
              "partition-specs": [
                {
                  "spec-id": 0,
                  fields: [
                    { name: "order_date_month", transform: "month", "source-id": 4, "field-id": 1000 },
                  ],
                },
              ],
              "last-partition-id": 1000,
            });
          }
        };
        await (await load()).create(inputsOf(next));
        expect(
          (await recordedSql(suite.aws.athena, WORKGROUP)).map((sql) => sql.split("\n")[0]),
        ).to.deep.equal(["CREATE TABLE `ecommerce_lakehouse`.`raw_orders` ("]);
        const [update] = updates().map(bodyOf);
        expect(update.UpdateOpenTableFormatInput).to.deep.equal({
          UpdateIcebergInput: {
            UpdateIcebergTableInput: {
              Updates:
                EVOLVED_REQUEST.UpdateOpenTableFormatInput.UpdateIcebergInput.UpdateIcebergTableInput.Updates.slice(
                  2,
                ),
            },
          },
        });
      });

      it("read reports the live spec and sort order, with the drift, for the next preview", async () => {
        await seedMetadata(suite.aws, PLACEMENT, athenaHeld(1));
        const result = await (await load()).read!("ecommerce_lakehouse.raw_orders", { ...previous });
        const drift = [
          "would change partition spec 1 -> 0: month(order_date) -> day(order_date), identity(order_status)",
          "would change sort order 1 -> 0: customer_id asc nulls first -> (unsorted)",
        ];
        expect(result.props).to.deep.include({
          partitionBy: [{ column: "order_date", transform: "month" }],
          sortOrder: [{ column: "customer_id", direction: "asc", nulls: "first" }],
          drift,
        });
        expect(suite.logs).to.deep.equal(
          drift.map((line) => `warn: ${LABEL}: drift: the live table differs from the declaration; ${line}`),
        );
      });
    });
  }
});
