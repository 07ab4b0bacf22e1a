import { expect } from "chai";
import {
  renderAddColumns,
  renderChangeColumn,
  renderCreateTable,
  renderDropColumn,
  renderDropTable,
  renderRenameTable,
  renderSetProperties,
  renderUnsetProperties,
} from "../../components/iceberg-table/athena-ddl";
import { specFromDefinition, validateIcebergTableSpec } from "../../components/iceberg-table/spec";
import { assertSingleStatement, quoteIdentifier, sqlString } from "../../tables/sql-text";
import { LAKEHOUSE_TABLES } from "../../tables/seed-tables";
import { EXPECTED_CREATE_TABLE } from "./expected-ddl";

describe("Athena DDL rendering", () => {
  it("covers exactly the eleven declared tables", () => {
    expect(LAKEHOUSE_TABLES.map((t) => t.name)).to.deep.equal(Object.keys(EXPECTED_CREATE_TABLE));
  });

  for (const table of LAKEHOUSE_TABLES) {
    it(`renders CREATE TABLE for ${table.name}`, () => {
      const spec = specFromDefinition(table, {
        database: "ecommerce_lakehouse",
        location: `s3://lakehouse-data/${table.prefix}`,
        workgroup: "lakehouse-athena",
        region: "eu-west-1",
      });
      expect(renderCreateTable(spec)).to.equal(EXPECTED_CREATE_TABLE[table.name]);
    });
  }

  /** A small table `d.t` at `s3://bucket/t/`. */
  const small = (fields: Record<string, unknown>) =>
    validateIcebergTableSpec({
      name: "t",
      database: "d",
      location: "s3://bucket/t/",
      workgroup: "wg",
      region: "eu-west-1",
      ...fields,
    });

  it("renders an unpartitioned table without PARTITIONED BY", () => {
    const spec = small({ columns: [{ name: "id", type: "BIGINT" }] });
    expect(renderCreateTable(spec)).to.equal(
      "CREATE TABLE `d`.`t` (\n  `id` bigint\n)\nLOCATION 's3://bucket/t/'\nTBLPROPERTIES (\n  'table_type'='ICEBERG'\n)",
    );
  });

  it("renders bucket and truncate transforms", () => {
    const spec = small({
      columns: [
        { name: "id", type: "bigint" },
        { name: "sku", type: "string" },
      ],
      partitionBy: [
        { column: "id", transform: "bucket", buckets: 16 },
        { column: "sku", transform: "truncate", width: 3 },
      ],
    });
    expect(renderCreateTable(spec).split("\n")[4]).to.equal(
      "PARTITIONED BY (bucket(16, `id`), truncate(3, `sku`))",
    );
  });

  it("renders each ALTER statement", () => {
    const column = { name: "qty", type: "bigint", comment: "units" };
    expect([
      renderAddColumns("d", "t", [column, { name: "note", type: "string" }]),
      renderChangeColumn("d", "t", "quantity", column),
      renderChangeColumn("d", "t", "qty", column, { first: true }),
      renderChangeColumn("d", "t", "qty", column, { after: "id" }),
      renderDropColumn("d", "t", "qty"),
      renderSetProperties("d", "t", { write_compression: "zstd", format: "parquet" }),
      renderUnsetProperties("d", "t", ["vacuum_min_snapshots_to_keep", "format"]),
      renderRenameTable("d", "old_t", "t"),
      renderDropTable("d", "t"),
    ]).to.deep.equal([
      "ALTER TABLE `d`.`t` ADD COLUMNS (`qty` bigint COMMENT 'units', `note` string)",
      "ALTER TABLE `d`.`t` CHANGE COLUMN `quantity` `qty` bigint COMMENT 'units'",
      "ALTER TABLE `d`.`t` CHANGE COLUMN `qty` `qty` bigint COMMENT 'units' FIRST",
      "ALTER TABLE `d`.`t` CHANGE COLUMN `qty` `qty` bigint COMMENT 'units' AFTER `id`",
      "ALTER TABLE `d`.`t` DROP COLUMN `qty`",
      "ALTER TABLE `d`.`t` SET TBLPROPERTIES ('format'='parquet', 'write_compression'='zstd')",
      "ALTER TABLE `d`.`t` UNSET TBLPROPERTIES ('format', 'vacuum_min_snapshots_to_keep')",
      "ALTER TABLE `d`.`old_t` RENAME TO `d`.`t`",
      "DROP TABLE IF EXISTS `d`.`t`",
    ]);
  });

  describe("injection attempts stay inside one literal", () => {
    const comments: [string, string][] = [
      ["it's", "'it\\'s'"],
      ["'; DROP TABLE d.t; --", "'\\'; DROP TABLE d.t; --'"],
      ["back\\slash' --", "'back\\\\slash\\' --'"],
      ["ends with a backslash \\", "'ends with a backslash \\\\'"],
      ["/* comment */ `tick`", "'/* comment */ `tick`'"],
    ];
    for (const [comment, literal] of comments) {
      it(`escapes a comment ${JSON.stringify(comment)}`, () => {
        const statement = renderAddColumns("d", "t", [{ name: "c", type: "string", comment }]);
        expect(statement).to.equal(`ALTER TABLE \`d\`.\`t\` ADD COLUMNS (\`c\` string COMMENT ${literal})`);
        expect(assertSingleStatement(statement)).to.equal(statement);
      });
    }

    it("refuses to quote anything but a validated identifier", () => {
      expect(() => quoteIdentifier("t`; DROP TABLE x")).to.throw(
        'refusing to quote identifier "t`; DROP TABLE x": not [a-z0-9_]{1,128}',
      );
    });

    it("refuses a control character in a literal", () => {
      expect(() => sqlString("a\nb")).to.throw('refusing a string literal with a control character: "a\\nb"');
    });

    const notSingle: [string, string][] = [
      [
        "SELECT 1; DROP TABLE t",
        'refusing DDL that is not a single statement (";" at 8): SELECT 1; DROP TABLE t',
      ],
      ["SELECT 1 -- tail", 'refusing DDL that is not a single statement ("-" at 9): SELECT 1 -- tail'],
      ["SELECT 1 /* x */", 'refusing DDL that is not a single statement ("/" at 9): SELECT 1 /* x */'],
      ["SELECT 'open", "refusing DDL with an unclosed ' quote: SELECT 'open"],
      ["SELECT 'a\\'; DROP", "refusing DDL with an unclosed ' quote: SELECT 'a\\'; DROP"],
    ];
    for (const [sql, message] of notSingle) {
      it(`the last guard refuses ${JSON.stringify(sql)}`, () => {
        expect(() => assertSingleStatement(sql)).to.throw(message);
      });
    }
  });
});
