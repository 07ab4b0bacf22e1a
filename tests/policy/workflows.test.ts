import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_PREVIEW_TTL } from "../../automation/durations";
import { committedStacks, PROJECT_DIR } from "../../config/load";
import { parseStacksCommandLine } from "../../stacks/cli";

/**
 * The CI the project ships for its users: parsed as YAML, its key structure asserted (it is not run
 * here). preview.yml's own steps are asserted in tests/automation/workflow.test.ts.
 */

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  strategy?: { matrix?: { stack?: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const text = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
const read = <T>(file: string): T => parseYaml(text(file)) as T;
const actionOf = (uses: string | undefined) => uses?.split("@")[0];
const stepUsing = (job: Job, action: string) => job.steps.filter((s) => actionOf(s.uses) === action);
const OIDC = { contents: "read", "id-token": "write" };
const FILES = [
  ".github/workflows/pull-request.yml",
  ".github/workflows/deploy.yml",
  ".github/workflows/preview.yml",
  ".github/actions/node-deps/action.yml",
];

/**
 * Every `uses:` line of the CI files: a local action, or an action pinned to a full commit SHA with a
 * comment naming the version that SHA is (the form Dependabot updates, SHA and comment together).
 */
function usesLines(): { file: string; line: string }[] {
  return FILES.flatMap((file) =>
    text(file)
      .split("\n")
      .filter((line) => /^\s*(- )?uses: /.test(line))
      .map((line) => ({ file, line: line.trim().replace(/^- /, "") })),
  );
}
/** The pulumi/actions step that runs a command (the other one only installs the CLI). */
const pulumiCommandStep = (job: Job) =>
  stepUsing(job, "pulumi/actions").find((s) => s.with?.command !== undefined);

/**
 * The stacks step of a job: right after the CLI install and right before the Pulumi command, its
 * command line read by the command's own parser with the step's variables filled in.
 */
function stacksStep(job: Job, values: Record<string, string>) {
  const index = job.steps.findIndex((s) => s.name === "Create or select the stack (npm run stacks)");
  const step = job.steps[index];
  expect([actionOf(job.steps[index - 1].uses), job.steps[index - 1].with]).to.deep.equal([
    "pulumi/actions",
    { "pulumi-version": "${{ env.PULUMI_VERSION }}" },
  ]);
  expect(job.steps[index + 1]).to.equal(pulumiCommandStep(job));
  const words = step.run!.replace(/^npm run --silent stacks -- /, "").split(" ");
  const argv = words.map((word) => word.replace(/^"\$(\w+)"$/, (_, name: string) => values[name]));
  return { step, command: parseStacksCommandLine(argv, committedStacks()) };
}

const PINNED = /^uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/;

describe("CI workflows for users (.github)", () => {
  const pr = read<Workflow>(".github/workflows/pull-request.yml");
  const deploy = read<Workflow>(".github/workflows/deploy.yml");
  const preview = read<Workflow>(".github/workflows/preview.yml");
  const workflows = { "pull-request.yml": pr, "deploy.yml": deploy, "preview.yml": preview };
  const allJobs = Object.entries(workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs).map(([id, job]) => ({ where: `${file} ${id}`, job })),
  );

  it("pins the CLI to the SDK's version", () => {
    const root = JSON.parse(text("package.json"));
    const pulumiVersion = root.dependencies["@pulumi/pulumi"];
    for (const workflow of [pr, deploy]) {
      expect(workflow.env).to.deep.equal({ PULUMI_VERSION: pulumiVersion });
    }
    expect(preview.env).to.deep.equal({ PREVIEW_TTL: DEFAULT_PREVIEW_TTL, PULUMI_VERSION: pulumiVersion });
    const cliSteps = allJobs.flatMap(({ where, job }) =>
      stepUsing(job, "pulumi/actions").map((s) => [where, s.with?.["pulumi-version"]]),
    );
    expect(cliSteps).to.deep.equal(
      [
        "pull-request.yml preview",
        "pull-request.yml preview",
        "deploy.yml deploy-dev",
        "deploy.yml deploy-dev",
        "deploy.yml deploy-prod",
        "deploy.yml deploy-prod",
        "preview.yml preview",
      ].map((where) => [where, "${{ env.PULUMI_VERSION }}"]),
    );
  });

  it("pins every action by full commit SHA with its version in a comment, one pin per action", () => {
    const lines = usesLines();
    const local = lines.filter(({ line }) => line === "uses: ./.github/actions/node-deps");
    const unpinned = lines.filter(({ line }) => !local.some((l) => l.line === line) && !PINNED.test(line));
    expect(unpinned).to.deep.equal([]);
    const pins = new Map<string, Set<string>>();
    for (const { line } of lines.filter((l) => PINNED.test(l.line))) {
      const [, action, sha, version] = PINNED.exec(line)!;
      pins.set(action, (pins.get(action) ?? new Set()).add(`${sha} ${version}`));
    }
    expect(Object.fromEntries([...pins].map(([action, pinned]) => [action, pinned.size]))).to.deep.equal({
      "actions/checkout": 1,
      "actions/setup-node": 1,
      "actions/upload-artifact": 1,
      "aws-actions/configure-aws-credentials": 1,
      "pulumi/auth-actions": 1,
      "pulumi/actions": 1,
      "marocchino/sticky-pull-request-comment": 1,
    });
    // Each action at its current major (checked against the actions' own tags when pinned).
    expect(
      Object.fromEntries([...pins].map(([action, pinned]) => [action, [...pinned][0].split(" ")[1]])),
    ).to.deep.equal({
      "actions/checkout": "v7.0.1",
      "actions/setup-node": "v7.0.0",
      "actions/upload-artifact": "v7.0.0",
      "aws-actions/configure-aws-credentials": "v6.2.3",
      "pulumi/auth-actions": "v2.1.0",
      "pulumi/actions": "v7.0.0",
      "marocchino/sticky-pull-request-comment": "v3.0.5",
    });
    // The parsed workflows see the same pins (a comment is not part of the value).
    const uses = allJobs.flatMap(({ job }) => job.steps.flatMap((step) => step.uses ?? []));
    expect(uses.filter((u) => !u.startsWith("./") && !/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/.test(u))).to.deep.equal(
      [],
    );
  });

  it("runs Node 22 LTS, as package.json's engines require", () => {
    const action = read<{ runs: { steps: Step[] } }>(".github/actions/node-deps/action.yml");
    expect(action.runs.steps.map((s) => [actionOf(s.uses) ?? s.run, s.with])).to.deep.equal([
      ["actions/setup-node", { "node-version": 22, cache: "npm" }],
      ["npm ci --no-audit --no-fund", undefined],
    ]);
    expect(JSON.parse(text("package.json")).engines).to.deep.equal({ node: ">=22" });
  });

  it("has the update bot keep the actions and the npm packages current", () => {
    const bot = read<{ version: number; updates: Record<string, unknown>[] }>(".github/dependabot.yml");
    expect(bot.version).to.equal(2);
    expect(bot.updates.map((u) => [u["package-ecosystem"], u.directories, u.schedule])).to.deep.equal([
      ["github-actions", ["/", "/.github/actions/node-deps"], { interval: "weekly" }],
      ["npm", ["/", "/policy"], { interval: "weekly" }],
    ]);
  });

  it("installs Node and the lockfile's packages only through the node-deps action, right after checkout", () => {
    for (const { where, job } of allJobs) {
      expect(
        job.steps.slice(0, 2).map((s) => actionOf(s.uses)),
        where,
      ).to.deep.equal(["actions/checkout", "./.github/actions/node-deps"]);
      const installs = job.steps.filter(
        (s) => s.uses?.startsWith("actions/setup-node@") || /\bnpm (ci|install|i)\b/.test(s.run ?? ""),
      );
      expect(installs, where).to.deep.equal([]);
    }
    expect(allJobs.map(({ where }) => where)).to.deep.equal([
      "pull-request.yml offline-policy-check",
      "pull-request.yml preview",
      "deploy.yml offline-policy-check",
      "deploy.yml deploy-dev",
      "deploy.yml deploy-prod",
      "preview.yml preview",
    ]);
  });

  it("pull requests: the offline check on every stack without credentials, then previews with the pack", () => {
    expect(Object.keys(pr.on)).to.deep.equal(["pull_request"]);
    expect(pr.permissions).to.deep.equal({ contents: "read" });
    const offline = pr.jobs["offline-policy-check"];
    expect(offline.strategy?.matrix?.stack).to.deep.equal(committedStacks());
    expect(offline.permissions).to.equal(undefined);
    expect(offline.steps.map((s) => s.run).filter(Boolean)).to.deep.equal([
      "npm run policy:check -- ${{ matrix.stack }}",
    ]);
    expect(stepUsing(offline, "actions/upload-artifact")[0].with?.path).to.equal(
      "build/policy-report-${{ matrix.stack }}.json",
    );

    const preview = pr.jobs.preview;
    expect(preview.needs).to.equal("offline-policy-check");
    expect(preview.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
    expect(preview.strategy?.matrix?.stack).to.deep.equal(committedStacks());
    expect(preview.permissions).to.deep.equal({ ...OIDC, "pull-requests": "write" });
    expect(preview.environment).to.equal("preview-${{ matrix.stack }}");
    expect(stepUsing(preview, "aws-actions/configure-aws-credentials")[0].with?.["role-to-assume"]).to.equal(
      "${{ vars.AWS_ROLE_ARN }}",
    );
    const stacks = stacksStep(preview, { STACK: "prod", PULUMI_ORGANIZATION: "acme" });
    expect(stacks.step.env).to.deep.equal({
      PULUMI_ORGANIZATION: "${{ vars.PULUMI_ORGANIZATION }}",
      STACK: "${{ matrix.stack }}",
    });
    expect(stacks.command).to.deep.equal({ stacks: ["prod"], org: "acme" });
    expect(pulumiCommandStep(preview)?.with).to.deep.include({
      "pulumi-version": "${{ env.PULUMI_VERSION }}",
      command: "preview",
      "stack-name": "${{ vars.PULUMI_ORGANIZATION }}/${{ matrix.stack }}",
      policyPacks: "policy",
    });
    expect(stepUsing(preview, "pulumi/auth-actions")[0].with?.organization).to.equal(
      "${{ vars.PULUMI_ORGANIZATION }}",
    );
  });

  it("main: offline check, then pulumi up of dev, then prod behind the prod environment's approval", () => {
    expect(deploy.on).to.deep.equal({ push: { branches: ["main"] }, workflow_dispatch: null });
    expect(deploy.permissions).to.deep.equal({ contents: "read" });
    expect(deploy.jobs["offline-policy-check"].strategy?.matrix?.stack).to.deep.equal(committedStacks());
    const order = Object.entries(deploy.jobs).map(([id, job]) => [
      id,
      job.needs ?? null,
      job.environment ?? null,
    ]);
    expect(order).to.deep.equal([
      ["offline-policy-check", null, null],
      ["deploy-dev", "offline-policy-check", "dev"],
      ["deploy-prod", "deploy-dev", "prod"],
    ]);
    for (const stack of ["dev", "prod"]) {
      const job = deploy.jobs[`deploy-${stack}`];
      expect(job.permissions, stack).to.deep.equal(OIDC);
      expect(stepUsing(job, "aws-actions/configure-aws-credentials")[0].with?.["role-to-assume"]).to.equal(
        "${{ vars.AWS_ROLE_ARN }}",
      );
      const stacks = stacksStep(job, { PULUMI_ORGANIZATION: "acme" });
      expect(stacks.step.env).to.deep.equal({ PULUMI_ORGANIZATION: "${{ vars.PULUMI_ORGANIZATION }}" });
      expect(stacks.command, stack).to.deep.equal({ stacks: [stack], org: "acme" });
      expect(pulumiCommandStep(job)?.with).to.deep.include({
        "pulumi-version": "${{ env.PULUMI_VERSION }}",
        command: "up",
        "stack-name": `\${{ vars.PULUMI_ORGANIZATION }}/${stack}`,
        policyPacks: "policy",
      });
      expect(stepUsing(job, "pulumi/auth-actions")[0].with?.organization).to.equal(
        "${{ vars.PULUMI_ORGANIZATION }}",
      );
    }
  });

  it("deploys only from main, pushed or dispatched: every job of a run on another ref is skipped", () => {
    expect(Object.entries(deploy.jobs).map(([id, job]) => [id, job.if])).to.deep.equal(
      ["offline-policy-check", "deploy-dev", "deploy-prod"].map((id) => [
        id,
        "github.ref == 'refs/heads/main'",
      ]),
    );
  });

  it("queues deployments per environment: dev never waits behind prod's approval, none is cancelled", () => {
    expect(deploy.concurrency).to.equal(undefined);
    expect(Object.entries(deploy.jobs).map(([id, job]) => [id, job.concurrency ?? null])).to.deep.equal([
      ["offline-policy-check", null],
      ["deploy-dev", { group: "deploy-dev", "cancel-in-progress": false }],
      ["deploy-prod", { group: "deploy-prod", "cancel-in-progress": false }],
    ]);
  });
});
