import { expect } from "chai";
import { planTableChange } from "../../components/iceberg-table/evolution-planner";
import { liveTableFromIcebergMetadata } from "../../components/iceberg-table/iceberg-metadata";
import { LiveTable } from "../../components/iceberg-table/live-table";
import { TableDefinition } from "../../tables/table-definition";
import { declared, EVOLVED_RAW_ORDERS, fixtureLive, fixtureMetadata } from "./layout-fixture";

/** What Iceberg forbids in a partition spec or sort order change, refused before anything runs. */

function refusals(live: LiveTable, definition: TableDefinition): string[] {
  const plan = planTableChange(live, declared(definition));
  return plan.ok ? ["(planned, not refused)"] : plan.refusals.map((r) => `[${r.field}] ${r.message}`);
}

/** The spec 0 file with its current schema's fields changed by `change`. */
function withSchema(change: (fields: Record<string, unknown>[]) => Record<string, unknown>[]): LiveTable {
  const metadata = fixtureMetadata(0) as { schemas: { fields: Record<string, unknown>[] }[] };
  const schemas = [{ ...metadata.schemas[0], fields: change(metadata.schemas[0].fields) }];
  return liveTableFromIcebergMetadata("ecommerce_lakehouse", "raw_orders", { ...metadata, schemas });
}

describe("layout planner refusals", () => {
  it("refuses dropping a column an earlier spec still partitions files by", () => {
    const dropped: TableDefinition = {
      ...EVOLVED_RAW_ORDERS,
      columns: EVOLVED_RAW_ORDERS.columns.filter((c) => c.name !== "order_status"),
      allowColumnDrops: true,
    };
    expect(refusals(fixtureLive(1), dropped)).to.deep.equal([
      '[columns] column "order_status" is a partition source of spec 0 (identity(order_status)); Iceberg needs it to read and prune the files written with that spec, so it cannot be dropped; declare it again',
    ]);
  });

  it("refuses dropping a column of the live sort order in the same update that stops sorting by it", () => {
    const dropped: TableDefinition = {
      ...EVOLVED_RAW_ORDERS,
      columns: EVOLVED_RAW_ORDERS.columns.filter((c) => c.name !== "customer_id"),
      sortOrder: [],
      allowColumnDrops: true,
    };
    expect(refusals(fixtureLive(1), dropped)).to.deep.equal([
      '[columns] column "customer_id" is in the live sort order: remove it from sortOrder first (one update), then drop it (the next)',
    ]);
  });

  it("refuses a transform on a live type it does not accept (a timestamptz column Spark made)", () => {
    const zoned = withSchema((fields) =>
      fields.map((f) => (f.name === "order_date" ? { ...f, type: "timestamptz" } : f)),
    );
    expect(refusals(zoned, EVOLVED_RAW_ORDERS)).to.deep.equal([
      "[columns.order_date.type] timestamptz -> timestamp is not a type change Athena applies in place (data files are never rewritten); accepted: int -> bigint, float -> double, decimal(p,s) -> decimal(p2,s) with p2 > p",
      '[partitionBy[0]] month(order_date): "order_date" is timestamptz in the live table, a type a declaration cannot state',
    ]);
  });

  it("refuses a new field whose generated name is a column of the table", () => {
    const taken = withSchema((fields) => [
      ...fields,
      { id: 22, name: "order_date_month", required: false, type: "string" },
    ]);
    const declaration: TableDefinition = {
      ...EVOLVED_RAW_ORDERS,
      columns: [...EVOLVED_RAW_ORDERS.columns, { name: "order_date_month", type: "string" }],
    };
    expect(refusals(taken, declaration)).to.deep.equal([
      '[partitionBy] Iceberg would name the field for month(order_date) "order_date_month", which is a column of the table; rename that column first',
    ]);
  });

  it("refuses any layout change on a table whose specs cannot be read, and plans the rest when none is needed", () => {
    const metadata = {
      ...fixtureMetadata(1),
      "sort-orders": [{ "order-id": 1, fields: [{ "source-id": 2 }] }],
    };
    const broken = liveTableFromIcebergMetadata("ecommerce_lakehouse", "raw_orders", metadata);
    expect(broken.unreadableLayout).to.equal('a field of sort order 1 has no text "transform"');
    expect(refusals(broken, EVOLVED_RAW_ORDERS)).to.deep.equal([
      `[sortOrder] (unsorted) -> customer_id asc nulls first cannot be planned: the table's Iceberg metadata cannot be read (a field of sort order 1 has no text "transform"); nothing is changed`,
    ]);
    expect(planTableChange(broken, declared({ ...EVOLVED_RAW_ORDERS, sortOrder: [] }))).to.deep.include({
      ok: true,
      layout: [],
    });
  });
});
