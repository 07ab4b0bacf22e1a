import { expect } from "chai";
import {
  formatRefusal,
  planTableChange,
  PlanOptions,
} from "../../components/iceberg-table/evolution-planner";
import { LiveTable } from "../../components/iceberg-table/live-table";
import { IcebergTableSpec, validateIcebergTableSpec } from "../../components/iceberg-table/spec";
import { ColumnDefinition } from "../../tables/table-definition";

const T = "ALTER TABLE `sales`.`orders`";

/** The live table every case starts from (as Iceberg stores it: location without the trailing slash). */
const live: LiveTable = {
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

const declaredColumns: ColumnDefinition[] = live.columns.map((c) => ({ ...c }));

function desired(overrides: Partial<Record<keyof IcebergTableSpec, unknown>> = {}): IcebergTableSpec {
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
function withColumn(name: string, column?: ColumnDefinition): ColumnDefinition[] {
  const index = declaredColumns.findIndex((c) => c.name === name);
  if (index < 0) {
    return [...declaredColumns, column!];
  }
  return declaredColumns.flatMap((c, i) => (i === index ? (column === undefined ? [] : [column]) : [c]));
}

type Case = [string, IcebergTableSpec, string[] | { refused: string[] }, PlanOptions?, LiveTable?];

const PROMOTIONS = "accepted: int -> bigint, float -> double, decimal(p,s) -> decimal(p2,s) with p2 > p";
const PARTITIONS =
  "Athena cannot change a partition spec in place; evolve it from Spark (ALTER TABLE ... ADD/DROP/REPLACE PARTITION FIELD) and then declare the new spec";

const cases: Case[] = [
  ["nothing when the table matches (location slash and extra live keys aside)", desired(), []],
  [
    "adds a column at the end",
    desired({ columns: withColumn("channel", { name: "channel", type: "string", comment: "web|store" }) }),
    [`${T} ADD COLUMNS (\`channel\` string COMMENT 'web|store')`],
  ],
  [
    "adds columns in the middle, then moves them into place",
    desired({
      columns: [
        declaredColumns[0],
        { name: "channel", type: "string" },
        ...declaredColumns.slice(1, 3),
        { name: "tags", type: "array<string>" },
        ...declaredColumns.slice(3),
      ],
    }),
    [
      `${T} ADD COLUMNS (\`channel\` string, \`tags\` array<string>)`,
      `${T} CHANGE COLUMN \`channel\` \`channel\` string AFTER \`order_id\``,
      `${T} CHANGE COLUMN \`tags\` \`tags\` array<string> AFTER \`qty\``,
    ],
  ],
  [
    "renames a column it was told about",
    desired({ columns: withColumn("qty", { name: "quantity", type: "int", renamedFrom: "qty" }) }),
    [`${T} CHANGE COLUMN \`qty\` \`quantity\` int`],
  ],
  [
    "does nothing more once the rename is done",
    desired({ columns: withColumn("qty", { name: "quantity", type: "int", renamedFrom: "qty" }) }),
    [],
    {},
    { ...live, columns: live.columns.map((c) => (c.name === "qty" ? { ...c, name: "quantity" } : c)) },
  ],
  [
    "renames and promotes in one statement",
    desired({ columns: withColumn("qty", { name: "quantity", type: "bigint", renamedFrom: "qty" }) }),
    [`${T} CHANGE COLUMN \`qty\` \`quantity\` bigint`],
  ],
  [
    "promotes int to bigint",
    desired({ columns: withColumn("qty", { name: "qty", type: "bigint" }) }),
    [`${T} CHANGE COLUMN \`qty\` \`qty\` bigint`],
  ],
  [
    "promotes float to double",
    desired({ columns: withColumn("ratio", { name: "ratio", type: "double" }) }),
    [`${T} CHANGE COLUMN \`ratio\` \`ratio\` double`],
  ],
  [
    "widens a decimal's precision",
    desired({ columns: withColumn("price", { name: "price", type: "decimal(12,2)" }) }),
    [`${T} CHANGE COLUMN \`price\` \`price\` decimal(12,2)`],
  ],
  [
    "sees no change in a type written differently",
    desired({ columns: withColumn("price", { name: "price", type: "DECIMAL(10, 2)" }) }),
    [],
  ],
  [
    "sets, changes and removes a comment",
    desired({
      columns: declaredColumns.map((c) =>
        c.name === "status"
          ? { ...c, comment: "it's the order's state" }
          : c.name === "ordered_at"
            ? { name: c.name, type: c.type }
            : c,
      ),
    }),
    [
      `${T} CHANGE COLUMN \`status\` \`status\` string COMMENT 'it\\'s the order\\'s state'`,
      `${T} CHANGE COLUMN \`ordered_at\` \`ordered_at\` timestamp COMMENT ''`,
    ],
  ],
  [
    "moves a column without other change",
    desired({ columns: [declaredColumns[1], declaredColumns[0], ...declaredColumns.slice(2)] }),
    [`${T} CHANGE COLUMN \`status\` \`status\` string FIRST`],
  ],
  [
    "drops a column only when allowed",
    desired({ columns: withColumn("ratio"), allowColumnDrops: true }),
    [`${T} DROP COLUMN \`ratio\``],
  ],
  [
    "renames the table it was told about, then changes it under the new name",
    desired({
      name: "customer_orders",
      renamedFrom: "orders",
      columns: withColumn("qty", { name: "qty", type: "bigint" }),
    }),
    [
      "ALTER TABLE `sales`.`orders` RENAME TO `sales`.`customer_orders`",
      "ALTER TABLE `sales`.`customer_orders` CHANGE COLUMN `qty` `qty` bigint",
    ],
  ],
  [
    "sets a new property and a changed value",
    desired({
      properties: { format: "parquet", write_compression: "snappy", vacuum_min_snapshots_to_keep: "5" },
    }),
    [`${T} SET TBLPROPERTIES ('vacuum_min_snapshots_to_keep'='5', 'write_compression'='snappy')`],
  ],
  [
    "unsets a property the previous declaration set",
    desired({ properties: { format: "parquet" } }),
    [`${T} UNSET TBLPROPERTIES ('write_compression')`],
    { previouslyManagedProperties: ["format", "write_compression"] },
  ],
  [
    "leaves a property alone that it never set",
    desired({ properties: { format: "parquet" } }),
    [],
    { previouslyManagedProperties: ["format"] },
  ],
  [
    "runs only what is left after a half-applied update",
    desired({
      columns: withColumn("channel", { name: "channel", type: "string" }),
      properties: { format: "parquet", write_compression: "zstd", vacuum_min_snapshots_to_keep: "5" },
    }),
    [`${T} SET TBLPROPERTIES ('vacuum_min_snapshots_to_keep'='5')`],
    {},
    { ...live, columns: [...live.columns, { name: "channel", type: "string" }] },
  ],
  [
    "follows a renamed partition source",
    desired({
      columns: withColumn("status", { name: "order_status", type: "string", renamedFrom: "status" }),
      partitionBy: [
        { column: "ordered_at", transform: "day" },
        { column: "order_status", transform: "identity" },
      ],
    }),
    [`${T} CHANGE COLUMN \`status\` \`order_status\` string`],
  ],
  // Refusals: nothing runs, every reason is listed.
  [
    "refuses narrowing bigint to int",
    desired({ columns: withColumn("qty", { name: "qty", type: "int" }) }),
    {
      refused: [
        `[columns.qty.type] bigint -> int is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
      ],
    },
    {},
    { ...live, columns: live.columns.map((c) => (c.name === "qty" ? { ...c, type: "bigint" } : c)) },
  ],
  [
    "refuses a decimal scale change",
    desired({ columns: withColumn("price", { name: "price", type: "decimal(12,3)" }) }),
    {
      refused: [
        `[columns.price.type] decimal(10,2) -> decimal(12,3) is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
      ],
    },
  ],
  [
    "refuses string to int",
    desired({ columns: withColumn("status", { name: "status", type: "int" }) }),
    {
      refused: [
        `[columns.status.type] string -> int is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
      ],
    },
  ],
  [
    "refuses int to double (not a promotion Iceberg allows)",
    desired({ columns: withColumn("qty", { name: "qty", type: "double" }) }),
    {
      refused: [
        `[columns.qty.type] int -> double is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
      ],
    },
  ],
  [
    "refuses a change inside a nested type",
    desired({ columns: withColumn("tags", { name: "tags", type: "struct<a:int,b:string>" }) }),
    {
      refused: [
        `[columns.tags.type] struct<a:int> -> struct<a:int,b:string> is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
      ],
    },
    {},
    { ...live, columns: [...live.columns, { name: "tags", type: "struct<a:int>" }] },
  ],
  [
    "refuses retyping a column Athena cannot declare",
    desired({ columns: withColumn("ordered_at", { name: "ordered_at", type: "timestamp", comment: "UTC" }) }),
    {
      refused: [
        `[columns.ordered_at.type] timestamptz -> timestamp is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
      ],
    },
    {},
    {
      ...live,
      columns: live.columns.map((c) => (c.name === "ordered_at" ? { ...c, type: "timestamptz" } : c)),
    },
  ],
  [
    "refuses dropping a column by omission",
    desired({ columns: withColumn("ratio") }),
    {
      refused: [
        '[columns] column "ratio" (float) is not declared: dropping it is refused; declare it again, say renamedFrom: "ratio" on the column it became, or set allowColumnDrops: true',
      ],
    },
  ],
  [
    "refuses dropping a partition source even when drops are allowed",
    desired({
      columns: withColumn("status"),
      partitionBy: [{ column: "ordered_at", transform: "day" }],
      allowColumnDrops: true,
    }),
    {
      refused: [
        '[columns] column "status" is a partition source and cannot be dropped; declare it again',
        `[partitionBy] day(ordered_at), identity(status) -> day(ordered_at): ${PARTITIONS}`,
      ],
    },
  ],
  [
    "refuses a rename when both names exist",
    desired({ columns: withColumn("qty", { name: "quantity", type: "int", renamedFrom: "qty" }) }),
    {
      refused: [
        '[columns.quantity.renamedFrom] both "qty" and "quantity" exist in the table; drop renamedFrom once the rename is done, or remove one of them first',
      ],
    },
    {},
    { ...live, columns: [...live.columns, { name: "quantity", type: "int" }] },
  ],
  [
    "refuses a partition transform change",
    desired({
      partitionBy: [
        { column: "ordered_at", transform: "month" },
        { column: "status", transform: "identity" },
      ],
    }),
    {
      refused: [
        `[partitionBy] day(ordered_at), identity(status) -> month(ordered_at), identity(status): ${PARTITIONS}`,
      ],
    },
  ],
  [
    "refuses a new partition field",
    desired({ partitionBy: [...live.partitionBy, { column: "order_id", transform: "bucket", buckets: 16 }] }),
    {
      refused: [
        `[partitionBy] day(ordered_at), identity(status) -> day(ordered_at), identity(status), bucket(16, order_id): ${PARTITIONS}`,
      ],
    },
  ],
  [
    "refuses a live partition spec a declaration cannot express",
    desired(),
    {
      refused: [
        `[partitionBy] the live spec day(ordered_at), identity((field id 9, not a top-level column)) -> day(ordered_at), identity(status): ${PARTITIONS}`,
      ],
    },
    {},
    {
      ...live,
      unrepresentablePartitioning: "day(ordered_at), identity((field id 9, not a top-level column))",
    },
  ],
  [
    "refuses a location change",
    desired({ location: "s3://other-bucket/curated/orders/" }),
    {
      refused: [
        "[location] s3://data-bucket/curated/orders -> s3://other-bucket/curated/orders/: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead",
      ],
    },
  ],
  [
    "refuses a database change",
    desired({ database: "archive" }),
    {
      refused: [
        '[database] "sales" -> "archive": a table is not moved between databases; declare a new table and copy the data',
      ],
    },
  ],
  [
    "refuses a name change it was not told is a rename",
    desired({ name: "customer_orders" }),
    {
      refused: [
        '[name] "orders" -> "customer_orders" would replace the table; to rename it in place, set renamedFrom: "orders"',
      ],
    },
  ],
  [
    "lists every refused change at once",
    desired({
      columns: withColumn("qty", { name: "qty", type: "string" }),
      partitionBy: [{ column: "ordered_at", transform: "hour" }],
      location: "s3://data-bucket/curated/orders_v2/",
    }),
    {
      refused: [
        "[location] s3://data-bucket/curated/orders -> s3://data-bucket/curated/orders_v2/: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead",
        `[columns.qty.type] int -> string is not a type change Athena applies in place (data files are never rewritten); ${PROMOTIONS}`,
        `[partitionBy] day(ordered_at), identity(status) -> hour(ordered_at): ${PARTITIONS}`,
      ],
    },
  ],
];

describe("evolution planner", () => {
  for (const [label, target, expected, options, from] of cases) {
    it(label, () => {
      const plan = planTableChange(from ?? live, target, options);
      if (Array.isArray(expected)) {
        expect(plan.ok ? plan.statements.map((s) => s.sql) : plan.refusals).to.deep.equal(expected);
      } else {
        expect(
          plan.ok ? plan.statements.map((s) => s.sql) : plan.refusals.map((r) => `[${r.field}] ${r.message}`),
        ).to.deep.equal(expected.refused);
        expect(plan.ok).to.equal(false);
      }
    });
  }

  it("summarises each statement for the log", () => {
    const plan = planTableChange(
      live,
      desired({
        name: "customer_orders",
        renamedFrom: "orders",
        columns: [
          ...withColumn("qty", { name: "quantity", type: "bigint", renamedFrom: "qty" }),
          { name: "channel", type: "string" },
        ],
        properties: { format: "parquet" },
      }),
      { previouslyManagedProperties: ["format", "write_compression"] },
    );
    expect(plan.ok && plan.statements.map((s) => s.summary)).to.deep.equal([
      "rename table orders to customer_orders",
      "change column qty: rename to quantity, promote int -> bigint",
      "add columns channel",
      "unset properties write_compression",
    ]);
  });

  it("formats a refusal as one message naming the table and each field", () => {
    const plan = planTableChange(live, desired({ database: "archive", location: "s3://data-bucket/x/" }));
    expect(plan.ok).to.equal(false);
    expect(formatRefusal("orders", plan.ok ? [] : plan.refusals)).to.equal(
      [
        'IcebergTable "orders": the change cannot be applied in place and was refused (nothing was run):',
        '  - [database] "sales" -> "archive": a table is not moved between databases; declare a new table and copy the data',
        "  - [location] s3://data-bucket/curated/orders -> s3://data-bucket/x/: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead",
      ].join("\n"),
    );
  });
});
