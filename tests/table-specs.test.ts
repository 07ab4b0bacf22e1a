import { expect } from "chai";
import { settingBounds } from "../config/setting-bounds";
import { readStackConfigFile } from "../config/load";
import { parseLakehouseConfig } from "../config/stack-config";
import { tableSpecs } from "../scripts/table-specs";
import { CURATED_ORDERS, JOB_PROGRESS } from "../tables/seed-tables";
import { qualityForJobs } from "../tables/table-quality";

describe("the contract between the stack and the jobs (build/table-specs.json)", () => {
  it("carries each job's parameters exactly as the stack's Glue jobs get them", () => {
    const specs = tableSpecs("prod", readStackConfigFile("prod"));
    expect([specs.stack, specs.database]).to.deep.equal(["prod", "ecommerce_lakehouse"]);
    expect(specs.jobs.silver_orders).to.deep.equal({
      parameters: {
        "--table-write-options": '{"curated_orders":{"distribution-mode":"hash","fanout-enabled":"false"}}',
        // What it publishes through audit branches: their expectations (tests/table-quality.test.ts).
        "--quality-expectations": JSON.stringify({
          curated_orders: qualityForJobs(CURATED_ORDERS.quality),
          job_progress: qualityForJobs(JOB_PROGRESS.quality),
        }),
        "--run-tag-retention-days": "7",
        "--max-bad-record-share": "0.01",
      },
      readsLanding: false,
    });
    const { "--tables": tables, ...settings } = specs.jobs.maintenance.parameters;
    expect(settings).to.deep.equal({
      "--table-write-options":
        '{"agg_daily_metrics":{"distribution-mode":"hash"},"curated_orders":{"distribution-mode":"hash","fanout-enabled":"false"},"raw_orders":{"distribution-mode":"hash","advisory-partition-size":"134217728"}}',
      "--snapshot-retention-days": "7",
      "--snapshots-to-keep": "10",
      "--orphan-file-min-age-days": "5",
      "--target-file-size-mb": "256",
    });
    expect(tables.split(",")).to.have.length(specs.tables.length);
    expect(specs.jobs.bronze_ingest.readsLanding).to.equal(true);
  });

  it("has no maintenance job when Glue's optimizers maintain every table", () => {
    const managed = Object.fromEntries(
      tableSpecs("dev", readStackConfigFile("dev")).tables.map((t) => [t.name, "managed"]),
    );
    const config = parseLakehouseConfig({
      environment: "dev",
      region: "eu-west-1",
      maintenance: { tables: managed },
    });
    expect(Object.keys(tableSpecs("dev", config).jobs)).to.deep.equal([
      "bronze_ingest",
      "silver_orders",
      "silver_customers",
      "gold_daily_metrics",
    ]);
  });

  it("exports the bounds the configuration schema enforces on every setting a job takes", () => {
    expect(tableSpecs("dev", readStackConfigFile("dev")).parameterBounds).to.deep.equal({
      "--max-bad-record-share": { min: 0, max: 1, integer: false },
      "--snapshot-retention-days": { min: 1, max: 3650, integer: true },
      "--snapshots-to-keep": { min: 1, max: 1000, integer: true },
      "--orphan-file-min-age-days": { min: 3, max: 3650, integer: true },
      "--target-file-size-mb": { min: 16, max: 1024, integer: true },
      "--run-tag-retention-days": { min: 1, max: 3650, integer: true },
    });
  });

  it("refuses a path that is not a bounded number setting, naming it", () => {
    expect(() => settingBounds(["maintenance", "nope"])).to.throw(
      "[maintenance.nope] is not a setting of the stack configuration",
    );
    expect(() => settingBounds(["catalog", "databaseName"])).to.throw(
      "[catalog.databaseName] is not a number setting with a minimum and a maximum",
    );
  });
});
