import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { awsSettingsFromPulumiConfig } from "../../config/aws-settings";
import YAML from "yaml";
import { runCli } from "../../automation/cli";
import * as pulumi from "@pulumi/pulumi";
import {
  DESTROY_REQUESTED_TAG,
  EXPIRES_AT_TAG,
  PreviewToolContext,
  PULL_REQUEST_TAG,
} from "../../automation/context";
import { EXIT_CODES } from "../../cli/exit-codes";
import { openLocalWorkspace } from "../../automation/local-workspace";
import { derivePreviewConfig } from "../../automation/preview-config";
import { PreviewWorkspace } from "../../automation/workspace";
import { programSettings, PROJECT_NAME, readStackConfigFile } from "../../config/load";
import { CONFIG_KEY, parseLakehouseConfig } from "../../config/stack-config";
import { useEnvironment } from "../helpers/aws-environment";
import { createEngineSandbox, EngineSandbox, PULUMI_ROOT, REPO_ROOT } from "./helpers/engine-sandbox";
import { inlineProjectStack, killedUp } from "./helpers/interrupted-run";
import { POLICY_PACK_DIR } from "./helpers/policy-pack-driver";

/*
 * The preview tool's workspace adapter (a LocalWorkspace on a project folder) and its commands against
 * the real Pulumi CLI, for everything that needs no AWS provider: stacks created and selected, tags,
 * config, listing, removal, destroy of a stack without resources, and a failed `up`. The project is
 * this one's Pulumi.yaml in a sandbox folder on a file backend; its program cannot run here (no nodejs
 * language host), so every `up` fails at preview, which is the case the cleanup is for.
 */

const EXPIRES = "2030-01-01T00:00:00Z";

