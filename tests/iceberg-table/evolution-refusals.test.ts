import { Case, desired, itPlans, live, PROMOTIONS, withColumn } from "./evolution-fixture";

const V1 =
  "format-version 1: partition specs and sort orders are changed on format-version 2 tables only (the only version Athena operates on)";

/** Changes Athena cannot apply in place: refused with every reason, nothing to run. */
const REFUSED: Case[] = [
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
        '[columns] column "status" is a partition source of the partition spec; Iceberg needs it to read and prune the files written with that spec, so it cannot be dropped; declare it again',
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
    "refuses a live partition spec a declaration cannot express",
    desired(),
    {
      refused: [
        "[partitionBy] the live spec day(ordered_at), identity((field id 9, not a top-level column)) -> day(ordered_at), identity(status): it has fields a declaration cannot express (a nested source column or a transform Athena does not know), and the provider does not replace what it cannot read back; change it from Spark (ALTER TABLE ... PARTITION FIELD), then declare it",
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
        `[partitionBy] day(ordered_at), identity(status) -> hour(ordered_at) cannot be planned: the table's Iceberg metadata cannot be read (${V1}); nothing is changed`,
      ],
    },
    {},
    { ...live, unreadableLayout: V1 },
  ],
  [
    "refuses a sort order on a table whose specs and sort orders cannot be read",
    desired({ sortOrder: [{ column: "ordered_at", direction: "desc" }] }),
    {
      refused: [
        `[sortOrder] (unsorted) -> ordered_at desc nulls last cannot be planned: the table's Iceberg metadata cannot be read (${V1}); nothing is changed`,
      ],
    },
    {},
    { ...live, unreadableLayout: V1 },
  ],
];

describe("evolution planner refusals", () => {
  itPlans(REFUSED);
});
