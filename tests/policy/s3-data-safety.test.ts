import { expect } from "chai";
import { forceDestroyOnlyInPreview, noLifecycleOnLiveIcebergData } from "../../policy/s3-data-safety";
import { ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE } from "../../policy/lib/resource-types";
import { ABORT_UPLOADS_RULE, addBucket } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

describe("policy: S3 data safety", () => {
  describe("force-destroy-only-in-preview", () => {
    function withForceDestroy(environment: string | undefined): FixtureStack {
      const f = new FixtureStack();
      const provider = f.awsProvider(environment);
      addBucket(f, "data", { provider, bucketInputs: { forceDestroy: true } });
      f.add("aws:athena/workgroup:Workgroup", "queries", { forceDestroy: true }, { provider });
      f.add("aws:athena/workgroup:Workgroup", "kept", { forceDestroy: false }, { provider });
      return f;
    }

    it("passes forceDestroy in a preview environment", async () => {
      expect(
        await violationsOf(forceDestroyOnlyInPreview, withForceDestroy("preview").records),
      ).to.deep.equal([]);
    });

    it("reports forceDestroy on buckets and workgroups in prod, naming the environment", async () => {
      expect(await violationsOf(forceDestroyOnlyInPreview, withForceDestroy("prod").records)).to.deep.equal([
        {
          resource: "data",
          message: 'bucket "data" sets forceDestroy outside a preview environment (Environment "prod")',
        },
        {
          resource: "queries",
          message: 'workgroup "queries" sets forceDestroy outside a preview environment (Environment "prod")',
        },
      ]);
    });

    it("treats a provider without the Environment tag as not preview", async () => {
      expect(
        await violationsOf(forceDestroyOnlyInPreview, withForceDestroy(undefined).records),
      ).to.deep.equal([
        {
          resource: "data",
          message: 'bucket "data" sets forceDestroy outside a preview environment (no Environment tag)',
        },
        {
          resource: "queries",
          message: 'workgroup "queries" sets forceDestroy outside a preview environment (no Environment tag)',
        },
      ]);
    });

    it("is not applicable to other resource types (each validation of the policy says so)", async () => {
      const f = new FixtureStack();
      f.add("aws:kms/key:Key", "key", {});
      expect(await notApplicableOf(forceDestroyOnlyInPreview, f.records)).to.deep.equal([
        "key: Policy only applies to resources of type 'aws:s3/bucket:Bucket'",
        "key: Policy only applies to resources of type 'aws:s3/bucketV2:BucketV2'",
        "key: Policy only applies to resources of type 'aws:s3/directoryBucket:DirectoryBucket'",
        "key: Policy only applies to resources of type 'aws:athena/workgroup:Workgroup'",
      ]);
    });
  });

  describe("no-lifecycle-on-live-iceberg-data", () => {
    /** A data bucket (the catalog database's location) with the given lifecycle rules and a table under raw/. */
    function lakehouse(
      rules: Record<string, unknown>[],
      extra?: (f: FixtureStack, data: ReturnType<typeof addBucket>) => void,
    ) {
      const f = new FixtureStack();
      const data = addBucket(f, "data", { inputs: { lifecycle: { rules: [...rules, ABORT_UPLOADS_RULE] } } });
      addBucket(f, "logs", {
        inputs: {
          lifecycle: {
            rules: [
              { id: "expire-logs", status: "Enabled", filter: { prefix: "" }, expiration: { days: 90 } },
              ABORT_UPLOADS_RULE,
            ],
          },
        },
      });
      f.add(
        "aws:glue/catalogDatabase:CatalogDatabase",
        "database",
        { name: "db", locationUri: "s3://data/warehouse/" },
        { refs: { locationUri: data } },
      );
      f.add(
        ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE,
        "orders",
        { name: "orders", database: "db", location: "s3://data/sales/orders/", deletionPolicy: "retain" },
        { refs: { location: data } },
      );
      extra?.(f, data);
      return f;
    }

    it("passes infrequent-access moves, noncurrent expiry and expiry outside live folders", async () => {
      const rules = [
        {
          id: "raw-ia",
          status: "Enabled",
          filter: { and: { prefix: "raw/", objectSizeGreaterThan: 131072 } },
          transitions: [{ days: 90, storageClass: "STANDARD_IA" }],
        },
        {
          id: "noncurrent",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          expiration: { expiredObjectDeleteMarker: true },
        },
        { id: "temp", status: "Enabled", filter: { prefix: "_temporary/" }, expiration: { days: 1 } },
        {
          id: "old-archive",
          status: "Disabled",
          filter: { prefix: "curated/" },
          transitions: [{ days: 30, storageClass: "GLACIER" }],
        },
      ];
      expect(await violationsOf(noLifecycleOnLiveIcebergData, lakehouse(rules).records)).to.deep.equal([]);
    });

    it("reports GLACIER under a table prefix and expiry over the whole bucket, on the lifecycle", async () => {
      const rules = [
        {
          id: "raw-archive",
          status: "Enabled",
          filter: { prefix: "raw/customers/" },
          transitions: [{ days: 90, storageClass: "GLACIER" }],
        },
        { id: "expire-all", status: "Enabled", filter: {}, expiration: { days: 365 } },
      ];
      expect(await violationsOf(noLifecycleOnLiveIcebergData, lakehouse(rules).records)).to.deep.equal([
        {
          resource: "data-lifecycle",
          message:
            'lifecycle rule "raw-archive" moves to GLACIER objects under "raw/customers/" of bucket "data", which holds live Iceberg data ("raw/")',
        },
        {
          resource: "data-lifecycle",
          message:
            'lifecycle rule "expire-all" expires objects under "" of bucket "data", which holds live Iceberg data ("raw/")',
        },
      ]);
    });

    it("reports a move to a single-zone class under a table prefix, through a *V2 lifecycle companion too", async () => {
      const onezone = [
        {
          id: "raw-onezone",
          status: "Enabled",
          filter: { prefix: "raw/" },
          transitions: [{ days: 30, storageClass: "ONEZONE_IA" }],
        },
      ];
      const f = lakehouse([]);
      f.add(
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
        "data-lifecycle-v2",
        { bucket: "data", rules: onezone },
        { refs: { bucket: f.records[0] } },
      );
      expect(await violationsOf(noLifecycleOnLiveIcebergData, f.records)).to.deep.equal([
        {
          resource: "data-lifecycle-v2",
          message:
            'lifecycle rule "raw-onezone" moves to ONEZONE_IA objects under "raw/" of bucket "data", which holds live Iceberg data ("raw/")',
        },
      ]);
    });

    it("takes live folders from in-stack table locations, beyond the configured ones", async () => {
      const rules = [
        {
          id: "sales-deep",
          status: "Enabled",
          filter: { prefix: "sales/" },
          transitions: [{ days: 180, storageClass: "DEEP_ARCHIVE" }],
        },
      ];
      expect(
        await violationsOf(noLifecycleOnLiveIcebergData, lakehouse(rules).records, {
          "no-lifecycle-on-live-iceberg-data": { properties: { liveTablePrefixes: [] } },
        }),
      ).to.deep.equal([
        {
          resource: "data-lifecycle",
          message:
            'lifecycle rule "sales-deep" moves to DEEP_ARCHIVE objects under "sales/" of bucket "data", which holds live Iceberg data ("sales/orders/")',
        },
      ]);
    });

    it("reports an intelligent-tiering configuration with archive tiers over live data", async () => {
      const f = lakehouse([], (fixture, data) => {
        fixture.add(
          "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration",
          "data-tiering",
          {
            bucket: "data",
            name: "archive",
            filter: { prefix: "curated/" },
            tierings: [{ accessTier: "ARCHIVE_ACCESS", days: 90 }],
          },
          { refs: { bucket: data } },
        );
      });
      expect(await violationsOf(noLifecycleOnLiveIcebergData, f.records)).to.deep.equal([
        {
          resource: "data-tiering",
          message:
            'intelligent-tiering configuration "data-tiering" archives (ARCHIVE_ACCESS) objects under "curated/" of bucket "data", which holds live Iceberg data ("curated/")',
        },
      ]);
    });

    it("is not applicable to a stack without a table or catalog database location", async () => {
      const f = new FixtureStack();
      addBucket(f, "logs");
      expect(await notApplicableOf(noLifecycleOnLiveIcebergData, f.records)).to.deep.equal([
        "(stack): Policy only applies to stacks with an Iceberg data bucket (a table or catalog database location)",
      ]);
    });
  });
});