describe("the preview tool against the real Pulumi CLI (file backend, no AWS)", function () {
  this.timeout(120000);
  let sandbox: EngineSandbox;
  let restoreEnvironment: () => void;
  let workspace: PreviewWorkspace;
  let printed: string[];
  let errors: string[];

  const context = (now = () => new Date()): PreviewToolContext => ({
    openWorkspace: () => openLocalWorkspace({ workDir: sandbox.workDir, pulumiRoot: PULUMI_ROOT }),
    devConfig: () => readStackConfigFile("dev"),
    // Nothing here reaches AWS: the program cannot run without the language host.
    checkAwsCredentials: async () => undefined,
    now,
    print: (line) => printed.push(line),
    fileExists: (file) => fs.existsSync(file),
    writeFile: (file, text) => fs.writeFileSync(file, text),
    env: process.env,
    awsSweeper: () => {
      throw new Error("no AWS in this test");
    },
  });
  const run = (...argv: string[]) => runCli(argv, context(), (text) => errors.push(text));
  /** The tool as it runs `hours` from now: what a later scheduled run sees. */
  const runLater = (hours: number, ...argv: string[]) =>
    runCli(
      argv,
      context(() => new Date(Date.now() + hours * 3_600_000)),
      (text) => errors.push(text),
    );
  const stackNames = async () => (await workspace.listStacks()).map((s) => s.name).sort();
  const stackFile = (stack: string) => path.join(sandbox.workDir, `Pulumi.${stack}.yaml`);
  async function previewStackOfAnEarlierRun(pullRequest: number): Promise<void> {
    await workspace.createOrSelectStack(`pr-${pullRequest}`);
    await workspace.setTag(`pr-${pullRequest}`, PULL_REQUEST_TAG, String(pullRequest));
    await workspace.setTag(`pr-${pullRequest}`, EXPIRES_AT_TAG, EXPIRES);
  }

  before(async () => {
    sandbox = await createEngineSandbox();
    fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(sandbox.workDir, "Pulumi.yaml"));
    // The Automation API passes this process's environment to the CLI: the sandbox's backend and home.
    restoreEnvironment = useEnvironment(sandbox.envVars);
    workspace = await openLocalWorkspace({ workDir: sandbox.workDir, pulumiRoot: PULUMI_ROOT });
  });
  after(() => {
    restoreEnvironment?.();
    sandbox?.remove();
  });
  beforeEach(() => {
    printed = [];
    errors = [];
  });
  afterEach(async () => {
    for (const name of await stackNames()) {
      await workspace.removeStack(name);
    }
  });

  it("creates and selects a stack, keeps its tags and config, lists it and removes it with its config file", async () => {
    expect((await workspace.whoAmI()).user)
      .to.be.a("string")
      .and.not.equal("");
    expect(await stackNames()).to.deep.equal([]);
    const stack = await workspace.createOrSelectStack("pr-3");
    await workspace.setTag("pr-3", PULL_REQUEST_TAG, "3");
    await workspace.setTag("pr-3", EXPIRES_AT_TAG, EXPIRES);
    expect(await workspace.listTags("pr-3")).to.deep.equal({
      [PULL_REQUEST_TAG]: "3",
      [EXPIRES_AT_TAG]: EXPIRES,
    });
    const config = derivePreviewConfig(readStackConfigFile("dev"), { pullRequest: 3, expiresAt: EXPIRES });
    await stack.setAllConfig(programSettings(config));
    // Read back as the program reads it: the object under <project>:lakehouse (JSON text), aws:region
    // and dev's other aws: settings.
    const file = YAML.parse(fs.readFileSync(stackFile("pr-3"), "utf8")) as { config: Record<string, string> };
    expect(
      parseLakehouseConfig({
        ...JSON.parse(file.config[`${PROJECT_NAME}:${CONFIG_KEY}`]),
        region: file.config["aws:region"],
        aws: awsSettingsFromPulumiConfig(file.config),
      }),
    ).to.deep.equal(config);
    expect(config.aws).to.deep.equal({ allowedAccountIds: ["111122223333"] });
    expect((await workspace.createOrSelectStack("pr-3")).name).to.equal("pr-3");
    expect((await workspace.selectStack("pr-3")).name).to.equal("pr-3");
    const missing = await workspace.selectStack("pr-30").then(
      () => "selected",
      (e: Error) => e.message,
    );
    expect(missing).to.match(/no stack named 'pr-30' found/);
    expect(await workspace.listStacks()).to.have.deep.members([
      {
        name: "pr-3",
        current: true,
        lastUpdate: (await workspace.listStacks())[0].lastUpdate,
        resourceCount: 0,
      },
    ]);
    await workspace.removeStack("pr-3");
    expect(await stackNames()).to.deep.equal([]);
    expect(fs.existsSync(stackFile("pr-3"))).to.equal(false);
  });

  it("list shows the preview stacks with their pull request, expiry and resources", async () => {
    await previewStackOfAnEarlierRun(4);
    await workspace.createOrSelectStack("dev");
    expect(await run("list")).to.equal(EXIT_CODES.ok);
    expect(printed[0]).to.match(/^STACK\s+PR\s+LAST UPDATE\s+AGE\s+EXPIRES AT\s+RESOURCES$/);
    // One row, dev left out; the backend's last-update time, an age of seconds, the tool's expiry tag.
    const lastUpdate = (await workspace.listStacks()).find((s) => s.name === "pr-4")?.lastUpdate;
    expect(lastUpdate).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(printed).to.have.length(2);
    const [stack, pr, updated, age, expires, resources] = printed[1].split(/\s+/);
    expect([stack, pr, updated, expires, resources]).to.deep.equal(["pr-4", "#4", lastUpdate, EXPIRES, "0"]);
    expect(age).to.match(/^\d+(ms|s|m)$/);
  });

  it("a failed up removes the stack and the config file it created, and says so", async () => {
    expect(await run("up", "--pr", "7", "--policy-pack", POLICY_PACK_DIR)).to.equal(EXIT_CODES.failed);
    expect(errors).to.have.length(1);
    const [cause, note] = errors[0].split("\n");
    expect(cause).to.match(/^pulumi preview of pr-7 failed: /);
    expect(note).to.equal(
      "Nothing was deployed: stack pr-7 and its config file Pulumi.pr-7.yaml, created by this run, were removed again.",
    );
    expect(await stackNames()).to.deep.equal([]);
    expect(fs.existsSync(stackFile("pr-7"))).to.equal(false);
  });

  it("a failed up of an earlier run's preview keeps that stack, and says so", async () => {
    await previewStackOfAnEarlierRun(8);
    expect(await run("up", "--pr", "8", "--policy-pack", POLICY_PACK_DIR)).to.equal(EXIT_CODES.failed);
    expect(errors[0].split("\n")[1]).to.equal(
      "Nothing was deployed: stack pr-8, from an earlier run, keeps the resources of its last deployment " +
        "(this run updated its tags and its config file Pulumi.pr-8.yaml).",
    );
    expect(await stackNames()).to.deep.equal(["pr-8"]);
    expect((await workspace.listTags("pr-8"))[PULL_REQUEST_TAG]).to.equal("8");
  });

  it("destroy --pr destroys a preview stack and removes it", async () => {
    await previewStackOfAnEarlierRun(8);
    expect(await run("destroy", "--pr", "8")).to.equal(EXIT_CODES.ok);
    expect(printed.at(-1)).to.equal("destroyed pr-8 and removed the stack");
    expect(await stackNames()).to.deep.equal([]);
  });

  it("refuses to touch a pr-<n> stack it did not create (exit 3)", async () => {
    await workspace.createOrSelectStack("pr-9");
    expect(await run("destroy", "--pr", "9")).to.equal(EXIT_CODES.refused);
    expect(errors[0]).to.match(/^Stack pr-9 is not the preview environment of pull request #9/);
    expect(await stackNames()).to.deep.equal(["pr-9"]);
  });

  /** The pending operations of a stack's state, by type. */
  async function pendingOperations(stack: string): Promise<string[]> {
    const exported = await (await workspace.selectStack(stack)).exportStack();
    return (exported.deployment.pending_operations ?? []).map((o: { type: string }) => o.type);
  }
  const slowUrn = (stack: string) =>
    `urn:pulumi:${stack}::${PROJECT_NAME}::pulumi-nodejs:dynamic:Resource::slow`;

  it("destroy --pr of a stack a run killed mid-up left locked with a pending create: cleared, then destroyed", async () => {
    const marker = await killedUp(sandbox, PROJECT_NAME, "pr-11");
    await workspace.setTag("pr-11", PULL_REQUEST_TAG, "11");
    expect(await pendingOperations("pr-11")).to.deep.equal(["creating"]);
    // As a run 3 hours later sees it (no run of the workflow lasts that long): the lock is stale.
    expect(await runLater(3, "destroy", "--pr", "11")).to.equal(EXIT_CODES.ok);
    expect(errors).to.deep.equal([]);
    expect(printed.slice(0, 4)).to.deep.equal([
      "pr-11: ended the lock or update a killed run left (pulumi cancel)",
      "pr-11 has 1 pending operation from an interrupted run: cleared",
      `  interrupted while creating: ${slowUrn("pr-11")}`,
      "  a resource interrupted while creating may exist in AWS without being in the state: once the stack is " +
        "gone, npm run pr-env -- sweep finds it by its PullRequest and ExpiresAt tags",
    ]);
    expect(printed.at(-1)).to.equal("destroyed pr-11 and removed the stack");
    expect(fs.readFileSync(`${marker}.deleted`, "utf8")).to.equal("fast\n");
    expect(await stackNames()).to.deep.equal([]);
  });

  it("a destroy --pr refused right after the kill (a run may still hold the lock) is done by the next gc", async () => {
    const marker = await killedUp(sandbox, PROJECT_NAME, "pr-14");
    await workspace.setTag("pr-14", PULL_REQUEST_TAG, "14");
    expect(await run("destroy", "--pr", "14")).to.equal(EXIT_CODES.failed);
    expect(errors[0]).to.match(
      /^Stack pr-14 has 1 pending operation from an interrupted run, and was last written \d+(ms|s|m) ago: a run may still be working on it/,
    );
    expect(await stackNames()).to.deep.equal(["pr-14"]);
    expect(await pendingOperations("pr-14")).to.deep.equal(["creating"]);
    expect((await workspace.listTags("pr-14"))[DESTROY_REQUESTED_TAG]).to.match(/^\d{4}-\d\d-\d\dT/);

    // The next scheduled run, hours later; the stack's time to live (3d) has not passed, the request has.
    printed = [];
    expect(await runLater(3, "gc", "--older-than", "3d")).to.equal(EXIT_CODES.ok);
    expect(printed[0]).to.match(/^destroy pr-14: destroy requested at \d{4}-/);
    expect(printed).to.include(`  interrupted while creating: ${slowUrn("pr-14")}`);
    expect(printed.at(-1)).to.equal("destroyed pr-14 and removed the stack");
    expect(fs.readFileSync(`${marker}.deleted`, "utf8")).to.equal("fast\n");
    expect(await stackNames()).to.deep.equal([]);
  });

  it("an existing preview keeps the secrets provider its state records on a fresh checkout", async () => {
    // Deployed by an earlier run (its Pulumi.pr-12.yaml is not in this checkout), with a secret output.
    const earlier = await inlineProjectStack(sandbox, PROJECT_NAME, "pr-12", async () => ({
      token: pulumi.secret("s3cr3t"),
    }));
    await earlier.up({ color: "never" });
    await workspace.setTag("pr-12", PULL_REQUEST_TAG, "12");
    const recorded = (await (await workspace.selectStack("pr-12")).exportStack()).deployment
      .secrets_providers;
    expect(recorded.type).to.equal("passphrase");
    expect(fs.existsSync(stackFile("pr-12"))).to.equal(false);
    // The program cannot run here, so up fails at preview, after the CLI loaded the stack's secrets provider.
    expect(await run("up", "--pr", "12", "--policy-pack", POLICY_PACK_DIR)).to.equal(EXIT_CODES.failed);
    const file = YAML.parse(fs.readFileSync(stackFile("pr-12"), "utf8")) as { encryptionsalt: string };
    expect(file.encryptionsalt).to.equal(recorded.state.salt);
  });

  it("on a self-managed backend without a passphrase or --secrets-provider, creates no stack (exit 4)", async () => {
    const restore = useEnvironment({ PULUMI_CONFIG_PASSPHRASE: "" });
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
    try {
      expect(await run("up", "--pr", "13", "--policy-pack", POLICY_PACK_DIR)).to.equal(
        EXIT_CODES.prerequisiteMissing,
      );
    } finally {
      restore();
    }
    expect(errors[0]).to.match(/^Stack pr-13: the self-managed backend file:\/\/.* has no secrets service\./);
    expect(await stackNames()).to.deep.equal([]);
  });
});
