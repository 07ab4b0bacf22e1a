import { expect } from "chai";
import {
  ICEBERG_TABLE_COMPONENT_TYPE,
  ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE,
} from "../../policy/lib/resource-types";
import { stackEnvironmentTag } from "../../policy/providers";
import { productionStatefulProtected, statefulNoDeleteBeforeReplace } from "../../policy/stateful-protection";
import { icebergTableOwnLocation, icebergTableRetainsData } from "../../policy/tables";
import { addBucket } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureOptions, FixtureStack } from "./helpers/fixture-stack";

/** A table as the table component declares it: the component, and the dynamic resource inside. */
function addTable(
  f: FixtureStack,
  name: string,
  inputs: Record<string, unknown>,
  options: FixtureOptions = {},
) {
  const component = f.add(ICEBERG_TABLE_COMPONENT_TYPE, name, {}, { custom: false });
  return f.add(
    ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE,
    name,
    { name, database: "db", location: `s3://data/raw/${name}/`, deletionPolicy: "retain", ...inputs },
    { parent: component, ...options },
  );
}

function tables(environment: string | undefined, ...deletionPolicies: (string | undefined)[]): FixtureStack {
  const f = new FixtureStack();
  f.awsProvider(environment);
  deletionPolicies.forEach((policy, i) => addTable(f, `t${i}`, { deletionPolicy: policy }));
  return f;
}

describe("policy: Iceberg tables", () => {
  it("iceberg-table-retains-data passes retaining tables (and the provider's retain default) in prod", async () => {
    expect(
      await violationsOf(icebergTableRetainsData, tables("prod", "retain", undefined).records),
    ).to.deep.equal([]);
  });

  it("iceberg-table-retains-data lets a preview environment drop its tables", async () => {
    expect(await violationsOf(icebergTableRetainsData, tables("preview", "drop").records)).to.deep.equal([]);
  });

  it("iceberg-table-retains-data reports dropping tables in prod, dev and a stack without an environment", async () => {
    expect(
      await violationsOf(icebergTableRetainsData, tables("prod", "drop", "retain").records),
    ).to.deep.equal([
      { resource: "t0", message: 'table "t0" has deletionPolicy "drop" in environment "prod"' },
    ]);
    expect(await violationsOf(icebergTableRetainsData, tables("dev", "drop").records)).to.deep.equal([
      { resource: "t0", message: 'table "t0" has deletionPolicy "drop" in environment "dev"' },
    ]);
    expect(await violationsOf(icebergTableRetainsData, tables(undefined, "drop").records)).to.deep.equal([
      {
        resource: "t0",
        message: 'table "t0" has deletionPolicy "drop" in a stack with no single Environment tag',
      },
    ]);
  });

  it("iceberg-table-retains-data is not applicable without tables", async () => {
    expect(await notApplicableOf(icebergTableRetainsData, tables("prod").records)).to.deep.equal([
      "(stack): Policy only applies to stacks with Iceberg tables",
    ]);
  });

  it("iceberg-table-own-location passes distinct folders, reports a bucket root, overlap and a non-S3 location", async () => {
    const good = new FixtureStack();
    addTable(good, "orders", { location: "s3://data/raw/orders/" });
    addTable(good, "orders_v2", { location: "s3://data/raw/orders_v2/" });
    addTable(good, "other", { location: "s3://other/raw/orders/" });
    expect(await violationsOf(icebergTableOwnLocation, good.records)).to.deep.equal([]);
    const bad = new FixtureStack();
    addTable(bad, "orders", { location: "s3://data/raw/orders/" });
    addTable(bad, "order_items", { location: "s3://data/raw/orders/items/" });
    addTable(bad, "root", { location: "s3://data/" });
    addTable(bad, "local", { location: "/tmp/warehouse/local" });
    expect(await violationsOf(icebergTableOwnLocation, bad.records)).to.deep.equal([
      {
        resource: "order_items",
        message:
          'table "order_items" at "s3://data/raw/orders/items/" overlaps the location of table "orders" ("s3://data/raw/orders/")',
      },
      { resource: "root", message: 'table "root" sits at the root of bucket "data"' },
      {
        resource: "local",
        message: 'table "local" has location "/tmp/warehouse/local", which is not an s3:// URI',
      },
    ]);
  });
  it("iceberg-table-own-location reports the table inside another's folder, whatever the registration order", async () => {
    const f = new FixtureStack();
    addTable(f, "order_items", { location: "s3://data/raw/orders/items/" });
    addTable(f, "orders", { location: "s3://data/raw/orders/" });
    addTable(f, "raw", { location: "s3://data/raw/" });
    // Two tables in one folder: the one whose URN sorts later is reported, not the one registered later.
    addTable(f, "twin_b", { location: "s3://data/curated/twin/" });
    addTable(f, "twin_a", { location: "s3://data/curated/twin/" });
    const overlap = (table: string, location: string, other: string, otherLocation: string) => ({
      resource: table,
      message: `table "${table}" at "${location}" overlaps the location of table "${other}" ("${otherLocation}")`,
    });
    expect(await violationsOf(icebergTableOwnLocation, f.records)).to.deep.equal([
      overlap("order_items", "s3://data/raw/orders/items/", "raw", "s3://data/raw/"),
      overlap("orders", "s3://data/raw/orders/", "raw", "s3://data/raw/"),
      overlap("twin_b", "s3://data/curated/twin/", "twin_a", "s3://data/curated/twin/"),
    ]);
  });
});

