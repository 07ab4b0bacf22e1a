import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { derivePreviewConfig, previewDatabaseName } from "../../automation/preview-config";
import { defaultTags } from "../../components/lakehouse";
import { loadStackConfig, programSettings, PROJECT_NAME, readStackConfigFile } from "../../config/load";
import { LakehouseConfig } from "../../config/stack-config";
import { problemsOf } from "../helpers/config-problems";
import { providerUrnOf } from "../../offline/policy-runtime-resources";
import { captureResourceGraph, ResourceRecord } from "../../offline/resource-graph";
import { captureStackGraph } from "../../offline/stack-graph";
import { ofType } from "../helpers/graph";

const identity = { pullRequest: 12, expiresAt: "2025-11-30T00:00:00Z" };

/** The whole preview config of pull request 12, from today's Pulumi.dev.yaml. */
const EXPECTED_PREVIEW: LakehouseConfig = {
  environment: "preview",
  region: "eu-west-1",
  protect: false,
  storage: {
    forceDestroy: true,
    noncurrentVersionExpirationDays: 1,
    rawInfrequentAccessAfterDays: 90,
    curatedInfrequentAccessAfterDays: 180,
    athenaResultsExpirationDays: 1,
    accessLogExpirationDays: 3,
    temporaryFilesExpirationDays: 1,
    abortIncompleteUploadsAfterDays: 1,
  },
  kms: { deletionWindowDays: 7 },
  catalog: { databaseName: "ecommerce_lakehouse_pr_12" },
  accountSettings: { owner: false, catalogKey: "alias/iceberg-lakehouse-dev" },
  network: { cidrBlock: "10.20.0.0/16", availabilityZoneCount: 2, natGateways: "Single" },
  athena: { bytesScannedCutoffPerQuery: 10485760 },
  glue: { workerType: "G.1X", numberOfWorkers: 2, timeoutMinutes: 15, maxRetries: 0 },
  emr: {
    enabled: false,
    releaseLabel: "emr-7.9.0",
    primaryInstanceType: "m7g.xlarge",
    coreInstanceType: "m7g.xlarge",
    minCapacityUnits: 1,
    maxCapacityUnits: 2,
    idleTimeoutMinutes: 30,
    ebsVolumeSizeGb: 32,
  },
  pipeline: {
    schedule: "cron(0 6 ? * MON-FRI *)",
    scheduleTimezone: "UTC",
    scheduleEnabled: false,
    alertEmails: [],
  },
  audit: { trail: "organization" },
  maintenance: {
    snapshotRetentionDays: 1,
    snapshotsToKeep: 5,
    orphanFileMinAgeDays: 3,
    targetFileSizeMb: 64,
    tables: {},
  },
  quality: { maxBadRecordShare: 0.05 },
  rollback: { runTagRetentionDays: 7 },
  logs: { retentionDays: 3 },
  tables: { deletionPolicy: "drop" },
  preview: { pullRequest: 12, expiresAt: "2025-11-30T00:00:00Z" },
  aws: { allowedAccountIds: ["111122223333"] },
};

