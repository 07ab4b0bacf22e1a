import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { awsSdkConnection } from "../../components/aws-sdk-config";
import { renderCreateTable } from "../../components/iceberg-table/athena-ddl";
import { AwsClients, destroyAwsClients } from "../../components/iceberg-table/aws-clients";
import { packageJobs } from "../../components/job-scripts/job-package";
import { uploadPrefix } from "../../components/job-scripts/script-upload-provider";
import { JOBS_SHARED_PACKAGE } from "../../components/lakehouse";
import { LAKEHOUSE_JOBS } from "../../components/job-definitions";
import { parseLakehouseConfig } from "../../config/stack-config";
import { RAW_ORDERS } from "../../tables/seed-tables";
import { writeProfileFiles } from "../helpers/aws-environment";
import { MOTO_ROLES, settingsThroughEndpoint } from "../helpers/aws-settings-fixture";
import { emulatorClients } from "../helpers/emulator-clients";
import { seedLiveTable } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
import { MotoServer, startMoto } from "../helpers/moto-server";
import { SigningRecorder, startSigningRecorder } from "../helpers/signing-recorder";
import { EngineEventRecorder } from "./helpers/engine-events";
import { createEngineSandbox, EngineSandbox, inlineStack, REPO_ROOT } from "./helpers/engine-sandbox";
import { backendFiles, objectsUnder } from "./helpers/emulator-state";
import {
  copyJobSources,
  DataProgramSettings,
  declaredSpec,
  lakehouseDataProgram,
  seedPlacement,
} from "./helpers/lakehouse-data-program";

/*
 * Issue 16 through the real Pulumi engine: the dynamic provider process uses the AWS configuration the
 * stack declares, not the environment's. The stack file's `aws:` settings (a profile in its own shared
 * files, two roles assumed in turn with STS in us-east-1, every endpoint at a recorder in front of moto)
 * go through the same parsing `pulumi up` uses into the tables' and the job upload's `aws` input. The
 * engine's provider host gets an environment whose credentials and endpoint point elsewhere (a dead
 * port), so only the settings can explain a request reaching the recorder signed by the last role.
 * The states then hold the settings (names, ARNs, endpoints) and no credential.
 */

const PROJECT = "lakehouse-aws-settings";
const PROFILE_KEY = "AKIAPROFILEKEY000002";
const PROFILE_SECRET = "profile-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const ENVIRONMENT_KEY = "AKIAENVIRONMENT00002";
const ENVIRONMENT_SECRET = "environment-secret-5a69788796a5b4c3d2e1f00f1e2d3c4b";
const [FIRST_ROLE, SECOND_ROLE] = MOTO_ROLES;

