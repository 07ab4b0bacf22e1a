import { expect } from "chai";
import { AthenaWorkgroup } from "../components/athena-workgroup";
import { loadNamedQueries, parseNamedQuery } from "../components/named-queries";
import { componentGraph, ofType, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

describe("AthenaWorkgroup", () => {
  const build = () =>
    componentGraph(
      () =>
        new AthenaWorkgroup("athena", {
          accountId: "123456789012",
          resultsBucketName: "artifacts",
          kmsKeyArn: KEY,
          bytesScannedCutoffPerQuery: 1073741824,
          databaseName: "ecommerce_lakehouse",
          namedQueries: loadNamedQueries(),
        }),
    );

  it("is engine v3 with enforced configuration, SSE_KMS results, metrics and a scan cutoff", async () => {
    const workgroup = resource(await build(), "aws:athena/workgroup:Workgroup", "athena");
    expect(workgroup.inputs).to.deep.equal({
      description: "Iceberg lakehouse queries and table DDL",
      state: "ENABLED",
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 1073741824,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: "s3://artifacts/athena-results/",
          expectedBucketOwner: "123456789012",
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY },
        },
      },
    });
  });

  it("ships the named queries of sql/named-queries in the workgroup and database", async () => {
    const queries = ofType(await build(), "aws:athena/namedQuery:NamedQuery");
    expect(queries.map((q) => q.inputs.name)).to.deep.equal([
      "daily-revenue",
      "quality-results-latest-run",
      "revenue-by-customer-segment",
      "snapshot-history-orders",
      "table-files-orders",
      "time-travel-orders-by-snapshot",
      "time-travel-orders-by-timestamp",
    ]);
    for (const query of queries) {
      expect([query.inputs.workgroup, query.inputs.database]).to.deep.equal([
        "athena",
        "ecommerce_lakehouse",
      ]);
    }
  });

  it("covers time travel by timestamp and by snapshot id, snapshot history and daily revenue", () => {
    const sql = Object.fromEntries(loadNamedQueries().map((q) => [q.name, q.sql]));
    expect(sql["time-travel-orders-by-timestamp"]).to.contain(
      "FROM curated_orders FOR TIMESTAMP AS OF (current_timestamp - INTERVAL '1' DAY)",
    );
    expect(sql["time-travel-orders-by-snapshot"]).to.contain(
      "FROM curated_orders FOR VERSION AS OF 1234567890123456789",
    );
    expect(sql["snapshot-history-orders"]).to.contain('FROM "curated_orders$snapshots"');
    expect(sql["daily-revenue"]).to.equal(
      [
        "SELECT metric_date,",
        "       metric_value AS revenue,",
        "       metric_count AS orders",
        "FROM agg_daily_metrics",
        "WHERE metric_type = 'daily_revenue'",
        "  AND metric_date >= current_date - INTERVAL '30' DAY",
        "ORDER BY metric_date;",
      ].join("\n"),
    );
  });

  it("refuses a SQL file without its header, naming the file", () => {
    expect(() => parseNamedQuery("bad.sql", "SELECT 1;")).to.throw(
      'sql/named-queries/bad.sql: starts with "-- name: <name>" and "-- description: <text>" lines',
    );
  });
});
