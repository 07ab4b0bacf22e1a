import * as pulumi from "@pulumi/pulumi";
import { IcebergTableSpec, validateIcebergTableSpec } from "../../components/iceberg-table/spec";
import { ColumnDefinition } from "../../tables/table-definition";
import { LiveTableShape } from "../helpers/iceberg-fixture";

/** The IcebergTable provider as the tests hold it (either form, see helpers/serialized-provider). */
export type IcebergProvider = pulumi.dynamic.ResourceProvider<
  Record<string, unknown>,
  Record<string, unknown>
>;

/** The workgroup the provider tests create in moto. */
export const WORKGROUP = "lakehouse-athena";

/** The table the provider tests manage: sales.orders. */
export const ORDERS: IcebergTableSpec = validateIcebergTableSpec({
  name: "orders",
  database: "sales",
  location: "s3://lakehouse-data/curated/orders/",
  workgroup: WORKGROUP,
  region: "eu-west-1",
  columns: [
    { name: "order_id", type: "string" },
    { name: "qty", type: "int" },
    { name: "total", type: "decimal(12,2)", comment: "after discounts" },
    { name: "ordered_at", type: "timestamp" },
  ],
  partitionBy: [{ column: "ordered_at", transform: "day" }],
  properties: { format: "parquet", write_compression: "zstd" },
});

/** How every statement on it starts. */
export const ALTER_ORDERS = "ALTER TABLE `sales`.`orders`";

/** Fast polling; numbers only, so they may be captured into the serialized provider. */
export const FAST_POLLING = { initialPollDelayMs: 2, maxPollDelayMs: 10, timeoutMs: 10000 };

/** The live table exactly as Athena's CREATE TABLE of `s` leaves it. */
export const shapeOf = (
  s: IcebergTableSpec,
  columns: readonly ColumnDefinition[] = s.columns,
): LiveTableShape => ({
  database: s.database,
  name: s.name,
  location: s.location,
  columns,
  partitionBy: s.partitionBy,
  properties: s.properties,
});

/** The owner the IcebergTable component would give the ORDERS resource of a test stack. */
export const OWNER = {
  stack: "organization/lakehouse/test",
  urn: "urn:pulumi:test::lakehouse::lakehouse:catalog:IcebergTable$pulumi-nodejs:dynamic/lakehouse:IcebergTable::orders-table",
};

/** A resource's inputs for a spec, as the component sets them: the spec plus its owner. */
export const inputsOf = (spec: object, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...spec,
  owner: OWNER,
  ...extra,
});

/** The state the provider reports for a spec, with the claim its create made. */
export const outputsOf = <
  S extends { readonly database: string; readonly name: string; readonly region: string },
>(
  spec: S,
  claim: unknown,
  drift: readonly string[] = [],
): Record<string, unknown> => ({
  ...spec,
  qualifiedName: `${spec.database}.${spec.name}`,
  drift,
  aws: { region: spec.region },
  owner: OWNER,
  ownerClaim: claim,
  providerVersion: "2",
});

/** The ownership marker's Glue parameters for a claim of OWNER. */
export const markerOfOwner = (claim: string, owner: { stack: string; urn: string } = OWNER) => ({
  "lakehouse.owner.stack": owner.stack,
  "lakehouse.owner.urn": owner.urn,
  "lakehouse.owner.claim": claim,
});

/** What a refresh reports as the resource's inputs for a state: everything but the outputs-only keys. */
export const inputsOfState = (state: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(state).filter(([key]) => !["qualifiedName", "drift", "ownerClaim"].includes(key)),
  );
