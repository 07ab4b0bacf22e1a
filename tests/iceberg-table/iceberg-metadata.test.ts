import { expect } from "chai";
import { planTableChange } from "../../components/iceberg-table/evolution-planner";
import {
  athenaTypeOfIceberg,
  liveTableFromIcebergMetadata,
} from "../../components/iceberg-table/iceberg-metadata";
import { specFromDefinition } from "../../components/iceberg-table/spec";
import { LAKEHOUSE_TABLES } from "../../tables/seed-tables";
import { icebergMetadata } from "../helpers/iceberg-fixture";

describe("live table from Iceberg metadata", () => {
  for (const table of LAKEHOUSE_TABLES) {
    it(`reads ${table.name} back as declared: nothing to plan`, () => {
      const spec = specFromDefinition(table, {
        database: "ecommerce_lakehouse",
        location: `s3://lakehouse-data/${table.prefix}`,
        workgroup: "lakehouse-athena",
        region: "eu-west-1",
      });
      const live = liveTableFromIcebergMetadata(spec.database, spec.name, icebergMetadata(spec));
      expect(planTableChange(live, spec)).to.deep.equal({ ok: true, statements: [], layout: [] });
    });
  }

  const types: [unknown, string][] = [
    ["long", "bigint"],
    ["decimal(10, 2)", "decimal(10,2)"],
    ["timestamptz", "timestamptz"],
    ["fixed[16]", "fixed[16]"],
    [{ type: "list", "element-id": 3, element: "int", "element-required": false }, "array<int>"],
    [{ type: "map", "key-id": 4, key: "string", "value-id": 5, value: "double" }, "map<string,double>"],
    [
      {
        type: "struct",
        fields: [
          { id: 6, name: "sku", type: "string" },
          { id: 7, name: "prices", type: { type: "list", "element-id": 8, element: "decimal(9, 3)" } },
        ],
      },
      "struct<sku:string,prices:array<decimal(9,3)>>",
    ],
  ];
  for (const [iceberg, athena] of types) {
    it(`maps Iceberg ${JSON.stringify(iceberg)} to ${athena}`, () => {
      expect(athenaTypeOfIceberg(iceberg)).to.equal(athena);
    });
  }

  it("reads the current schema of several, its comments and the default spec", () => {
    const live = liveTableFromIcebergMetadata("sales", "orders", {
      "format-version": 2,
      location: "s3://b/orders",
      "current-schema-id": 1,
      schemas: [
        {
          "schema-id": 0,
          fields: [
            { id: 1, name: "id", type: "long" },
            { id: 2, name: "gone", type: "int" },
          ],
        },
        {
          "schema-id": 1,
          fields: [
            { id: 1, name: "id", type: "long", doc: "key" },
            { id: 3, name: "at", type: "timestamp", doc: "" },
          ],
        },
      ],
      "default-spec-id": 1,
      "partition-specs": [
        { "spec-id": 0, fields: [] },
        {
          "spec-id": 1,
          fields: [
            { "source-id": 3, transform: "hour", name: "at_hour", "field-id": 1000 },
            { "source-id": 1, transform: "bucket[8]", name: "id_bucket", "field-id": 1001 },
          ],
        },
      ],
      properties: { write_compression: "zstd", "commit.retry.num-retries": 4 },
    });
    expect(live).to.deep.equal({
      database: "sales",
      name: "orders",
      location: "s3://b/orders",
      columns: [
        { name: "id", type: "bigint", comment: "key" },
        { name: "at", type: "timestamp" },
      ],
      partitionBy: [
        { column: "at", transform: "hour" },
        { column: "id", transform: "bucket", buckets: 8 },
      ],
      properties: { write_compression: "zstd", "commit.retry.num-retries": "4" },
      // Without sort orders the specs cannot be changed: the reader says why.
      sortOrder: [],
      unreadableLayout: 'the metadata has no list of objects "sort-orders"',
    });
  });

  it("reads a format v1 file and skips void partition fields", () => {
    const live = liveTableFromIcebergMetadata("d", "t", {
      "format-version": 1,
      location: "s3://b/t",
      schema: { type: "struct", fields: [{ id: 1, name: "sku", type: "string" }] },
      "partition-spec": [
        { "source-id": 1, transform: "void", name: "old" },
        { "source-id": 1, transform: "truncate[4]", name: "sku_trunc" },
      ],
    });
    expect([live.columns, live.partitionBy, live.properties]).to.deep.equal([
      [{ name: "sku", type: "string" }],
      [{ column: "sku", transform: "truncate", width: 4 }],
      {},
    ]);
  });

  it("marks a partition spec a declaration cannot express", () => {
    const live = liveTableFromIcebergMetadata("d", "t", {
      location: "s3://b/t",
      "current-schema-id": 0,
      schemas: [
        {
          "schema-id": 0,
          fields: [
            { id: 1, name: "day", type: "date" },
            {
              id: 2,
              name: "address",
              type: { type: "struct", fields: [{ id: 3, name: "city", type: "string" }] },
            },
          ],
        },
      ],
      "default-spec-id": 0,
      "partition-specs": [
        {
          "spec-id": 0,
          fields: [
            { "source-id": 1, transform: "day" },
            { "source-id": 3, transform: "identity" },
          ],
        },
      ],
    });
    expect([live.partitionBy, live.unrepresentablePartitioning]).to.deep.equal([
      [{ column: "day", transform: "day" }],
      "day(day), identity((field id 3, not a top-level column))",
    ]);
  });

  const broken: [string, unknown, string][] = [
    ["no location", { schemas: [] }, "not an Iceberg table metadata file (no location)"],
    [
      "no current schema",
      { location: "s3://b/t", "current-schema-id": 2, schemas: [] },
      "no schema with current-schema-id 2",
    ],
    [
      "an unknown type",
      { location: "s3://b/t", schema: { fields: [{ id: 1, name: "x", type: { type: "variant2" } }] } },
      'unrecognised Iceberg type {"type":"variant2"}',
    ],
    [
      "a field without id",
      { location: "s3://b/t", schema: { fields: [{ name: "x", type: "int" }] } },
      'a schema field without id and name: {"name":"x","type":"int"}',
    ],
  ];
  for (const [label, metadata, message] of broken) {
    it(`refuses metadata with ${label}`, () => {
      expect(() => liveTableFromIcebergMetadata("d", "t", metadata)).to.throw(message);
    });
  }
});
