import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { DEFAULTS } from "../config/defaults";
import { committedStacks, listStacks, readStackConfigFile, stackConfigValues } from "../config/load";
import { parseLakehouseConfig, StackConfigError } from "../config/stack-config";
import { problemsOf } from "./helpers/config-problems";

const minimal = { environment: "dev", region: "eu-west-1" };

/** Runs `check` on a throwaway project folder holding an empty `Pulumi.<stack>.yaml` per stack. */
function inProjectWithStacks(stacks: readonly string[], check: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
  try {
    for (const stack of stacks) {
      fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
    }
    check(dir);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
}

describe("stack configuration", () => {
  it("finds the dev and prod stack files", () => {
    // Preview stacks (Pulumi.pr-<n>.yaml) come and go with `npm run pr-env`; the committed stacks are these.
    expect(committedStacks()).to.deep.equal(["dev", "prod"]);
  });

  it("leaves out only the preview tool's pr-<n> stacks from the committed stacks", () => {
    inProjectWithStacks(["dev", "prod", "pr-12", "pr-7", "pr-feature", "pr-", "preprod"], (dir) => {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\n");
      expect(listStacks(dir)).to.deep.equal(["dev", "pr-", "pr-12", "pr-7", "pr-feature", "preprod", "prod"]);
      expect(committedStacks(dir)).to.deep.equal(["dev", "pr-", "pr-feature", "preprod", "prod"]);
    });
  });

  it("fills every default from DEFAULTS for a minimal config", () => {
    const { environment, region, aws, ...defaulted } = parseLakehouseConfig(minimal);
    expect([environment, region, aws]).to.deep.equal(["dev", "eu-west-1", {}]);
    expect(defaulted).to.deep.equal(DEFAULTS);
  });

  it("reads Pulumi.dev.yaml and Pulumi.prod.yaml with different settings", () => {
    const dev = readStackConfigFile("dev");
    const prod = readStackConfigFile("prod");
    expect([dev.environment, prod.environment]).to.deep.equal(["dev", "prod"]);
    expect([dev.protect, prod.protect]).to.deep.equal([false, true]);
    expect([dev.emr.enabled, prod.emr.enabled]).to.deep.equal([false, true]);
    expect([dev.glue.workerType, prod.glue.workerType]).to.deep.equal(["G.1X", "G.2X"]);
    expect([dev.glue.numberOfWorkers, prod.glue.numberOfWorkers]).to.deep.equal([2, 10]);
    expect([dev.network.natGateways, prod.network.natGateways]).to.deep.equal(["Single", "OnePerAz"]);
    expect([dev.athena.bytesScannedCutoffPerQuery, prod.athena.bytesScannedCutoffPerQuery]).to.deep.equal([
      1073741824, 107374182400,
    ]);
    expect([dev.pipeline.scheduleEnabled, prod.pipeline.scheduleEnabled]).to.deep.equal([false, true]);
    expect([dev.maintenance.snapshotRetentionDays, prod.maintenance.snapshotRetentionDays]).to.deep.equal([
      3, 7,
    ]);
    expect([dev.kms.deletionWindowDays, prod.kms.deletionWindowDays]).to.deep.equal([7, 30]);
    expect([dev.catalog.databaseName, prod.catalog.databaseName]).to.deep.equal([
      "ecommerce_lakehouse_dev",
      "ecommerce_lakehouse",
    ]);
  });

  it("folds aws:region and the other aws: keys into the lakehouse values of a stack file", () => {
    const values = stackConfigValues({
      config: {
        "aws:region": "us-east-2",
        "aws:profile": "deploy",
        "aws:allowedAccountIds": ["210987654321"],
        "other:key": 1,
        "iceberg-lakehouse:lakehouse": { environment: "prod" },
      },
    });
    expect(values).to.deep.equal({
      environment: "prod",
      region: "us-east-2",
      aws: { profile: "deploy", allowedAccountIds: ["210987654321"] },
    });
  });

  it("reads each committed stack's aws: settings and account settings", () => {
    const [dev, prod] = [readStackConfigFile("dev"), readStackConfigFile("prod")];
    expect([dev.aws, prod.aws]).to.deep.equal([
      { allowedAccountIds: ["111122223333"] },
      { allowedAccountIds: ["444455556666"] },
    ]);
    expect([dev.accountSettings, prod.accountSettings]).to.deep.equal([{ owner: true }, { owner: true }]);
  });

  it("names a missing stack file and the stacks that exist", () => {
    // A folder of its own: a local `npm run pr-env` may have left Pulumi.pr-<n>.yaml in the project.
    inProjectWithStacks(["dev", "prod", "pr-3"], (dir) => {
      expect(() => readStackConfigFile("staging", dir))
        .to.throw(StackConfigError)
        .with.property("problems")
        .that.deep.equals([
          `[stack] no stack file ${path.join(dir, "Pulumi.staging.yaml")}; stacks here: dev, pr-3, prod`,
        ]);
    });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    [
      "unknown environment",
      { environment: "qa" },
      "[lakehouse.environment] Invalid enum value. Expected 'dev' | 'prod' | 'preview', received 'qa'",
    ],
    [
      "bad region",
      { region: "europe" },
      '[aws:region] must be an AWS region of the aws or aws-us-gov partition, such as "us-east-1"',
    ],
    [
      "a China region",
      { region: "cn-north-1" },
      '[aws:region] must be an AWS region of the aws or aws-us-gov partition, such as "us-east-1"',
    ],
    ["missing region", { region: undefined }, "[aws:region] Required"],
    ["typo in a key", { glue: { workers: 3 } }, "[lakehouse.glue] Unrecognized key(s) in object: 'workers'"],
    [
      "Glue worker type",
      { glue: { workerType: "G.025X" } },
      "[lakehouse.glue.workerType] Invalid enum value. Expected 'G.1X' | 'G.2X' | 'G.4X' | 'G.8X', received 'G.025X'",
    ],
    [
      "one Glue worker",
      { glue: { numberOfWorkers: 1 } },
      "[lakehouse.glue.numberOfWorkers] Number must be greater than or equal to 2",
    ],
    [
      "fractional timeout",
      { glue: { timeoutMinutes: 1.5 } },
      "[lakehouse.glue.timeoutMinutes] Expected integer, received float",
    ],
    [
      "string instead of number",
      { glue: { maxRetries: "2" } },
      "[lakehouse.glue.maxRetries] Expected number, received string",
    ],
    [
      "orphan age under 3 days",
      { maintenance: { orphanFileMinAgeDays: 1 } },
      "[lakehouse.maintenance.orphanFileMinAgeDays] must be >= 3: younger orphan files can belong to writes in flight",
    ],
    [
      "Athena cutoff under 10 MB",
      { athena: { bytesScannedCutoffPerQuery: 1000 } },
      "[lakehouse.athena.bytesScannedCutoffPerQuery] must be >= 10485760 (10 MB, Athena's minimum)",
    ],
    [
      "log retention not accepted by CloudWatch",
      { logs: { retentionDays: 10 } },
      "[lakehouse.logs.retentionDays] must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (CloudWatch Logs retention values)",
    ],
    [
      "EMR release with another Iceberg",
      { emr: { releaseLabel: "emr-7.12.0" } },
      "[lakehouse.emr.releaseLabel] Invalid enum value. Expected 'emr-7.7.0' | 'emr-7.8.0' | 'emr-7.9.0', received 'emr-7.12.0'",
    ],
    [
      "EMR max below min",
      { emr: { minCapacityUnits: 4, maxCapacityUnits: 2 } },
      "[lakehouse.emr.maxCapacityUnits] must be >= emr.minCapacityUnits",
    ],
    [
      "schedule that is not an expression",
      { pipeline: { schedule: "daily" } },
      '[lakehouse.pipeline.schedule] must be an EventBridge Scheduler expression: "cron(...)" or "rate(N unit)"',
    ],
    [
      "alert address",
      { pipeline: { alertEmails: ["ops"] } },
      "[lakehouse.pipeline.alertEmails.0] must be an email address",
    ],
    [
      "KMS window over 30",
      { kms: { deletionWindowDays: 31 } },
      "[lakehouse.kms.deletionWindowDays] Number must be less than or equal to 30",
    ],
    [
      "IA transition before 30 days",
      { storage: { rawInfrequentAccessAfterDays: 10 } },
      "[lakehouse.storage.rawInfrequentAccessAfterDays] Number must be greater than or equal to 30",
    ],
    [
      "forceDestroy outside preview",
      { storage: { forceDestroy: true } },
      '[lakehouse.storage.forceDestroy] true is only accepted when environment is "preview" (it deletes every object with the bucket)',
    ],
    [
      "database name",
      { catalog: { databaseName: "Ecommerce-Lakehouse" } },
      "[lakehouse.catalog.databaseName] must be lowercase letters, digits and underscores (<= 128, first a letter)",
    ],
    [
      "NAT strategy None",
      { network: { natGateways: "None" } },
      "[lakehouse.network.natGateways] Invalid enum value. Expected 'Single' | 'OnePerAz', received 'None'",
    ],
    [
      "CIDR",
      { network: { cidrBlock: "10.0.0.0/8" } },
      "[lakehouse.network.cidrBlock] must be an IPv4 CIDR with a prefix from /16 to /24",
    ],
    [
      "bad-record share over 1",
      { quality: { maxBadRecordShare: 1.5 } },
      "[lakehouse.quality.maxBadRecordShare] Number must be less than or equal to 1",
    ],
  ];
  for (const [label, override, message] of invalid) {
    it(`refuses ${label}`, () => {
      expect(problemsOf({ ...minimal, ...override })).to.deep.equal([message]);
    });
  }

  it("reports every problem at once, one per line", () => {
    expect(() =>
      parseLakehouseConfig({ environment: "qa", region: "eu-west-1", glue: { numberOfWorkers: 0 } }),
    ).to.throw(
      "Invalid stack configuration:\n" +
        "  - [lakehouse.environment] Invalid enum value. Expected 'dev' | 'prod' | 'preview', received 'qa'\n" +
        "  - [lakehouse.glue.numberOfWorkers] Number must be greater than or equal to 2",
    );
  });

  it("accepts forceDestroy in a preview environment", () => {
    const config = parseLakehouseConfig({
      environment: "preview",
      region: "eu-west-1",
      accountSettings: { owner: false, catalogKey: "alias/iceberg-lakehouse-dev" },
      storage: { forceDestroy: true },
    });
    expect(config.storage.forceDestroy).to.equal(true);
  });
});
