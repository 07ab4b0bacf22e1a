import { expect } from "chai";
import { icebergLayout } from "../../components/iceberg-table/iceberg-layout";
import { liveTableFromIcebergMetadata } from "../../components/iceberg-table/iceberg-metadata";
import { fixtureMetadata, LOCATION } from "./layout-fixture";

describe("Iceberg layout from a metadata file (partition specs, sort orders, ids)", () => {
  it("reads every spec, the last partition id and every sort order of the file Spark evolved", () => {
    const layout = icebergLayout(fixtureMetadata(1));
    expect({ ...layout, fields: layout.fields.map((f) => [f.id, f.name]) }).to.deep.equal({
      location: LOCATION,
      schemaId: 0,
      identifierFieldIds: [],
      fields: [
        [1, "order_id"],
        [2, "customer_id"],
        [3, "order_status"],
        [4, "order_date"],
        [5, "required_date"],
        [6, "shipped_date"],
        [7, "items"],
        [8, "shipping_address"],
        [9, "total_amount"],
        [10, "updated_at"],
        [11, "_ingestion_timestamp"],
        [12, "_ingestion_id"],
        [13, "_source_file"],
        [14, "_source_line"],
      ],
      specs: [
        {
          specId: 0,
          fields: [
            { name: "order_date_day", fieldId: 1000, sourceId: 4, transform: "day" },
            { name: "order_status", fieldId: 1001, sourceId: 3, transform: "identity" },
          ],
        },
        { specId: 1, fields: [{ name: "order_date_month", fieldId: 1002, sourceId: 4, transform: "month" }] },
      ],
      defaultSpecId: 1,
      lastPartitionId: 1002,
      sortOrders: [
        { orderId: 0, fields: [] },
        {
          orderId: 1,
          fields: [{ sourceId: 2, transform: "identity", direction: "asc", nullOrder: "nulls-first" }],
        },
      ],
      defaultSortOrderId: 1,
    });
  });

  it("gives the live table its sort order as declared, and marks one a declaration cannot express", () => {
    const live = liveTableFromIcebergMetadata("d", "t", fixtureMetadata(1));
    expect([live.sortOrder, live.unrepresentableSortOrder]).to.deep.equal([
      [{ column: "customer_id", direction: "asc", nulls: "first" }],
      undefined,
    ]);
    const bucketed = {
      ...fixtureMetadata(1),
      "sort-orders": [
        {
          "order-id": 1,
          fields: [
            { transform: "bucket[4]", "source-id": 2, direction: "desc", "null-order": "nulls-last" },
            { transform: "identity", "source-id": 4, direction: "asc", "null-order": "nulls-last" },
          ],
        },
      ],
    };
    const other = liveTableFromIcebergMetadata("d", "t", bucketed);
    expect([other.sortOrder, other.unrepresentableSortOrder]).to.deep.equal([
      [{ column: "order_date", direction: "asc", nulls: "last" }],
      "bucket[4](customer_id) desc nulls last, order_date asc nulls last",
    ]);
  });

  const broken: [string, Record<string, unknown>, string][] = [
    [
      "format version 1",
      { "format-version": 1 },
      "format-version 1: partition specs and sort orders are changed on format-version 2 tables only (the only version Athena operates on)",
    ],
    [
      "a partition field without its id",
      {
        "partition-specs": [
          { "spec-id": 1, fields: [{ name: "order_date_month", transform: "month", "source-id": 4 }] },
        ],
      },
      'a field of partition spec 1 has no integer "field-id"',
    ],
    [
      "no last partition id",
      { "last-partition-id": "1002" },
      'the metadata has no integer "last-partition-id"',
    ],
    [
      "an unknown null order",
      {
        "sort-orders": [
          {
            "order-id": 0,
            fields: [
              { transform: "identity", "source-id": 2, direction: "asc", "null-order": "nulls-middle" },
            ],
          },
        ],
        "default-sort-order-id": 0,
      },
      'a field of sort order 0 has null-order "nulls-middle"; known: nulls-first, nulls-last',
    ],
  ];
  for (const [label, change, message] of broken) {
    it(`says why it cannot read a file with ${label}`, () => {
      expect(() => icebergLayout({ ...fixtureMetadata(1), ...change })).to.throw(message);
      const live = liveTableFromIcebergMetadata("d", "t", { ...fixtureMetadata(1), ...change });
      expect([live.layout, live.unreadableLayout]).to.deep.equal([undefined, message]);
    });
  }
});
