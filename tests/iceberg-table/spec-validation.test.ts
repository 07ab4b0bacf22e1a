import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  icebergTableSpecProblems,
  isIcebergTableSpecError,
  specFromDefinition,
  validateIcebergTableSpec,
} from "../../components/iceberg-table/spec";
import { LAKEHOUSE_TABLES } from "../../tables/seed-tables";
import { ACCEPTED_TYPES, base, INVALID_SPECS } from "./spec-validation-cases";

function problems(override: Record<string, unknown>): string[] {
  return icebergTableSpecProblems({ ...base, ...override }).map((p) => `[${p.field}] ${p.message}`);
}

describe("IcebergTable spec validation", () => {
  it("accepts the seven declared tables and fills the defaults", () => {
    for (const table of LAKEHOUSE_TABLES) {
      const spec = specFromDefinition(table, {
        database: "ecommerce_lakehouse",
        location: `s3://data-bucket/${table.prefix}`,
        workgroup: "lakehouse-athena",
        region: "eu-west-1",
      });
      expect([spec.name, spec.deletionPolicy, spec.allowColumnDrops]).to.deep.equal([
        table.name,
        "retain",
        false,
      ]);
    }
  });

  it("fills each sort field's direction and null order with Iceberg's defaults", () => {
    const spec = validateIcebergTableSpec({
      ...base,
      sortOrder: [
        { column: "order_date", direction: "desc" },
        { column: "total" },
        { column: "order_id", nulls: "last" },
      ],
    });
    expect(spec.sortOrder).to.deep.equal([
      { column: "order_date", direction: "desc", nulls: "last" },
      { column: "total", direction: "asc", nulls: "first" },
      { column: "order_id", direction: "asc", nulls: "last" },
    ]);
    expect(validateIcebergTableSpec(base).sortOrder).to.deep.equal([]);
  });

  it("does not judge values still unknown at preview", () => {
    const unknown = pulumi.runtime.unknownValue;
    expect(problems({ database: unknown, location: unknown, workgroup: unknown })).to.deep.equal([]);
  });

  it("accepts numeric properties at the edges of the ranges the engines accept", () => {
    const edges = {
      write_target_data_file_size_bytes: "9223372036854775807",
      optimize_rewrite_min_data_file_size_bytes: "0",
      optimize_rewrite_max_data_file_size_bytes: "9999999999",
      optimize_rewrite_data_file_threshold: "49",
      optimize_rewrite_delete_file_threshold: "1",
      vacuum_min_snapshots_to_keep: "2147483647",
      vacuum_max_snapshot_age_seconds: "9223372036854775",
      vacuum_max_metadata_files_to_keep: "1",
    };
    expect(problems({ properties: edges })).to.deep.equal([
      "[properties.optimize_rewrite_max_data_file_size_bytes] 9999999999 is not above write_target_data_file_size_bytes (9223372036854775807); accepted: more than the target file size",
    ]);
    expect(
      problems({ properties: { ...edges, write_target_data_file_size_bytes: "1073741824" } }),
    ).to.deep.equal([]);
  });

  for (const [label, override, expected] of INVALID_SPECS) {
    it(`refuses ${label}`, () => {
      expect(problems(override)).to.deep.equal(expected);
    });
  }

  it("reports every problem at once, naming the table on each line", () => {
    let error: unknown;
    try {
      validateIcebergTableSpec({
        ...base,
        region: "mars",
        columns: [{ name: "Id", type: "uuid" }],
        partitionBy: [],
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(isIcebergTableSpecError(error)).to.equal(true);
    expect((error as Error).message).to.equal(
      [
        'IcebergTable "orders" [region] "mars" must be an AWS region such as "us-east-1"',
        'IcebergTable "orders" [columns[0].name] "Id" must be 1-128 lowercase letters, digits or underscores',
        `IcebergTable "orders" [columns[0].type] "uuid" is not an Athena Iceberg DDL type: "uuid" at position 0 is not declarable in Athena; use string; accepted: ${ACCEPTED_TYPES}`,
      ].join("\n"),
    );
  });
});
