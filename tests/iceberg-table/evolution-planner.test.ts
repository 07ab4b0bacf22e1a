import { expect } from "chai";
import { formatRefusal, planTableChange } from "../../components/iceberg-table/evolution-planner";
import { Case, declaredColumns, desired, itPlans, live, T, withColumn } from "./evolution-fixture";

/** Changes Athena applies in place: the exact statements, in order. */
const ACCEPTED: Case[] = [
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
];

describe("evolution planner", () => {
  itPlans(ACCEPTED);

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