describe("policy: stateful resources", () => {
  function statefulStack(environment: string, protect: boolean): FixtureStack {
    const f = new FixtureStack();
    const provider = f.awsProvider(environment);
    addBucket(f, "data", { provider, protect });
    f.add("aws:kms/key:Key", "key", { enableKeyRotation: true }, { provider, protect });
    f.add("aws:glue/catalogDatabase:CatalogDatabase", "database", { name: "db" }, { provider, protect });
    addTable(f, "orders", {}, { protect });
    f.add("aws:iam/role:Role", "role", {}, { provider });
    return f;
  }

  it("prod-stateful-resources-protected passes a protected prod stack", async () => {
    expect(
      await violationsOf(productionStatefulProtected, statefulStack("prod", true).records),
    ).to.deep.equal([]);
  });

  it("prod-stateful-resources-protected reports each unprotected bucket, key, database and table in prod", async () => {
    expect(
      await violationsOf(productionStatefulProtected, statefulStack("prod", false).records),
    ).to.deep.equal([
      { resource: "data", message: 'bucket "data" is not protected in production' },
      { resource: "key", message: 'KMS key "key" is not protected in production' },
      { resource: "database", message: 'Glue database "database" is not protected in production' },
      { resource: "orders", message: 'Iceberg table "orders" is not protected in production' },
    ]);
  });

  it("prod-stateful-resources-protected is not applicable outside production", async () => {
    expect(
      await notApplicableOf(productionStatefulProtected, statefulStack("dev", false).records),
    ).to.deep.equal(["(stack): Policy only applies to production stacks"]);
  });

  it("stateful-no-delete-before-replace reports it on each stateful type, not on other resources", async () => {
    const f = new FixtureStack();
    addBucket(f, "data", { deleteBeforeReplace: true });
    f.add("aws:kms/key:Key", "key", {}, { deleteBeforeReplace: true });
    f.add(
      "aws:glue/catalogDatabase:CatalogDatabase",
      "database",
      { name: "db" },
      { deleteBeforeReplace: true },
    );
    addTable(f, "orders", {}, { deleteBeforeReplace: true });
    f.add("aws:iam/role:Role", "role", {}, { deleteBeforeReplace: true });
    expect(
      await violationsOf(statefulNoDeleteBeforeReplace, statefulStack("prod", true).records),
    ).to.deep.equal([]);
    expect(await violationsOf(statefulNoDeleteBeforeReplace, f.records)).to.deep.equal([
      {
        resource: "data",
        message: 'bucket "data" is set to be deleted before its replacement is created (deleteBeforeReplace)',
      },
      {
        resource: "key",
        message: 'KMS key "key" is set to be deleted before its replacement is created (deleteBeforeReplace)',
      },
      {
        resource: "database",
        message:
          'Glue database "database" is set to be deleted before its replacement is created (deleteBeforeReplace)',
      },
      {
        resource: "orders",
        message:
          'Iceberg table "orders" is set to be deleted before its replacement is created (deleteBeforeReplace)',
      },
    ]);
  });

  it("stack-environment-tag passes one known environment, reports a missing, unknown or conflicting tag", async () => {
    expect(await violationsOf(stackEnvironmentTag, statefulStack("prod", true).records)).to.deep.equal([]);
    const f = new FixtureStack();
    f.awsProvider(undefined, "untagged");
    f.awsProvider("staging", "staging");
    f.awsProvider("dev", "dev");
    f.awsProvider("prod", "prod");
    expect(await violationsOf(stackEnvironmentTag, f.records)).to.deep.equal([
      { resource: "untagged", message: 'AWS provider "untagged" has no Environment default tag' },
      {
        resource: "staging",
        message: 'AWS provider "staging" has Environment "staging"; accepted: dev, prod, preview',
      },
      {
        resource: "(stack)",
        message: 'the stack\'s AWS providers disagree on Environment: "dev" (dev), "prod" (prod)',
      },
    ]);
    expect(await violationsOf(stackEnvironmentTag, new FixtureStack().records)).to.deep.equal([
      {
        resource: "(stack)",
        message: "the stack has no AWS provider whose default tags say its environment",
      },
    ]);
  });
});
