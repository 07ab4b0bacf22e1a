import { expect } from "chai";
import { tableWriteOptionsArgument } from "../components/lakehouse-glue-jobs";
import { LAKEHOUSE_JOBS } from "../components/lakehouse-jobs";

describe("Glue job arguments derived from the table specs", () => {
  it("passes each job the sparkWriteOptions of the tables it writes, as --table-write-options JSON", () => {
    const byJob = Object.fromEntries(LAKEHOUSE_JOBS.map((job) => [job.key, tableWriteOptionsArgument(job)]));
    expect(byJob).to.deep.equal({
      bronze_ingest: '{"raw_orders":{"distribution-mode":"hash"}}',
      silver_customers: undefined,
      silver_orders: '{"curated_orders":{"distribution-mode":"hash"}}',
      gold_daily_metrics: '{"agg_daily_metrics":{"distribution-mode":"hash"}}',
      maintenance:
        '{"raw_orders":{"distribution-mode":"hash"},"curated_orders":{"distribution-mode":"hash"},"agg_daily_metrics":{"distribution-mode":"hash"}}',
    });
  });
});
