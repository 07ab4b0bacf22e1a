import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { planTableChange } from "../../components/iceberg-table/evolution-planner";
import { liveTableFromIcebergMetadata } from "../../components/iceberg-table/iceberg-metadata";
import { specFromDefinition } from "../../components/iceberg-table/spec";
import { nativeIcebergProperties } from "../../tables/athena-properties";
import { RAW_CUSTOMERS } from "../../tables/seed-tables";
import { sparkTableProperties, sparkType } from "../../tables/spark-ddl";
import { FIRST_RAW_ORDERS } from "./layout-fixture";

describe("the same table on local Spark", () => {
  const types: [string, string, string][] = [
    ["timestamp", "timestamp_ntz", "timestamp_ntz"],
    ["decimal(12,2)", "decimal(12,2)", "decimal(12,2)"],
    ["map<string,timestamp>", "map<string,timestamp_ntz>", "map<string,timestamp_ntz>"],
    [
      "array<struct<date:date,at:timestamp>>",
      "array<struct<`date`:date,`at`:timestamp_ntz>>",
      "array<struct<date:date,at:timestamp_ntz>>",
    ],
  ];
  for (const [athena, ddl, simple] of types) {
    it(`declares Athena ${athena} as Spark ${ddl}`, () => {
      expect([sparkType(athena), sparkType(athena, false)]).to.deep.equal([ddl, simple]);
    });
  }

  it("sets the native Iceberg equivalents of the Athena properties", () => {
    expect(sparkTableProperties(RAW_CUSTOMERS)).to.deep.equal({
      "format-version": "2",
      "history.expire.max-snapshot-age-ms": "604800000",
      "write.format.default": "parquet",
      "write.parquet.compression-codec": "snappy",
      "write.target-file-size-bytes": "134217728",
    });
  });

  const native: [Record<string, string>, Record<string, string>][] = [
    [{ write_compression: "none" }, { "write.parquet.compression-codec": "uncompressed" }],
    [
      { format: "orc", write_compression: "none" },
      { "write.format.default": "orc", "write.orc.compression-codec": "none" },
    ],
    [
      { format: "avro", write_compression: "gzip" },
      { "write.avro.compression-codec": "gzip", "write.format.default": "avro" },
    ],
    [
      {
        vacuum_min_snapshots_to_keep: "5",
        vacuum_max_metadata_files_to_keep: "50",
        optimize_rewrite_data_file_threshold: "4",
      },
      { "history.expire.min-snapshots-to-keep": "5", "write.metadata.previous-versions-max": "50" },
    ],
  ];
  for (const [athena, iceberg] of native) {
    it(`maps ${JSON.stringify(athena)} to Iceberg's own keys`, () => {
      expect(nativeIcebergProperties(athena)).to.deep.equal(iceberg);
    });
  }

  it("reads raw_orders as Spark 3.5.4 with Iceberg 1.7.1 created it from sparkCreateTable: same schema and partitioning", () => {
    // Written by local Spark from this repository's sparkCreateTable of raw_orders as first declared
    // (by order day and status) and loaded (Hadoop catalog, so a local path): jobs/tests/layout_fixtures.py.
    const file = path.join(__dirname, "fixtures", "raw_orders.spec-0.metadata.json");
    const metadata = {
      ...JSON.parse(fs.readFileSync(file, "utf8")),
      location: "s3://lakehouse-data/raw/orders",
    };
    const live = liveTableFromIcebergMetadata("ecommerce_lakehouse", "raw_orders", metadata);
    const declared = specFromDefinition(FIRST_RAW_ORDERS, {
      database: "ecommerce_lakehouse",
      location: "s3://lakehouse-data/raw/orders/",
      workgroup: "lakehouse-athena",
      region: "eu-west-1",
    });
    // Spark stores Iceberg's native property keys; an Athena-created table holds Athena's own keys.
    expect(planTableChange(live, declared)).to.deep.equal({
      ok: true,
      statements: [
        {
          summary: "set properties format, write_compression",
          sql: "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` SET TBLPROPERTIES ('format'='parquet', 'write_compression'='snappy')",
        },
      ],
      layout: [],
    });
  });
});
