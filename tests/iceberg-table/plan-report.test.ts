import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RAW_ORDERS } from "../../tables/seed-tables";
import { icebergMetadata } from "../helpers/iceberg-fixture";
import { PLAN_TABLE_CHANGE_USAGE, planTableChangeCommand } from "../../scripts/plan-table-change";
import { EVOLVED_REQUEST, LOCATION } from "./layout-fixture";

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
        "-- 3. set properties write_target_data_file_size_bytes",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` SET TBLPROPERTIES ('write_target_data_file_size_bytes'='134217728');",
      ].join("\n"),
    });
  });

  it("exits 3 with the refusal when the change cannot be applied in place", () => {
    const wider = RAW_ORDERS.columns.map((c) =>
      c.name === "total_amount" ? { ...c, type: "decimal(14,2)" } : c,
    );
    const result = planTableChangeCommand(["raw_orders", metadataFile({ columns: wider })]);
    expect(result).to.deep.equal({
      code: 3,
      output:
        'IcebergTable "raw_orders": the change cannot be applied in place and was refused (nothing was run):\n  - [columns.total_amount.type] decimal(14,2) -> decimal(12,2) is not a type change Athena applies in place (data files are never rewritten); accepted: int -> bigint, float -> double, decimal(p,s) -> decimal(p2,s) with p2 > p',
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
      layout: [],
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

  it("refuses a declaration of another table or an invalid one, before planning (exit 2)", () => {
    const other = declarationFile({ name: "raw_customers" });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", other])).to.deep.equal({
      code: 2,
      output: `[--declaration] ${other} declares table "raw_customers", not "raw_orders"`,
    });
    const badType = declarationFile({ columns: [...RAW_ORDERS.columns, { ...couponCode, type: "varchar" }] });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", badType])).to.deep.equal({
      code: 2,
      output:
        'IcebergTable "raw_orders" [columns[14].type] "varchar" is not an Athena Iceberg DDL type: "varchar" at position 0 is not supported for Iceberg tables in Athena; use string; accepted: boolean, int, bigint, float, double, decimal(p,s), string, binary, date, timestamp, array<T>, map<K,V>, struct<name:T,...>',
    });
    fs.writeFileSync(path.join(dir, "list.json"), "[]");
    expect(
      planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", path.join(dir, "list.json")]),
    ).to.deep.equal({
      code: 2,
      output: `[--declaration] ${path.join(dir, "list.json")} must hold one table declaration (a JSON object)`,
    });
  });

  it("plans the move of a table created by order day and status to landing day, from a local Spark table's metadata (a file path location, not compared)", () => {
    // Written by local Spark 3.5.4 + Iceberg 1.7.1 from sparkCreateTable of raw_orders as first declared:
    // Iceberg's native property keys. The current declaration evolves it in place; its files keep spec 0.
    const local = path.join(__dirname, "fixtures", "raw_orders.spec-0.metadata.json");
    expect(planTableChangeCommand(["raw_orders", local])).to.deep.equal({
      code: 0,
      output: [
        "-- ecommerce_lakehouse.raw_orders: 1 statement and 1 Glue Iceberg update, in this order (metadata only, no data file is rewritten)",
        "",
        "-- 1. set properties format, write_compression, write_target_data_file_size_bytes",
        "ALTER TABLE `ecommerce_lakehouse`.`raw_orders` SET TBLPROPERTIES ('format'='parquet', 'write_compression'='zstd', 'write_target_data_file_size_bytes'='134217728');",
        "",
        "-- 2. partition spec 0 -> 1: day(order_date), identity(order_status) -> day(_ingestion_timestamp)",
        "--    existing files keep spec 0; new writes use spec 1; nothing is rewritten",
        "--    new field 1002 _ingestion_timestamp_day: day(_ingestion_timestamp)",
        "--    no longer in the default spec: 1000 order_date_day (day(order_date)), 1001 order_status (identity(order_status))",
        "--    (Glue UpdateTable, Iceberg update: add-spec, set-default-spec)",
      ].join("\n"),
    });
  });

  it("plans a partition spec and sort order change from a local Spark table's metadata, with the Glue request (--json)", () => {
    const local = path.join(__dirname, "fixtures", "raw_orders.spec-0.metadata.json");
    const declaration = declarationFile({
      partitionBy: [{ column: "order_date", transform: "month" }],
      sortOrder: [{ column: "customer_id" }],
    });
    const result = planTableChangeCommand(["raw_orders", local, "--declaration", declaration, "--json"]);
    const { layout, glueRequest } = JSON.parse(result.output) as {
      layout: { summary: string }[];
      glueRequest: { VersionId?: string; UpdateOpenTableFormatInput: unknown };
    };
    expect([result.code, layout.map((c) => c.summary)]).to.deep.equal([
      0,
      [
        "partition spec 0 -> 1: day(order_date), identity(order_status) -> month(order_date)",
        "sort order 0 -> 1: (unsorted) -> customer_id asc nulls first",
      ],
    ]);
    // A metadata file alone has no Glue table version: the request carries none.
    const withLocalLocation = JSON.parse(
      JSON.stringify(EVOLVED_REQUEST.UpdateOpenTableFormatInput).replaceAll(
        LOCATION,
        (JSON.parse(fs.readFileSync(local, "utf8")) as { location: string }).location,
      ),
    ) as unknown;
    expect([glueRequest.VersionId, glueRequest.UpdateOpenTableFormatInput]).to.deep.equal([
      undefined,
      withLocalLocation,
    ]);
  });

  it("exits 2 on a usage error, an unknown table or a missing file, naming the argument", () => {
    expect(planTableChangeCommand([])).to.deep.equal({
      code: 2,
      output: `[<table>] is required\n\n${PLAN_TABLE_CHANGE_USAGE}`,
    });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration"])).to.deep.equal({
      code: 2,
      output: `Option '--declaration <value>' argument missing\n\n${PLAN_TABLE_CHANGE_USAGE}`,
    });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--yes"]).output).to.equal(
      "Unknown option '--yes'. To specify a positional argument starting with a '-', place it at the end of the " +
        `command after '--', as in '-- "--yes"\n\n${PLAN_TABLE_CHANGE_USAGE}`,
    );
    expect(planTableChangeCommand(["orders", metadataFile({})])).to.deep.equal({
      code: 2,
      output:
        '[<table>] unknown table "orders"; declared tables: raw_customers, raw_products, raw_orders, curated_customers, customer_counted_orders, curated_orders, agg_daily_metrics, quarantine_records, ingestion_log, job_progress, quality_results',
    });
    const missing = path.join(dir, "missing.metadata.json");
    expect(planTableChangeCommand(["raw_orders", missing])).to.deep.equal({
      code: 2,
      output: `[<metadata.json>] no such file: ${missing}`,
    });
    expect(planTableChangeCommand(["raw_orders", metadataFile({}), "--declaration", missing])).to.deep.equal({
      code: 2,
      output: `[--declaration] no such file: ${missing}`,
    });
    const notMetadata = path.join(dir, "not-metadata.json");
    fs.writeFileSync(notMetadata, "{}");
    expect(planTableChangeCommand(["raw_orders", notMetadata]).output).to.match(
      new RegExp(`^\\[<metadata\\.json>\\] ${notMetadata}: .*no location`),
    );
  });

  it("answers --help with its usage (exit 0)", () => {
    expect(planTableChangeCommand(["--help"])).to.deep.equal({ code: 0, output: PLAN_TABLE_CHANGE_USAGE });
    expect(planTableChangeCommand(["raw_orders", "-h"])).to.deep.equal({
      code: 0,
      output: PLAN_TABLE_CHANGE_USAGE,
    });
  });
});
