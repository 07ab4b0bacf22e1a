import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { renderCreateTable } from "../../components/iceberg-table/athena-ddl";
import { AwsClients, destroyAwsClients } from "../../components/iceberg-table/aws-clients";
import { packageJobs } from "../../components/job-scripts/job-package";
import { uploadPrefix } from "../../components/job-scripts/script-upload-provider";
import { JOBS_SHARED_PACKAGE } from "../../components/lakehouse";
import { LAKEHOUSE_JOBS } from "../../components/job-definitions";
import { LAKEHOUSE_TABLES } from "../../tables/seed-tables";
import { TableDefinition } from "../../tables/table-definition";
import { emulatorEnvironment } from "../helpers/aws-environment";
import { emulatorClients } from "../helpers/emulator-clients";
import { seedLiveTable } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
import { MotoServer, startMoto } from "../helpers/moto-server";
import { EngineEventRecorder } from "./helpers/engine-events";
import { createEngineSandbox, EngineSandbox, inlineStack, REPO_ROOT } from "./helpers/engine-sandbox";
import { backendFiles, glueTables, objectsUnder } from "./helpers/emulator-state";
import {
  copyJobSources,
  DataProgramSettings,
  declaredSpec,
  lakehouseDataProgram,
  seedPlacement,
} from "./helpers/lakehouse-data-program";

/*
 * IcebergTable and JobScripts through the real Pulumi engine: an Automation API inline program, the
 * CLI built from its Go module, the dynamic provider host running the providers as serialized into the
 * state, moto serving Glue, Athena and S3 (endpoint and credentials reach the provider process through
 * the environment the Automation API passes). moto records Athena statements but runs none, so after
 * each DDL the test writes the live table as Athena would have left it. One lifecycle, step by step.
 */

const PROJECT = "lakehouse-engine";
const STACK = "dev";
const SECRET_KEY = `engine-test-${randomBytes(12).toString("hex")}`;
const CONFIG_SECRET = `config-secret-${randomBytes(12).toString("hex")}`;
const [EVOLVED, DRIFTED, REFUSED] = LAKEHOUSE_TABLES;
const EVOLVED_WITH_COLUMN: TableDefinition = {
  ...EVOLVED,
  columns: [...EVOLVED.columns, { name: "engine_test_channel", type: "string" }],
};
const UPLOAD = "lakehouse-job-scripts-upload";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/lakehouse:IcebergTable";
const tableResource = (table: TableDefinition) => `lakehouse-${table.name}-table`;
/** Resources: a component and its dynamic resource per table, JobScripts and its upload, the stack. */
const RESOURCE_COUNT = LAKEHOUSE_TABLES.length * 2 + 3;

