import { TableDefinition } from "./table-definition";

/**
 * What a job keeps so that its next run need not re-read history (seed-tables.ts lists every table).
 * Written by the job that needs it, published with that job's target and checked by the jobs' property
 * tests (equal to a full recomputation), not by a daily quality check: a check would read it whole.
 */

export const CUSTOMER_COUNTED_ORDERS: TableDefinition = {
  name: "customer_counted_orders",
  comment: "Every customer's counted orders, from which silver_customers computes the order metrics",
  prefix: "curated/customer_counted_orders/",
  columns: [
    { name: "customer_id", type: "string" },
    {
      name: "counted_orders",
      type: "array<struct<order_date:timestamp,net_amount:decimal(12,2)>>",
      comment: "(order date, net amount) of every revenue order of the customer in curated_orders",
    },
  ],
  // Unpartitioned, one row per customer, and replaced whole by each silver_customers run that changes
  // it: a day's orders come from customers scattered over every file, so any layout by customer would
  // rewrite every file anyway, and one read of it serves the run. It is its own table, not a column of
  // curated_customers, because every reader of the customer dimension (the MERGE, gold, the checks)
  // would read it too, and it grows with the order history.
  partitionBy: [],
  properties: { format: "parquet", write_compression: "zstd" },
};
