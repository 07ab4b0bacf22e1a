import { expect } from "chai";
import { configuredJobParameters, publishingParameters } from "../components/job-parameters";
import { LAKEHOUSE_JOBS, publishedTables, rollbackTables } from "../components/job-definitions";
import { parseLakehouseConfig } from "../config/stack-config";
import { CURATED_ORDERS, LAKEHOUSE_TABLES, RAW_ORDERS } from "../tables/seed-tables";
import { TableDefinition } from "../tables/table-definition";
import { tableQualityProblems } from "../tables/table-quality-problems";

const withQuality = (quality: TableDefinition["quality"]): TableDefinition => ({ ...RAW_ORDERS, quality });

describe("quality expectations declared with each table", () => {
  it("every declared table's expectations name its own columns and declared tables", () => {
    expect(LAKEHOUSE_TABLES.flatMap((t) => tableQualityProblems(t, LAKEHOUSE_TABLES))).to.deep.equal([]);
  });

  it("refuses each kind of mistake, naming the field and what is accepted", () => {
    const problems = tableQualityProblems(
      withQuality({
        notNull: ["order_idd"],
        unique: [
          { columns: [], where: "order_status" },
          { columns: ["order_id"], maxShare: 2, minRows: 0 },
        ],
        acceptedValues: { total_amount: [], order_status: [] },
        ranges: { order_status: { min: "0" }, total_amount: { min: "10", max: "1" }, updated_at: {} },
        references: [
          { column: "items.sku", table: "raw_products", tableColumn: "product_id" },
          { column: "customer_id", table: "customers", tableColumn: "customer_id" },
          { column: "customer_id", table: "raw_customers", tableColumn: "id" },
        ],
        freshness: { column: "order_id", maxAgeHours: 0 },
        volume: { maxRatio: 0.5, trailingRuns: 3, minRuns: 4 },
      }),
      LAKEHOUSE_TABLES,
    );
    expect(problems).to.deep.equal([
      "[raw_orders.quality.notNull[0]] order_idd is not a column of raw_orders",
      "[raw_orders.quality.unique[0].columns] must name at least one column",
      "[raw_orders.quality.unique[0].where] order_status is string; accepted: boolean",
      "[raw_orders.quality.unique[1].maxShare] must be from 0 to 1; got 2",
      "[raw_orders.quality.unique[1].minRows] must be a whole number >= 1; got 0",
      "[raw_orders.quality.acceptedValues.total_amount] total_amount is decimal(12,2); accepted: string",
      "[raw_orders.quality.acceptedValues.total_amount] must list at least one value",
      "[raw_orders.quality.acceptedValues.order_status] must list at least one value",
      "[raw_orders.quality.ranges.order_status] order_status is string; accepted: int, bigint, float, double, decimal",
      "[raw_orders.quality.ranges.total_amount] min 10 is above max 1",
      "[raw_orders.quality.ranges.updated_at] updated_at is timestamp; accepted: int, bigint, float, double, decimal",
      '[raw_orders.quality.ranges.updated_at] needs min and/or max as decimal strings ("0.00"); got {}',
      "[raw_orders.quality.references[0].column] items.sku is not a column of raw_orders (or a field of an array of structs)",
      "[raw_orders.quality.references[1].table] customers is not a declared table",
      "[raw_orders.quality.references[2].tableColumn] id is not a column of raw_customers",
      "[raw_orders.quality.freshness.column] order_id is string; accepted: timestamp, date",
      "[raw_orders.quality.freshness.maxAgeHours] must be a whole number from 1 to 87600; got 0",
      "[raw_orders.quality.volume.maxRatio] must be at least 1; got 0.5",
      "[raw_orders.quality.volume.minRuns] must be a whole number from 1 to trailingRuns; got 4",
    ]);
  });
});

describe("what each job publishes, and is started with", () => {
  const config = parseLakehouseConfig({
    environment: "dev",
    region: "us-east-1",
    rollback: { runTagRetentionDays: 9 },
  });

  it("publishes every table it writes but the evidence tables, targets first, bookkeeping last", () => {
    expect(Object.fromEntries(LAKEHOUSE_JOBS.map((job) => [job.key, publishedTables(job)]))).to.deep.equal({
      bronze_ingest: ["raw_customers", "raw_products", "raw_orders", "ingestion_log"],
      silver_orders: ["curated_orders", "job_progress"],
      silver_customers: ["curated_customers", "customer_counted_orders", "job_progress"],
      gold_daily_metrics: ["agg_daily_metrics", "job_progress"],
      maintenance: [],
    });
    expect(rollbackTables()).to.deep.equal([
      "agg_daily_metrics",
      "curated_customers",
      "curated_orders",
      "customer_counted_orders",
      "ingestion_log",
      "job_progress",
      "raw_customers",
      "raw_orders",
      "raw_products",
    ]);
  });

  it("passes a publishing job the expectations of what it publishes, tolerances spelled out, and the tag days", () => {
    const silver = LAKEHOUSE_JOBS.find((job) => job.key === "silver_orders")!;
    const parameters = publishingParameters(silver, config);
    expect(parameters["--run-tag-retention-days"]).to.equal("9");
    const expectations = JSON.parse(parameters["--quality-expectations"]);
    expect(Object.keys(expectations)).to.deep.equal(["curated_orders", "job_progress"]);
    expect(expectations.curated_orders).to.deep.equal({
      ...CURATED_ORDERS.quality,
      unique: [{ columns: ["order_id"], maxShare: 0, minRows: 100 }],
      references: [
        {
          column: "customer_id",
          table: "raw_customers",
          tableColumn: "customer_id",
          maxShare: 0.05,
          minRows: 100,
        },
      ],
    });
    const maintenance = LAKEHOUSE_JOBS.find((job) => job.key === "maintenance")!;
    expect(() => publishingParameters(maintenance, config)).to.throw(
      "[job] maintenance publishes no table, so it takes no publishing parameters",
    );
    expect(Object.keys(configuredJobParameters(maintenance, config))).to.not.include.members([
      "--quality-expectations",
      "--run-tag-retention-days",
    ]);
  });
});