describe("preview configuration", () => {
  const dev = readStackConfigFile("dev");

  it("derives the whole preview config from dev", () => {
    expect(derivePreviewConfig(dev, identity)).to.deep.equal(EXPECTED_PREVIEW);
  });

  it("turns EMR on only when asked, keeping the smallest sizes", () => {
    const withEmr = derivePreviewConfig(dev, { ...identity, emr: true });
    expect(withEmr).to.deep.equal({ ...EXPECTED_PREVIEW, emr: { ...EXPECTED_PREVIEW.emr, enabled: true } });
  });

  it("gives every pull request its own Glue database", () => {
    expect([previewDatabaseName(1), previewDatabaseName(4321)]).to.deep.equal([
      "ecommerce_lakehouse_pr_1",
      "ecommerce_lakehouse_pr_4321",
    ]);
  });

  it("sets dev's aws: settings and the lakehouse object as the stack config", () => {
    const config = derivePreviewConfig(dev, identity);
    const entries = programSettings(config);
    expect(Object.keys(entries)).to.deep.equal([
      "aws:region",
      "aws:allowedAccountIds",
      "iceberg-lakehouse:lakehouse",
    ]);
    expect(entries["aws:region"]).to.equal("eu-west-1");
    expect(entries["aws:allowedAccountIds"]).to.equal('["111122223333"]');
    // The AWS settings travel as the provider's own keys (aws:region, ...); everything else as one object.
    const lakehouse: Partial<LakehouseConfig> = { ...EXPECTED_PREVIEW };
    delete lakehouse.region;
    delete lakehouse.aws;
    expect(JSON.parse(entries["iceberg-lakehouse:lakehouse"])).to.deep.equal(lakehouse);
  });

  it("is read back by the program's own loader (index.ts) into the same config", async () => {
    // The loader refuses the documentation account id dev ships with (deployment readiness): a real one.
    const ready = { ...dev, aws: { allowedAccountIds: ["210987654321"] } };
    const entries = programSettings(derivePreviewConfig(ready, identity));
    let loaded: LakehouseConfig | undefined;
    // Inside a capture: the runtime then knows the project, as under `pulumi up`.
    await captureResourceGraph({ project: PROJECT_NAME, stack: "pr-12", region: "eu-west-1" }, () => {
      pulumi.runtime.setAllConfig(entries);
      try {
        loaded = loadStackConfig();
      } finally {
        pulumi.runtime.setAllConfig({});
      }
    });
    expect(loaded).to.deep.equal({ ...EXPECTED_PREVIEW, aws: ready.aws });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    [
      "preview block outside preview",
      { environment: "dev", preview: identity },
      '[lakehouse.preview] is only accepted when environment is "preview" (it marks the stack for automatic removal)',
    ],
    [
      "pull request 0",
      { environment: "preview", preview: { ...identity, pullRequest: 0 } },
      "[lakehouse.preview.pullRequest] Number must be greater than or equal to 1",
    ],
    [
      "expiry with an offset",
      { environment: "preview", preview: { ...identity, expiresAt: "2025-11-30T00:00:00+01:00" } },
      '[lakehouse.preview.expiresAt] must be a UTC timestamp such as "2025-01-31T00:00:00Z"',
    ],
    [
      "expiry as a date",
      { environment: "preview", preview: { ...identity, expiresAt: "2025-11-30" } },
      '[lakehouse.preview.expiresAt] must be a UTC timestamp such as "2025-01-31T00:00:00Z"',
    ],
    [
      "unknown preview key",
      { environment: "preview", preview: { ...identity, owner: "me" } },
      "[lakehouse.preview] Unrecognized key(s) in object: 'owner'",
    ],
  ];
  const notOwner = { accountSettings: { owner: false, catalogKey: "alias/iceberg-lakehouse-dev" } };
  for (const [label, override, message] of invalid) {
    it(`refuses ${label}`, () => {
      expect(problemsOf({ region: "eu-west-1", ...notOwner, ...override })).to.deep.equal([message]);
    });
  }

  it("tags a preview's resources with its pull request and expiry, and no other stack's", () => {
    expect(defaultTags(derivePreviewConfig(dev, identity), "pr-12")).to.deep.equal({
      Project: "iceberg-lakehouse",
      Environment: "preview",
      Stack: "pr-12",
      ManagedBy: "pulumi",
      PullRequest: "12",
      ExpiresAt: "2025-11-30T00:00:00Z",
    });
    expect(defaultTags(dev, "dev")).to.deep.equal({
      Project: "iceberg-lakehouse",
      Environment: "dev",
      Stack: "dev",
      ManagedBy: "pulumi",
    });
  });
});

describe("preview stack under mocks", () => {
  let graph: ResourceRecord[];
  before(async () => {
    const config = derivePreviewConfig(readStackConfigFile("dev"), identity);
    graph = await captureStackGraph("pr-12", config);
  });

  it("creates every AWS resource through the one provider that carries the preview tags", () => {
    const [provider, ...others] = ofType(graph, "pulumi:providers:aws");
    expect(others).to.have.length(0);
    // Provider inputs reach the engine JSON-encoded.
    expect(JSON.parse(provider.inputs.defaultTags as string)).to.deep.equal({
      tags: defaultTags(EXPECTED_PREVIEW, "pr-12"),
    });
    const aws = graph.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(aws.length).to.be.greaterThan(40);
    expect(aws.filter((r) => providerUrnOf(r) !== provider.urn).map((r) => r.name)).to.deep.equal([]);
  });

  it("leaves out what a preview must not own or pay for: account settings, trail, EMR, schedule", () => {
    const types = new Set(graph.map((r) => r.type));
    for (const type of [
      "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
      "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration",
      "aws:cloudtrail/trail:Trail",
      "aws:emr/cluster:Cluster",
    ]) {
      expect(types.has(type), type).to.equal(false);
    }
    const schedules = ofType(graph, "aws:scheduler/schedule:Schedule").map((r) => r.inputs.state);
    expect(schedules).to.deep.equal(["DISABLED"]);
  });

  it("makes every bucket removable with its objects and never retained", () => {
    const buckets = ofType(graph, "aws:s3/bucket:Bucket").map((r) => [
      r.name,
      r.inputs.forceDestroy,
      r.retainOnDelete,
    ]);
    expect(buckets).to.deep.equal([
      ["lakehouse-access-logs", true, false],
      ["lakehouse-data", true, false],
      ["lakehouse-artifacts", true, false],
    ]);
  });

  it("caps Athena at 10 MB per query and uses the pull request's database", () => {
    const [workgroup] = ofType(graph, "aws:athena/workgroup:Workgroup");
    const configuration = workgroup.inputs.configuration as Record<string, unknown>;
    expect(configuration.bytesScannedCutoffPerQuery).to.equal(10485760);
    expect(ofType(graph, "aws:glue/catalogDatabase:CatalogDatabase").map((r) => r.inputs.name)).to.deep.equal(
      ["ecommerce_lakehouse_pr_12"],
    );
  });
});
