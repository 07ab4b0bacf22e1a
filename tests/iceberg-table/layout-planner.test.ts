import { expect } from "chai";
import { planTableChange } from "../../components/iceberg-table/evolution-planner";
import { glueIcebergUpdateRequest } from "../../components/iceberg-table/glue-iceberg-update";
import { liveTableFromIcebergMetadata } from "../../components/iceberg-table/iceberg-metadata";
import { LayoutChange } from "../../components/iceberg-table/layout-planner";
import { LiveTable, liveTableFromSpec } from "../../components/iceberg-table/live-table";
import { planReport } from "../../components/iceberg-table/plan-report";
import { TableDefinition } from "../../tables/table-definition";
import { withIcebergUpdates } from "../helpers/glue-iceberg-emulator";
import {
  declared,
  EVOLVED_RAW_ORDERS,
  FIRST_RAW_ORDERS,
  EVOLVED_REQUEST,
  fixtureLive,
  fixtureMetadata,
  COMMON,
  glueRequest,
  SET_PROPERTIES,
} from "./layout-fixture";

/** The plan's layout changes, failing the test on a refusal. */
function layoutOf(live: LiveTable, definition: TableDefinition): readonly LayoutChange[] {
  const plan = planTableChange(live, declared(definition));
  if (!plan.ok) {
    throw new Error(plan.refusals.map((r) => r.message).join("\n"));
  }
  return plan.layout;
}

/** The live table after Glue applied `changes` (the emulator applies the request as Iceberg does). */
function applied(metadata: Record<string, unknown>, live: LiveTable, changes: readonly LayoutChange[]) {
  const request = glueIcebergUpdateRequest(live, changes);
  const updates = request.UpdateOpenTableFormatInput!.UpdateIcebergInput!.UpdateIcebergTableInput!.Updates!;
  const next = withIcebergUpdates(metadata, updates as never);
  return { metadata: next, live: liveTableFromIcebergMetadata("ecommerce_lakehouse", "raw_orders", next) };
}

