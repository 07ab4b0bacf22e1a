import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { LAKEHOUSE_JOBS, lakehouseJobs } from "../components/job-definitions";
import {
  configuredJobParameters,
  glueJobParameters,
  JobParameters,
  QuarantiningJobParameters,
  tableWriteOptionsArgument,
} from "../components/job-parameters";
import { readStackConfigFile } from "../config/load";

const dev = readStackConfigFile("dev");

describe("Glue job arguments derived from the table specs", () => {
  it("passes each job the sparkWriteOptions of the tables it writes, as --table-write-options JSON", () => {
    const byJob = Object.fromEntries(LAKEHOUSE_JOBS.map((job) => [job.key, tableWriteOptionsArgument(job)]));
    expect(byJob).to.deep.equal({
      bronze_ingest: '{"raw_orders":{"distribution-mode":"hash","advisory-partition-size":"134217728"}}',
      silver_customers: undefined,
      silver_orders: '{"curated_orders":{"distribution-mode":"hash","fanout-enabled":"false"}}',
      gold_daily_metrics: '{"agg_daily_metrics":{"distribution-mode":"hash"}}',
      maintenance:
        '{"raw_orders":{"distribution-mode":"hash","advisory-partition-size":"134217728"},"curated_orders":{"distribution-mode":"hash","fanout-enabled":"false"},"agg_daily_metrics":{"distribution-mode":"hash"}}',
    });
  });
});

describe("each job's parameters, a type of its own", () => {
  it("gives each job exactly its own parameters, in the order Glue lists them", () => {
    const keys = Object.fromEntries(
      lakehouseJobs(dev).map((job) => [job.key, Object.keys(configuredJobParameters(job, dev))]),
    );
    const publishing = ["--quality-expectations", "--run-tag-retention-days"];
    expect(keys).to.deep.equal({
      bronze_ingest: ["--table-write-options", ...publishing, "--max-bad-record-share"],
      silver_orders: ["--table-write-options", ...publishing, "--max-bad-record-share"],
      silver_customers: [...publishing, "--max-bad-record-share"],
      gold_daily_metrics: ["--table-write-options", ...publishing],
      maintenance: [
        "--table-write-options",
        "--tables",
        "--snapshot-retention-days",
        "--snapshots-to-keep",
        "--orphan-file-min-age-days",
        "--target-file-size-mb",
      ],
    });
  });

  it("carries the dev stack's settings as the jobs parse them", () => {
    const maintenance = lakehouseJobs(dev).find((job) => job.key === "maintenance")!;
    expect(configuredJobParameters(maintenance, dev)).to.deep.equal({
      "--table-write-options":
        '{"agg_daily_metrics":{"distribution-mode":"hash"},"curated_orders":{"distribution-mode":"hash","fanout-enabled":"false"},"raw_orders":{"distribution-mode":"hash","advisory-partition-size":"134217728"}}',
      "--tables":
        "agg_daily_metrics,curated_customers,curated_orders,customer_counted_orders,ingestion_log,job_progress,quality_results,quarantine_records,raw_customers,raw_orders,raw_products",
      "--snapshot-retention-days": "3",
      "--snapshots-to-keep": "5",
      "--orphan-file-min-age-days": "3",
      "--target-file-size-mb": "64",
    });
    const silver = LAKEHOUSE_JOBS.find((job) => job.key === "silver_customers")!;
    const share = (configuredJobParameters(silver, dev) as QuarantiningJobParameters)[
      "--max-bad-record-share"
    ];
    expect(share).to.equal(String(dev.quality.maxBadRecordShare));
  });

  it("gives --landing-uri, the data bucket's landing folder, to the job that reads it and no other", async () => {
    const landing = await Promise.all(
      LAKEHOUSE_JOBS.map(
        (job) =>
          new Promise<[string, string | undefined]>((resolve) => {
            const uri = glueJobParameters(job, dev, "data-bucket")["--landing-uri"];
            if (uri === undefined) {
              resolve([job.key, undefined]);
            } else {
              pulumi.output(uri).apply((value) => resolve([job.key, value]));
            }
          }),
      ),
    );
    expect(Object.fromEntries(landing)).to.deep.equal({
      bronze_ingest: "s3://data-bucket/landing/",
      silver_orders: undefined,
      silver_customers: undefined,
      gold_daily_metrics: undefined,
      maintenance: undefined,
    });
  });

  it("does not compile a job's parameters short of a required one, or with another job's (tsc checks this file)", () => {
    // @ts-expect-error: maintenance is always told which tables it maintains (--tables)
    const withoutTables: JobParameters<"maintenance"> = {
      "--snapshot-retention-days": "3",
      "--snapshots-to-keep": "5",
      "--orphan-file-min-age-days": "3",
      "--target-file-size-mb": "64",
    };
    const gold: JobParameters<"gold_daily_metrics"> = {
      "--quality-expectations": "{}",
      "--run-tag-retention-days": "7",
      // @ts-expect-error: --max-bad-record-share is not a gold_daily_metrics parameter
      "--max-bad-record-share": "0",
    };
    expect([Object.keys(withoutTables).length, Object.keys(gold).length]).to.deep.equal([4, 3]);
  });
});
