import { expect } from "chai";
import { planTableChange, PlanOptions } from "../../components/iceberg-table/evolution-planner";
import { LiveTable } from "../../components/iceberg-table/live-table";
import { IcebergTableSpec, validateIcebergTableSpec } from "../../components/iceberg-table/spec";
import { ColumnDefinition } from "../../tables/table-definition";

/** The live table the evolution cases start from, and helpers to declare changes to it. */

export const T = "ALTER TABLE `sales`.`orders`";

/** The live table every case starts from (as Iceberg stores it: location without the trailing slash). */
export const live: LiveTable = {
  database: "sales",
  name: "orders",
  location: "s3://data-bucket/curated/orders",
  columns: [
    { name: "order_id", type: "string" },
    { name: "status", type: "string" },
    { name: "qty", type: "int" },
    { name: "price", type: "decimal(10,2)" },
    { name: "ratio", type: "float" },
    { name: "ordered_at", type: "timestamp", comment: "UTC" },
  ],
  partitionBy: [
    { column: "ordered_at", transform: "day" },
    { column: "status", transform: "identity" },
  ],
  // Athena and Iceberg add keys of their own; the planner leaves unmanaged keys alone.
  properties: { format: "parquet", write_compression: "zstd", "write.parquet.compression-codec": "zstd" },
};

export const declaredColumns: ColumnDefinition[] = live.columns.map((c) => ({ ...c }));

export function desired(overrides: Partial<Record<keyof IcebergTableSpec, unknown>> = {}): IcebergTableSpec {
  return validateIcebergTableSpec({
    name: "orders",
    database: "sales",
    location: "s3://data-bucket/curated/orders/",
    workgroup: "lakehouse-athena",
    region: "eu-west-1",
    columns: declaredColumns,
    partitionBy: live.partitionBy,
    properties: { format: "parquet", write_compression: "zstd" },
    ...overrides,
  });
}

/** Declared columns with one replaced (by its current name) or appended. */
export function withColumn(name: string, column?: ColumnDefinition): ColumnDefinition[] {
  const index = declaredColumns.findIndex((c) => c.name === name);
  if (index < 0) {
    return [...declaredColumns, column!];
  }
  return declaredColumns.flatMap((c, i) => (i === index ? (column === undefined ? [] : [column]) : [c]));
}

export type Case = [string, IcebergTableSpec, string[] | { refused: string[] }, PlanOptions?, LiveTable?];

export const PROMOTIONS =
  "accepted: int -> bigint, float -> double, decimal(p,s) -> decimal(p2,s) with p2 > p";

/** One `it` per case: the exact statements, or the exact refusals (and then nothing to run). */
export function itPlans(cases: readonly Case[]): void {
  for (const [label, target, expected, options, from] of cases) {
    it(label, () => {
      const plan = planTableChange(from ?? live, target, options);
      const outcome = plan.ok
        ? plan.statements.map((s) => s.sql)
        : plan.refusals.map((r) => `[${r.field}] ${r.message}`);
      if (Array.isArray(expected)) {
        expect([plan.ok, outcome]).to.deep.equal([true, expected]);
      } else {
        expect([plan.ok, outcome]).to.deep.equal([false, expected.refused]);
      }
    });
  }
}