describe("layout planner, from Iceberg metadata the local Spark wrote", () => {
  it("plans day(order_date), identity(order_status) -> month(order_date) and a sort order beside the DDL", () => {
    const report = planReport(fixtureLive(0), declared(EVOLVED_RAW_ORDERS));
    expect(report.text).to.equal(
      [
        "-- ecommerce_lakehouse.raw_orders: 1 statement and 2 Glue Iceberg updates, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. set properties format, write_compression",
        `${SET_PROPERTIES};`,
        "",
        "-- 2. partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date)",
        "--    existing files keep spec 0; new writes use spec 1; nothing is rewritten",
        "--    new field 1002 order_date_month: month(order_date)",
        "--    no longer in the default spec: 1000 order_date_day (day(order_date)), 1001 order_status (identity(order_status))",
        "--    (Glue UpdateTable, Iceberg update: add-spec, set-default-spec)",
        "",
        "-- 3. sort order 0 -> 1: (unsorted) -> customer_id asc nulls first",
        "--    files written so far keep their order; new writes and sort compaction order rows by it; nothing is rewritten",
        "--    (Glue UpdateTable, Iceberg update: add-sort-order, set-default-sort-order)",
      ].join("\n"),
    );
  });

  it("builds the exact Glue UpdateTable request: current schema and location, ids from the metadata, the Glue version", () => {
    const live = fixtureLive(0);
    expect(glueIcebergUpdateRequest(live, layoutOf(live, EVOLVED_RAW_ORDERS))).to.deep.equal(EVOLVED_REQUEST);
  });

  it("plans exactly the spec and sort order Iceberg itself made for the same change (the after file)", () => {
    const after = fixtureMetadata(1) as { "partition-specs": unknown[]; "sort-orders": unknown[] };
    const { metadata } = applied(
      fixtureMetadata(0),
      fixtureLive(0),
      layoutOf(fixtureLive(0), EVOLVED_RAW_ORDERS),
    );
    const keys = [
      "partition-specs",
      "default-spec-id",
      "last-partition-id",
      "sort-orders",
      "default-sort-order-id",
    ];
    expect(Object.fromEntries(keys.map((k) => [k, metadata[k]]))).to.deep.equal(
      Object.fromEntries(keys.map((k) => [k, (after as Record<string, unknown>)[k]])),
    );
  });

  it("finds the table Spark evolved equal to the new declaration: no layout change", () => {
    expect(planTableChange(fixtureLive(1), declared(EVOLVED_RAW_ORDERS))).to.deep.equal({
      ok: true,
      statements: [{ summary: "set properties format, write_compression", sql: SET_PROPERTIES }],
      layout: [],
    });
  });

  it("going back reuses spec 0 and the unsorted order 0: only set-default actions", () => {
    const live = fixtureLive(1);
    const changes = layoutOf(live, FIRST_RAW_ORDERS);
    expect(changes.map((c) => [c.summary, ...c.details])).to.deep.equal([
      [
        "partition spec 1 -> 0: month(order_date) -> day(order_date), identity(order_status)",
        "existing files keep spec 1 (or the earlier spec they were written with); new writes use spec 0; nothing is rewritten",
        "field 1000 order_date_day: day(order_date) again, with the id it had in an earlier spec",
        "field 1001 order_status: identity(order_status) again, with the id it had in an earlier spec",
        "no longer in the default spec: 1002 order_date_month (month(order_date))",
      ],
      [
        "sort order 1 -> 0: customer_id asc nulls first -> (unsorted)",
        "files written so far keep their order; new writes and compaction no longer sort; nothing is rewritten",
      ],
    ]);
    expect(glueIcebergUpdateRequest(live, changes)).to.deep.equal(
      glueRequest([
        {
          ...COMMON,
          Action: "set-default-spec",
          PartitionSpec: {
            SpecId: 0,
            Fields: [
              { SourceId: 4, Transform: "day", Name: "order_date_day", FieldId: 1000 },
              { SourceId: 3, Transform: "identity", Name: "order_status", FieldId: 1001 },
            ],
          },
        },
        { ...COMMON, Action: "set-default-sort-order", SortOrder: { OrderId: 0, Fields: [] } },
      ]),
    );
  });

  it("adds bucket(16, customer_id), then presents 16 -> 32 buckets as a new field, never an in-place change", () => {
    const withBucket = {
      ...EVOLVED_RAW_ORDERS,
      partitionBy: [
        ...EVOLVED_RAW_ORDERS.partitionBy,
        { column: "customer_id", transform: "bucket" as const, buckets: 16 },
      ],
    };
    const first = layoutOf(fixtureLive(1), withBucket);
    expect(first.map((c) => [c.summary, ...c.details])).to.deep.equal([
      [
        "partition spec 1 -> 2: month(order_date) -> month(order_date), bucket(16, customer_id)",
        "existing files keep spec 1 (or the earlier spec they were written with); new writes use spec 2; nothing is rewritten",
        "new field 1003 customer_id_bucket_16: bucket(16, customer_id)",
      ],
    ]);
    const bucketed = applied(fixtureMetadata(1), fixtureLive(1), first).live;
    const resized = {
      ...withBucket,
      partitionBy: [
        ...EVOLVED_RAW_ORDERS.partitionBy,
        { column: "customer_id", transform: "bucket" as const, buckets: 32 },
      ],
    };
    const second = layoutOf(bucketed, resized);
    expect(second.map((c) => [c.summary, ...c.details])).to.deep.equal([
      [
        "partition spec 2 -> 3: month(order_date), bucket(16, customer_id) -> month(order_date), bucket(32, customer_id)",
        "existing files keep spec 2 (or the earlier spec they were written with); new writes use spec 3; nothing is rewritten",
        "new field 1004 customer_id_bucket_32: bucket(32, customer_id)",
        "no longer in the default spec: 1003 customer_id_bucket_16 (bucket(16, customer_id))",
        "bucket(16, customer_id) -> bucket(32, customer_id) is a new field 1004, not a change of field 1003: files written so far keep 16 buckets",
      ],
    ]);
  });

  it("refuses to send a field under an id an earlier spec gave another transform", () => {
    const live = fixtureLive(1);
    const inPlace: LayoutChange = {
      kind: "partition-spec",
      summary: "partition spec 1 -> 2: month(order_date) -> year(order_date)",
      details: [],
      spec: {
        specId: 2,
        exists: false,
        fields: [{ name: "order_date_month", fieldId: 1002, sourceId: 4, transform: "year" }],
      },
    };
    expect(() => glueIcebergUpdateRequest(live, [inPlace])).to.throw(
      "partition field 1002 is month of source 4; year of source 4 is a new field and needs a new id",
    );
  });

  it("follows a renamed source column: fields keep their names and ids, a new one is named after the new name", () => {
    const renamed: TableDefinition = {
      ...EVOLVED_RAW_ORDERS,
      columns: EVOLVED_RAW_ORDERS.columns.map((c) =>
        c.name === "order_date" ? { ...c, name: "ordered_on", renamedFrom: "order_date" } : c,
      ),
      partitionBy: [{ column: "ordered_on", transform: "month" }],
      sortOrder: [{ column: "customer_id" }],
    };
    expect(layoutOf(fixtureLive(1), renamed)).to.deep.equal([]);
    const yearly = {
      ...renamed,
      partitionBy: [
        { column: "ordered_on", transform: "year" as const },
        { column: "order_status", transform: "identity" as const },
      ],
    };
    const [change] = layoutOf(fixtureLive(1), yearly);
    expect(change.kind === "partition-spec" && change.spec).to.deep.equal({
      specId: 2,
      exists: false,
      fields: [
        { sourceId: 4, transform: "year", name: "ordered_on_year", fieldId: 1003 },
        { sourceId: 3, transform: "identity", name: "order_status", fieldId: 1001 },
      ],
    });
  });

  it("plans a spec on a column the same update adds: its id comes once Athena has added it", () => {
    const withRegion: TableDefinition = {
      ...EVOLVED_RAW_ORDERS,
      columns: [...EVOLVED_RAW_ORDERS.columns, { name: "region", type: "string" }],
      partitionBy: [...EVOLVED_RAW_ORDERS.partitionBy, { column: "region", transform: "identity" }],
    };
    const live = fixtureLive(1);
    const plan = planTableChange(live, declared(withRegion));
    expect(plan.ok && plan.statements.map((s) => s.summary)).to.deep.equal([
      "add columns region",
      "set properties format, write_compression",
    ]);
    expect(plan.ok && plan.layout).to.deep.equal([
      {
        kind: "partition-spec",
        summary: "partition spec 1 -> 2: month(order_date) -> month(order_date), identity(region)",
        details: [
          "existing files keep spec 1 (or the earlier spec they were written with); new writes use spec 2; nothing is rewritten",
          "new field 1003 region: identity(region)",
        ],
        spec: {
          specId: 2,
          exists: false,
          fields: [
            { sourceId: 4, transform: "month", name: "order_date_month", fieldId: 1002 },
            { sourceId: undefined, transform: "identity", name: "region", fieldId: 1003 },
          ],
        },
      },
    ]);
    expect(() => glueIcebergUpdateRequest(live, plan.ok ? plan.layout : [])).to.throw(
      "partition field region has no source field id yet: re-read the table after its columns are added",
    );
  });

  it("plans without ids from a spec (no metadata), and update plans again from the live table", () => {
    const plan = planTableChange(liveTableFromSpec(declared(FIRST_RAW_ORDERS)), declared(EVOLVED_RAW_ORDERS));
    expect(plan.ok && plan.layout.map((c) => [c.summary, ...c.details])).to.deep.equal([
      [
        "partition spec: day(order_date), identity(order_status) -> month(order_date)",
        "existing files keep their spec; new writes use the new one; nothing is rewritten (ids from the live table's Iceberg metadata at update)",
      ],
      [
        "sort order: (unsorted) -> customer_id asc nulls first",
        "files written so far keep their order; new writes and sort compaction order rows by it; nothing is rewritten",
      ],
    ]);
  });
});
