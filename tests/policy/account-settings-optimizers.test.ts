import { expect } from "chai";
import { ACCOUNT_SETTINGS_TYPE as COMPONENT_TYPE } from "../../components/account-settings";
import { TABLE_OPTIMIZER_TYPES as COMPONENT_OPTIMIZER_TYPES } from "../../components/managed-table-maintenance";
import { MIN_ORPHAN_FILE_AGE_DAYS } from "../../config/defaults";
import { derivePreviewConfig } from "../../automation/preview-config";
import { readStackConfigFile } from "../../config/load";
import { captureStackGraph } from "../../offline/stack-graph";
import { ACCOUNT_SETTINGS_TYPE, accountSettingsSingleOwner } from "../../policy/account-settings";
import { emrBlockPublicAccess } from "../../policy/emr";
import {
  glueTableOptimizerSafetyFloors,
  MIN_ORPHAN_FILE_RETENTION_DAYS,
  TABLE_OPTIMIZER_TYPES,
} from "../../policy/table-optimizers";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const CATALOG_ENCRYPTION = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings";
const EMR_BLOCK = "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration";
const OPTIMIZER = "aws:glue/catalogTableOptimizer:CatalogTableOptimizer";

/** A stack declaring its account settings (as the AccountSettings component's outputs) and setting some. */
function accountStack(owner: boolean | undefined, settings: string[]): FixtureStack {
  const f = new FixtureStack();
  if (owner !== undefined) {
    f.add(ACCOUNT_SETTINGS_TYPE, "account", {}, { custom: false, outputs: { owner } });
  }
  for (const type of settings) {
    f.add(type, `${type.split(":").at(-1)}-${f.records.length}`, {});
  }
  return f;
}

const optimizer = (type: string, configuration: Record<string, unknown>) => {
  const f = new FixtureStack();
  f.add(OPTIMIZER, "orders-optimizer", {
    catalogId: "123456789012",
    databaseName: "lakehouse",
    tableName: "raw_orders",
    type,
    configuration: { roleArn: "arn:aws:iam::123456789012:role/optimizer", enabled: true, ...configuration },
  });
  return f;
};
const orphans = (settings: Record<string, unknown>) =>
  optimizer("orphan_file_deletion", { orphanFileDeletionConfiguration: { icebergConfiguration: settings } });
const retention = (settings: Record<string, unknown>) =>
  optimizer("retention", { retentionConfiguration: { icebergConfiguration: settings } });

describe("policy: account-settings-single-owner", () => {
  it("passes the owner setting each once, and a stack that is not the owner setting neither", async () => {
    expect(
      await violationsOf(
        accountSettingsSingleOwner,
        accountStack(true, [CATALOG_ENCRYPTION, EMR_BLOCK]).records,
      ),
    ).to.deep.equal([]);
    expect(await violationsOf(accountSettingsSingleOwner, accountStack(false, []).records)).to.deep.equal([]);
  });

  it("fails a stack that does not own the settings but sets them, per setting", async () => {
    expect(
      await violationsOf(
        accountSettingsSingleOwner,
        accountStack(false, [CATALOG_ENCRYPTION, EMR_BLOCK]).records,
      ),
    ).to.deep.equal([
      {
        resource: "DataCatalogEncryptionSettings-1",
        message:
          'Data Catalog encryption "DataCatalogEncryptionSettings-1" is set by a stack that does not own the account settings; its owner sets it',
      },
      {
        resource: "BlockPublicAccessConfiguration-2",
        message:
          'EMR block public access "BlockPublicAccessConfiguration-2" is set by a stack that does not own the account settings; its owner sets it',
      },
    ]);
  });

  it("fails an owner that leaves a setting out or sets it twice", async () => {
    expect(
      await violationsOf(
        accountSettingsSingleOwner,
        accountStack(true, [CATALOG_ENCRYPTION, CATALOG_ENCRYPTION]).records,
      ),
    ).to.deep.equal([
      {
        resource: "account",
        message:
          "the stack owns the account settings but sets the Data Catalog encryption 2 times; once is expected",
      },
      {
        resource: "account",
        message:
          "the stack owns the account settings but sets the EMR block public access 0 times; once is expected",
      },
    ]);
  });

  it("fails settings set without a declared owner, and does not apply where there is neither", async () => {
    expect(
      await violationsOf(accountSettingsSingleOwner, accountStack(undefined, [EMR_BLOCK]).records),
    ).to.deep.equal([
      {
        resource: "(stack)",
        message: `the stack declares who owns its account settings 0 times (${ACCOUNT_SETTINGS_TYPE}); once is expected`,
      },
    ]);
    expect(
      await notApplicableOf(accountSettingsSingleOwner, accountStack(undefined, []).records),
    ).to.deep.equal(["(stack): Policy only applies to stacks that declare or set account-wide settings"]);
  });

  it("lets a preview with EMR in dev's account rely on dev's block public access (emr-block-public-access)", async () => {
    const preview = derivePreviewConfig(readStackConfigFile("dev"), {
      pullRequest: 7,
      expiresAt: "2030-01-31T00:00:00Z",
      emr: true,
    });
    const records = await captureStackGraph("pr-7", preview);
    expect(await violationsOf(emrBlockPublicAccess, records)).to.deep.equal([]);
    expect(await violationsOf(accountSettingsSingleOwner, records)).to.deep.equal([]);
    // The same stack declaring itself the owner would have to set it.
    const owner = accountStack(true, []);
    owner.add("aws:emr/cluster:Cluster", "cluster", {});
    expect((await violationsOf(emrBlockPublicAccess, owner.records)).map((v) => v.message)).to.deep.equal([
      "the stack creates EMR clusters but no EMR block public access configuration",
    ]);
  });

  it("keeps its copy of the component's type equal to the program's", () => {
    expect(ACCOUNT_SETTINGS_TYPE).to.equal(COMPONENT_TYPE);
  });
});