describe("IcebergTable and JobScripts through the real Pulumi engine (file backend, moto)", function () {
  this.timeout(300000);
  let moto: MotoServer;
  let aws: AwsClients;
  let sandbox: EngineSandbox;
  let stack: Stack;
  let settings: DataProgramSettings;
  const events = new EngineEventRecorder();
  let seenStatements = 0;
  const options = { onEvent: events.onEvent, color: "never" as const };

  /** Statements Athena was asked to run since the last call. */
  async function newStatements(): Promise<string[]> {
    const all = await recordedSql(aws.athena, settings.workgroup);
    const fresh = all.slice(seenStatements);
    seenStatements = all.length;
    return fresh;
  }
  const seedLive = (table: TableDefinition, properties?: Record<string, string>) => {
    const spec = declaredSpec(settings, table);
    return seedLiveTable(aws, { ...spec, properties: properties ?? spec.properties });
  };
  const packaged = () =>
    packageJobs({
      jobsDir: settings.jobsDir,
      jobKeys: LAKEHOUSE_JOBS.map((j) => j.key),
      sharedPackage: JOBS_SHARED_PACKAGE,
    });
  async function stateOf(name: string): Promise<Record<string, unknown>> {
    const { deployment } = await stack.exportStack();
    const resource = (deployment.resources as { urn: string; outputs: Record<string, unknown> }[]).find((r) =>
      r.urn.endsWith(`::${name}`),
    );
    return resource?.outputs ?? {};
  }
  beforeEach(() => events.clear());

  before(async () => {
    moto = await startMoto();
    aws = emulatorClients(moto.endpoint);
    sandbox = await createEngineSandbox({
      ...emulatorEnvironment(moto.endpoint, {
        accessKeyId: "AKIAENGINETEST000001",
        secretAccessKey: SECRET_KEY,
      }),
      LAKEHOUSE_PYTHON: path.join(REPO_ROOT, ".venv", "bin", "python"),
    });
    process.env.LAKEHOUSE_PYTHON = path.join(REPO_ROOT, ".venv", "bin", "python");
    settings = {
      tables: LAKEHOUSE_TABLES,
      region: "eu-west-1",
      database: "lakehouse_engine",
      workgroup: "lakehouse-engine",
      dataBucket: "lakehouse-engine-data",
      artifactsBucket: "lakehouse-engine-artifacts",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/5f3c1a2b-0d4e-4f6a-8b7c-9d0e1f2a3b4c",
      deletionPolicy: "retain",
      jobsDir: copyJobSources(path.join(sandbox.root, "jobs")),
      buildDir: path.join(sandbox.root, "build", "job-packages"),
    };
    await seedPlacement(aws, settings);
    const build = lakehouseDataProgram(() => settings);
    stack = await inlineStack(sandbox, PROJECT, STACK, async () => {
      await build();
      // A secret the state must hold encrypted only.
      return { apiToken: new pulumi.Config().requireSecret("apiToken") };
    });
    await stack.setConfig("apiToken", { value: CONFIG_SECRET, secret: true });
  });
  after(async () => {
    delete process.env.LAKEHOUSE_PYTHON;
    destroyAwsClients(aws);
    sandbox?.remove();
    await moto?.stop();
  });

  it("up creates every declared table with CREATE TABLE and uploads the job package, SSE-KMS", async () => {
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ create: RESOURCE_COUNT });
    expect((await newStatements()).sort()).to.deep.equal(
      LAKEHOUSE_TABLES.map((t) => renderCreateTable(declaredSpec(settings, t))).sort(),
    );
    const pkg = await packaged();
    const prefix = uploadPrefix(pkg.contentHash);
    expect(await objectsUnder(aws, settings.artifactsBucket, "jobs/")).to.deep.equal(
      Object.fromEntries(
        [...pkg.entryScripts, pkg.sharedPackage].map((f) => [
          `${prefix}${f.name}`,
          { sha256: f.sha256, encryption: "aws:kms", kmsKeyId: settings.kmsKeyArn },
        ]),
      ),
    );
    expect(pkg.sharedFiles).not.to.include.members([
      "lakehouse_jobs/local.py",
      "lakehouse_jobs/sample_data.py",
    ]);
    expect(await stateOf(UPLOAD)).to.include({ contentHash: pkg.contentHash, prefix });
  });

  it("a second up after the live tables match runs nothing", async () => {
    for (const table of LAKEHOUSE_TABLES) {
      await seedLive(table);
    }
    const result = await stack.up({ ...options, refresh: true });
    expect(result.summary.resourceChanges).to.deep.equal({ same: RESOURCE_COUNT });
    expect(await newStatements()).to.deep.equal([]);
  });

  it("preview of an evolved declaration reports an update, never a replace, with the plan text", async () => {
    settings = {
      ...settings,
      tables: LAKEHOUSE_TABLES.map((t) => (t === EVOLVED ? EVOLVED_WITH_COLUMN : t)),
    };
    const result = await stack.preview(options);
    expect(result.changeSummary).to.deep.equal({ update: 1, same: RESOURCE_COUNT - 1 });
    expect(events.dynamicSteps().filter((step) => !step.startsWith("same "))).to.deep.equal([
      `update ${tableResource(EVOLVED)}`,
    ]);
    const table = `${settings.database}.${EVOLVED.name}`;
    expect(events.providerLines()).to.include.ordered.members([
      `info: [runtime] -- ${table}: 1 statement, in this order (metadata only, no data file is rewritten)`,
      "-- 1. add columns engine_test_channel",
      `ALTER TABLE \`${settings.database}\`.\`${EVOLVED.name}\` ADD COLUMNS (\`engine_test_channel\` string);`,
    ]);
    expect(await newStatements()).to.deep.equal([]);
  });

  it("a refused change fails preview with the refusal and changes nothing", async () => {
    const before = await glueTables(aws, settings.database);
    const moved = { ...REFUSED, prefix: `${REFUSED.prefix}v2/` };
    const evolvedTables = settings.tables;
    settings = { ...settings, tables: evolvedTables.map((t) => (t === REFUSED ? moved : t)) };
    try {
      const message = await stack.preview(options).then(
        () => "no error",
        (e: Error) => e.message,
      );

      const from = `s3://${settings.dataBucket}/${REFUSED.prefix}`;
      expect(message).to.match(/^code: 255|Command failed with exit code 1/m);
      // Refused by the provider's check, so the engine names the property and its new value.
      expect(events.resourceErrors()).to.deep.equal([
        `${tableResource(REFUSED)}: ${DYNAMIC_TYPE} resource '${tableResource(REFUSED)}': property location value {${from}v2/} has a problem: ` +
          `IcebergTable "${REFUSED.name}" [location] refused, nothing was run: ${from} -> ${from}v2/: Athena cannot move a table (no SET LOCATION) and a replacement would leave the data behind; declare a new table instead`,
      ]);
    } finally {
      settings = { ...settings, tables: evolvedTables };
    }
    expect(await newStatements()).to.deep.equal([]);
    expect(await glueTables(aws, settings.database)).to.deep.equal(before);
  });

  it("up applies the change in place with the planned ALTER; once the live table matches, up runs nothing", async () => {
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ update: 1, same: RESOURCE_COUNT - 1 });
    expect(await newStatements()).to.deep.equal([
      `ALTER TABLE \`${settings.database}\`.\`${EVOLVED.name}\` ADD COLUMNS (\`engine_test_channel\` string)`,
    ]);
    await seedLive(EVOLVED_WITH_COLUMN);
    const again = await stack.up({ ...options, refresh: true });
    expect(again.summary.resourceChanges).to.deep.equal({ same: RESOURCE_COUNT });
    expect(await newStatements()).to.deep.equal([]);
  });

  it("refresh reports drift made behind the stack's back, and up plans it back", async () => {
    const declared = declaredSpec(settings, DRIFTED).properties;
    expect(declared.format).to.equal("parquet");
    await seedLive(DRIFTED, { ...declared, format: "orc" });
    const result = await stack.refresh(options);
    expect(result.summary.resourceChanges).to.deep.equal({ update: 1, same: RESOURCE_COUNT - 1 });
    const drift = ["would run: set properties format"];
    const table = `${settings.database}.${DRIFTED.name}`;
    expect(events.providerLines()).to.include(
      `warning: [runtime] IcebergTable ${table}: drift: the live table differs from the declaration; ${drift[0]}`,
    );
    expect(await stateOf(tableResource(DRIFTED))).to.deep.include({
      drift,
      properties: { ...declared, format: "orc" },
    });
    await stack.up(options);
    expect(await newStatements()).to.deep.equal([
      `ALTER TABLE \`${settings.database}\`.\`${DRIFTED.name}\` SET TBLPROPERTIES ('format'='parquet')`,
    ]);
    await seedLive(DRIFTED);
  });

  it("a changed job file is uploaded under a new prefix; the old version stays for running jobs", async () => {
    const before = await packaged();
    fs.appendFileSync(path.join(settings.jobsDir, "lakehouse_jobs", "bronze.py"), "\n# engine test change\n");
    const after = await packaged();
    const preview = await stack.preview(options);
    expect(preview.changeSummary).to.deep.equal({ update: 1, same: RESOURCE_COUNT - 1 });
    expect(events.dynamicSteps().filter((step) => !step.startsWith("same "))).to.deep.equal([
      `update ${UPLOAD}`,
    ]);
    await stack.up(options);
    const objects = await objectsUnder(aws, settings.artifactsBucket, "jobs/");
    expect(Object.keys(objects).sort()).to.deep.equal(
      [before, after]
        .flatMap((pkg) =>
          [...pkg.entryScripts, pkg.sharedPackage].map((f) => `${uploadPrefix(pkg.contentHash)}${f.name}`),
        )
        .sort(),
    );
    expect(await stateOf(UPLOAD)).to.include({ contentHash: after.contentHash });
  });

  it("refresh notices a job object deleted behind the stack's back, and the next up uploads it again", async () => {
    const pkg = await packaged();
    const key = `${uploadPrefix(pkg.contentHash)}${LAKEHOUSE_JOBS[0].key}.py`;
    await aws.s3.send(new DeleteObjectCommand({ Bucket: settings.artifactsBucket, Key: key }));
    await stack.refresh(options);
    expect(await stateOf(UPLOAD)).to.include({ contentHash: `drifted:${pkg.contentHash}` });
    const result = await stack.up(options);
    expect(result.summary.resourceChanges).to.deep.equal({ update: 1, same: RESOURCE_COUNT - 1 });
    expect(Object.keys(await objectsUnder(aws, settings.artifactsBucket, key))).to.deep.equal([key]);
  });

  it("destroy with deletionPolicy retain leaves every table and every job object in place", async () => {
    const tables = await glueTables(aws, settings.database);
    const objects = await objectsUnder(aws, settings.artifactsBucket, "jobs/");
    const result = await stack.destroy(options);
    expect(result.summary.resourceChanges).to.deep.equal({ delete: RESOURCE_COUNT });
    expect(await newStatements()).to.deep.equal([]);
    expect(Object.keys(tables).sort()).to.deep.equal(LAKEHOUSE_TABLES.map((t) => t.name).sort());
    expect(await glueTables(aws, settings.database)).to.deep.equal(tables);
    expect(await objectsUnder(aws, settings.artifactsBucket, "jobs/")).to.deep.equal(objects);
    expect(events.providerLines().filter((line) => line.includes('deletionPolicy "retain"'))).to.have.length(
      LAKEHOUSE_TABLES.length,
    );
  });

  it("the state files hold no secret in plain text and no job code", () => {
    const files = backendFiles(sandbox.backendDir);

    const checkpoints = Object.keys(files).filter((name) => name.endsWith(".json"));
    expect(checkpoints.length).to.be.greaterThan(10);
    const all = Object.values(files).join("\n");
    for (const secret of [SECRET_KEY, CONFIG_SECRET, sandbox.passphrase, "AKIAENGINETEST000001"]) {
      expect(all.includes(secret), `a state file holds ${secret}`).to.equal(false);
    }
    // The secret output is there, encrypted by the stack's passphrase secrets provider.
    expect(all).to.match(
      /"apiToken":\s*\{\s*"4dabf18193072939515e22adb298388d":\s*"1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext":\s*"v1:/,
    );
    // Names and hashes of the job code, never its bytes (no base64 blob of a zip or a script).
    expect(all).not.to.match(/[A-Za-z0-9+/]{2000,}/);
    expect(all).not.to.contain("contentBase64");
  });
});
