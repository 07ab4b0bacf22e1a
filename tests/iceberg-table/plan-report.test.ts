import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RAW_ORDERS } from "../../tables/seed-tables";
import { icebergMetadata } from "../helpers/iceberg-fixture";
import { planTableChangeCommand } from "../../scripts/plan-table-change";

describe("plan-table-change script", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-table-change-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes the metadata file of raw_orders as it would be live, with `changes` applied. */
  function metadataFile(changes: Partial<typeof RAW_ORDERS>): string {
    const file = path.join(dir, `${Object.keys(changes).join("-") || "same"}.metadata.json`);
    const live = {
      ...RAW_ORDERS,
      ...changes,
      database: "ecommerce_lakehouse",
      location: "s3://lakehouse-data/raw/orders/",
    };
    fs.writeFileSync(file, JSON.stringify(icebergMetadata(live)));
    return file;
  }

  it("says when the live table matches", () => {
    expect(planTableChangeCommand(["raw_orders", metadataFile({})])).to.deep.equal({
      code: 0,
      output: "-- ecommerce_lakehouse.raw_orders: the live table matches the declaration; nothing to run",
    });
  });

  it("prints the numbered statements that bring a live table to the declaration", () => {
    const older = {
      columns: RAW_ORDERS.columns.filter((c) => c.name !== "shipping_address"),
      properties: { format: "parquet", write_compression: "zstd" },
    };
    expect(planTableChangeCommand(["raw_orders", metadataFile(older)])).to.deep.equal({
      code: 0,
      output: [
        "-- ecommerce_lakehouse.raw_orders: 3 statements, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. add columns shipping_address",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` ADD COLUMNS (`shipping_address` map<string,string>);",
        "",
        "-- 2. move column shipping_address after items",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` CHANGE COLUMN `shipping_address` `shipping_address` map<string,string> AFTER `items`;",
        "",
        "-- 3. set properties write_compression",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` SET TBLPROPERTIES ('write_compression'='snappy');",
      ].join("\n"),
    });
  });

  it("exits 2 with the refusal when the change cannot be applied in place", () => {
    const result = planTableChangeCommand([
      "raw_orders",
      metadataFile({ partitionBy: [{ column: "order_date", transform: "month" }] }),
    ]);
    expect(result).to.deep.equal({
      code: 2,
      output:
        'IcebergTable "raw_orders": the change cannot be applied in place and was refused (nothing was run):\n  - [partitionBy] month(order_date) -> day(order_date), identity(order_status): Athena cannot change a partition spec in place; evolve it from Spark (ALTER TABLE ... ADD/DROP/REPLACE PARTITION FIELD) and then declare the new spec',
    });
  });

  /** Writes a declaration file: raw_orders with `changes` applied. */
  function declarationFile(changes: Record<string, unknown>): string {
    const file = path.join(dir, "declaration.json");
    fs.writeFileSync(file, JSON.stringify({ ...RAW_ORDERS, ...changes }));
    return file;
  }
  const couponCode = { name: "coupon_code", type: "string", comment: "promotion code" };

  it("plans to a declaration read from a JSON file (--declaration), in database order", () => {
    const declaration = declarationFile({ columns: [...RAW_ORDERS.columns, couponCode] });
    expect(
      planTableChangeCommand(["raw_orders", metadataFile({}), "lake_dev", "--declaration", declaration]),
    ).to.deep.equal({
      code: 0,
      output: [
        "-- lake_dev.raw_orders: 1 statement, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. add columns coupon_code",
        "ALTER TABLE `lake_dev`.`raw_orders` ADD COLUMNS (`coupon_code` string COMMENT 'promotion code');",
      ].join("\n"),
    });
  });

  it("prints the statements as JSON with --json", () => {
    const declaration = declarationFile({ columns: [...RAW_ORDERS.columns, couponCode] });
    const result = planTableChangeCommand([
      "raw_orders",
      metadataFile({}),
      "--json",
      "--declaration",
      declaration,
    ]);
    expect(result.code).to.equal(0);
    expect(JSON.parse(result.output)).to.deep.equal({
      refused: false,
      statements: [
        {
          summary: "add columns coupon_code",
          sql: "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` ADD COLUMNS (`coupon_code` string COMMENT 'promotion code')",
        },
      ],
      text: [
        "-- ecommerce_lakehouse.raw_orders: 1 statement, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. add columns coupon_code",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` ADD COLUMNS (`coupon_code` string COMMENT 'promotion code');",
      ].join("\n"),
    });
  });

  it("unsets a property the committed declaration set and the new declaration drops", () => {
    const kept = Object.fromEntries(
      Object.entries(RAW_ORDERS.properties).filter(([k]) => k !== "write_compression"),
    );
    const declaration = declarationFile({ properties: kept });
    expect(
      planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", declaration]),
    ).to.deep.equal({
      code: 0,
      output: [
        "-- ecommerce_lakehouse.raw_orders: 1 statement, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. unset properties write_compression",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` UNSET TBLPROPERTIES ('write_compression');",
      ].join("\n"),
    });
  });

  it("refuses a declaration of another table or an invalid one, before planning", () => {
    const other = declarationFile({ name: "raw_customers" });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", other])).to.deep.equal({
      code: 1,
      output: `[--declaration] ${other} declares table "raw_customers", not "raw_orders"`,
    });
    const badType = declarationFile({ columns: [...RAW_ORDERS.columns, { ...couponCode, type: "varchar" }] });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", badType])).to.deep.equal({
      code: 1,
      output:
        'IcebergTable "raw_orders" [columns[14].type] "varchar" is not an Athena Iceberg DDL type: "varchar" at position 0 is not supported for Iceberg tables in Athena; use string; accepted: boolean, int, bigint, float, double, decimal(p,s), string, binary, date, timestamp, array<T>, map<K,V>, struct<name:T,...>',
    });
    fs.writeFileSync(path.join(dir, "list.json"), "[]");
    expect(
      planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", path.join(dir, "list.json")]),
    ).to.deep.equal({
      code: 1,
      output: `[--declaration] ${path.join(dir, "list.json")} must hold one table declaration (a JSON object)`,
    });
  });

  it("plans from a local Spark table's metadata (a file path location, not compared)", () => {
    // Written by local Spark 3.5.4 + Iceberg 1.7.1 from sparkCreateTable: Iceberg's native property keys.
    const local = path.join(__dirname, "fixtures", "raw_orders.spark-iceberg-1.7.1.metadata.json");
    expect(planTableChangeCommand(["raw_orders", local])).to.deep.equal({
      code: 0,
      output: [
        "-- ecommerce_lakehouse.raw_orders: 1 statement, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. set properties format, write_compression",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` SET TBLPROPERTIES ('format'='parquet', 'write_compression'='snappy');",
      ].join("\n"),
    });
  });

  it("exits 1 on a usage error or an unknown table", () => {
    expect(planTableChangeCommand([])).to.deep.equal({
      code: 1,
      output:
        "usage: plan-table-change.ts <table> <metadata.json> [database] [--declaration <table.json>] [--json]",
    });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration"])).to.deep.equal({
      code: 1,
      output:
        "[--declaration] needs a JSON file of one table declaration; usage: plan-table-change.ts <table> <metadata.json> [database] [--declaration <table.json>] [--json]",
    });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--yes"]).output).to.equal(
      "[--yes] is not an option; usage: plan-table-change.ts <table> <metadata.json> [database] [--declaration <table.json>] [--json]",
    );
    expect(planTableChangeCommand(["orders", metadataFile({})]).output).to.equal(
      'unknown table "orders"; declared tables: raw_customers, raw_products, raw_orders, curated_customers, curated_orders, agg_daily_metrics, quarantine_records, ingestion_log, job_progress, quality_results',
    );
  });
});