describe("the stack's AWS settings reach the provider process through the real Pulumi engine", function () {
  this.timeout(300000);
  let moto: MotoServer;
  let recorder: SigningRecorder;
  let aws: AwsClients;
  let sandbox: EngineSandbox;
  let settings: DataProgramSettings;
  let stack: Stack;
  const events = new EngineEventRecorder();

  before(async () => {
    moto = await startMoto();
    recorder = await startSigningRecorder(moto.port);
    aws = emulatorClients(moto.endpoint);
    sandbox = await createEngineSandbox({
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_ACCESS_KEY_ID: ENVIRONMENT_KEY,
      AWS_SECRET_ACCESS_KEY: ENVIRONMENT_SECRET,
      LAKEHOUSE_PYTHON: path.join(REPO_ROOT, ".venv", "bin", "python"),
    });
    fs.mkdirSync(path.join(sandbox.root, "aws"));
    const files = writeProfileFiles(path.join(sandbox.root, "aws"), "lakehouse-ci", {
      accessKeyId: PROFILE_KEY,
      secretAccessKey: PROFILE_SECRET,
    });
    // As a stack file writes them, parsed as `pulumi up` parses them.
    const config = parseLakehouseConfig({
      environment: "dev",
      region: "eu-west-1",
      aws: {
        ...settingsThroughEndpoint(recorder.endpoint, "lakehouse-ci", files),
        maxRetries: 4,
      },
    });
    process.env.LAKEHOUSE_PYTHON = path.join(REPO_ROOT, ".venv", "bin", "python");
    settings = {
      tables: [RAW_ORDERS],
      region: "eu-west-1",
      database: "lakehouse_settings",
      workgroup: "lakehouse-settings",
      dataBucket: "lakehouse-settings-data",
      artifactsBucket: "lakehouse-settings-artifacts",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/5f3c1a2b-0d4e-4f6a-8b7c-9d0e1f2a3b4c",
      deletionPolicy: "retain",
      jobsDir: copyJobSources(path.join(sandbox.root, "jobs")),
      buildDir: path.join(sandbox.root, "build", "job-packages"),
      aws: awsSdkConnection(config),
    };
    await seedPlacement(aws, settings);
    stack = await inlineStack(
      sandbox,
      PROJECT,
      "dev",
      lakehouseDataProgram(() => settings),
    );
  });
  after(async () => {
    delete process.env.LAKEHOUSE_PYTHON;
    destroyAwsClients(aws);
    sandbox?.remove();
    await recorder?.close();
    await moto?.stop();
  });

  it("up creates the table and uploads the code at the stack's endpoints, as the last of its roles", async () => {
    const result = await stack.up({ onEvent: events.onEvent, color: "never" });
    expect(result.summary.resourceChanges).to.deep.equal({ create: 5 });
    expect(await recordedSql(aws.athena, settings.workgroup)).to.deep.equal([
      renderCreateTable(declaredSpec(settings, RAW_ORDERS)),
    ]);
    const pkg = await packageJobs({
      jobsDir: settings.jobsDir,
      jobKeys: LAKEHOUSE_JOBS.map((j) => j.key),
      sharedPackage: JOBS_SHARED_PACKAGE,
    });
    expect(Object.keys(await objectsUnder(aws, settings.artifactsBucket, "jobs/")).sort()).to.deep.equal(
      [...pkg.entryScripts, pkg.sharedPackage].map((f) => `${uploadPrefix(pkg.contentHash)}${f.name}`).sort(),
    );

    // Every request came to the stack's endpoint; each chain starts from the profile's key.
    const exchanges = recorder.exchanges;
    const firstRole = exchanges.filter((e) => e.action === "AssumeRole" && e.params.RoleArn === FIRST_ROLE);
    const secondRole = exchanges.filter((e) => e.action === "AssumeRole" && e.params.RoleArn === SECOND_ROLE);
    const firstKeys = firstRole.map((e) => e.issued?.accessKeyId);
    const lastKeys = secondRole.map((e) => e.issued?.accessKeyId);
    expect(firstRole.map((e) => [e.signedBy, e.signedRegion, e.params.RoleSessionName])).to.deep.equal(
      firstRole.map(() => [PROFILE_KEY, "us-east-1", "pulumi-dev"]),
    );
    expect(
      secondRole.map((e) => firstKeys.includes(e.signedBy) && e.signedRegion === "us-east-1"),
    ).to.deep.equal(secondRole.map(() => true));
    // One chain per provider call that reaches AWS (the table's create, the upload's create).
    expect([firstRole.length, secondRole.length]).to.deep.equal([2, 2]);
    const calls = exchanges.filter((e) => e.action !== "AssumeRole");
    expect(
      calls.filter((c) => !lastKeys.includes(c.signedBy) || c.signedRegion !== "eu-west-1"),
    ).to.deep.equal([]);
    const actions = calls.map((c) => c.action);
    expect(actions).to.include.members([
      "AWSGlue.GetTable",
      "AmazonAthena.StartQueryExecution",
      "AmazonAthena.GetQueryExecution",
      `S3 PUT /${settings.artifactsBucket}/${uploadPrefix(pkg.contentHash)}${JOBS_SHARED_PACKAGE}.zip`,
    ]);
  });

  it("the states hold the settings (names, ARNs, endpoints) and no credential", () => {
    const all = Object.values(backendFiles(sandbox.backendDir)).join("\n");
    const issued = recorder.exchanges.flatMap((e) =>
      e.issued === undefined ? [] : [e.issued.secretAccessKey, e.issued.sessionToken],
    );
    expect(issued.length).to.equal(8);
    for (const secret of [PROFILE_SECRET, ENVIRONMENT_SECRET, ...issued]) {
      expect(all.includes(secret), `a state file holds ${secret}`).to.equal(false);
    }
    for (const setting of [FIRST_ROLE, SECOND_ROLE, recorder.endpoint, "lakehouse-ci"]) {
      expect(all.includes(setting), `the state records ${setting}`).to.equal(true);
    }
  });

  it("refresh reads with the connection the state holds; destroy with retain calls nothing", async () => {
    // What Athena's CREATE TABLE left (moto runs no SQL).
    await seedLiveTable(aws, declaredSpec(settings, RAW_ORDERS));
    const before = recorder.exchanges.length;
    const refreshed = await stack.refresh({ onEvent: events.onEvent, color: "never" });
    expect(refreshed.summary.resourceChanges).to.deep.equal({ same: 5 });
    const reads = recorder.exchanges.slice(before);
    const lastKeys = reads
      .filter((e) => e.action === "AssumeRole" && e.params.RoleArn === SECOND_ROLE)
      .map((e) => e.issued?.accessKeyId);
    const calls = reads.filter((e) => e.action !== "AssumeRole");
    expect(calls.map((c) => c.action)).to.include("AWSGlue.GetTable");
    expect(calls.filter((c) => !lastKeys.includes(c.signedBy))).to.deep.equal([]);
    const after = recorder.exchanges.length;
    const result = await stack.destroy({ onEvent: events.onEvent, color: "never" });
    expect(result.summary.resourceChanges).to.deep.equal({ delete: 5 });
    expect(recorder.exchanges.slice(after)).to.deep.equal([]);
    expect(await recordedSql(aws.athena, settings.workgroup)).to.have.length(1);
  });
});
