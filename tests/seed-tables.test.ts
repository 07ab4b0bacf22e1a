import { expect } from "chai";
import { dataBucketRules } from "../components/storage-layout";
import { validateLakehouseBucketArgs } from "../components/lakehouse-bucket";
import { parseLakehouseConfig } from "../config/stack-config";
import { LAKEHOUSE_TABLES, LIVE_TABLE_ZONES } from "../tables/seed-tables";

describe("declared tables and the data bucket's live zones", () => {
  it("puts every table under a live zone, so no lifecycle rule may expire or archive its files", () => {
    const outside = LAKEHOUSE_TABLES.filter(
      (t) => !LIVE_TABLE_ZONES.some((zone) => t.prefix.startsWith(zone)),
    );
    expect(outside.map((t) => `${t.name} at ${t.prefix}`)).to.deep.equal([]);
  });

  it("gives every table its own folder", () => {
    const nested = LAKEHOUSE_TABLES.flatMap((a) =>
      LAKEHOUSE_TABLES.filter((b) => a !== b && b.prefix.startsWith(a.prefix)).map(
        (b) => `${b.name} in ${a.name}`,
      ),
    );
    expect(nested).to.deep.equal([]);
  });

  it("keeps the data bucket's own rules inside what the live zones allow", () => {
    const config = parseLakehouseConfig({ environment: "prod", region: "eu-west-1" });
    expect(() =>
      validateLakehouseBucketArgs("data", {
        purpose: "data",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
        accessLogs: "is-access-log-bucket",
        lifecycleRules: dataBucketRules(config),
        liveTablePrefixes: LIVE_TABLE_ZONES,
        noncurrentVersionExpirationDays: 30,
        abortIncompleteUploadsAfterDays: 7,
        stateful: { protect: true, retainOnDelete: true },
      }),
    ).not.to.throw();
  });
});