describe("policy: glue-table-optimizer-safety-floors", () => {
  const label = (type: string) => `table optimizer "orders-optimizer" (${type} of raw_orders)`;

  it("passes the optimizers ManagedTableMaintenance creates: explicit floors, no orphan location", async () => {
    for (const fixture of [
      optimizer("compaction", { compactionConfiguration: { icebergConfiguration: { strategy: "binpack" } } }),
      retention({ snapshotRetentionPeriodInDays: 1, numberOfSnapshotsToRetain: 1, cleanExpiredFiles: true }),
      orphans({ orphanFileRetentionPeriodInDays: 3 }),
    ]) {
      expect(await violationsOf(glueTableOptimizerSafetyFloors, fixture.records)).to.deep.equal([]);
    }
  });

  it("fails orphan deletion under 3 days, left to AWS's default, or aimed at another folder", async () => {
    const messages = async (settings: Record<string, unknown>) =>
      (await violationsOf(glueTableOptimizerSafetyFloors, orphans(settings).records)).map((v) => v.message);
    expect(await messages({ orphanFileRetentionPeriodInDays: 2 })).to.deep.equal([
      `${label("orphan_file_deletion")} deletes orphan files once they are 2 days old; at least 3 days are required: younger files can belong to writes in flight`,
    ]);
    expect(await messages({})).to.deep.equal([
      `${label("orphan_file_deletion")} leaves orphanFileRetentionPeriodInDays to AWS's default; set it (>= 3)`,
    ]);
    expect(
      await messages({ orphanFileRetentionPeriodInDays: 5, location: "s3://lakehouse-data/" }),
    ).to.deep.equal([
      `${label("orphan_file_deletion")} looks for orphan files in "s3://lakehouse-data/"; leave location unset so only the table's own folder is searched (another folder can hold other tables' files)`,
    ]);
  });

  it("fails snapshot retention that keeps nothing or leaves its floors to AWS's defaults", async () => {
    expect(
      (
        await violationsOf(
          glueTableOptimizerSafetyFloors,
          retention({ snapshotRetentionPeriodInDays: 0 }).records,
        )
      ).map((v) => v.message),
    ).to.deep.equal([
      `${label("retention")} has snapshotRetentionPeriodInDays 0; at least 1 is required`,
      `${label("retention")} leaves numberOfSnapshotsToRetain to AWS's default; set it (>= 1)`,
    ]);
  });

  it("fails an optimizer type it does not know", async () => {
    expect(
      (await violationsOf(glueTableOptimizerSafetyFloors, optimizer("sorting", {}).records)).map(
        (v) => v.message,
      ),
    ).to.deep.equal([
      `${label("sorting")} has type "sorting"; accepted: compaction, retention, orphan_file_deletion`,
    ]);
  });

  it("keeps its floor and optimizer types equal to the program's", () => {
    expect(MIN_ORPHAN_FILE_RETENTION_DAYS).to.equal(MIN_ORPHAN_FILE_AGE_DAYS);
    expect(TABLE_OPTIMIZER_TYPES).to.deep.equal(COMPONENT_OPTIMIZER_TYPES);
  });
});
