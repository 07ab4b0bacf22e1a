import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_PREVIEW_TTL } from "../../automation/durations";
import { committedStacks, PROJECT_DIR } from "../../config/load";

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

const read = <T>(file: string): T => parseYaml(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")) as T;
const stepUsing = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split("@")[0] === action);
const OIDC = { contents: "read", "id-token": "write" };

describe("CI workflows for users (.github)", () => {
  const pr = read<Workflow>(".github/workflows/pull-request.yml");
  const deploy = read<Workflow>(".github/workflows/deploy.yml");
  const preview = read<Workflow>(".github/workflows/preview.yml");
  const workflows = { "pull-request.yml": pr, "deploy.yml": deploy, "preview.yml": preview };
  const allJobs = Object.entries(workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs).map(([id, job]) => ({ where: `${file} ${id}`, job })),
  );

  it("pins every action to a major version or uses the repository's own, and the CLI to the SDK's version", () => {
    const root = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
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
        "deploy.yml deploy-dev",
        "deploy.yml deploy-prod",
        "preview.yml preview",
      ].map((where) => [where, "${{ env.PULUMI_VERSION }}"]),
    );
    const uses = allJobs.flatMap(({ job }) => job.steps.flatMap((s) => s.uses ?? []));
    const action = read<{ runs: { steps: Step[] } }>(".github/actions/node-deps/action.yml");
    expect(
      [...uses, ...action.runs.steps.flatMap((s) => s.uses ?? [])].filter(
        (u) => !/^(\.\/\.github\/actions\/[a-z-]+|[\w-]+\/[\w-]+@v\d+)$/.test(u),
      ),
    ).to.deep.equal([]);
    expect(action.runs.steps.map((s) => s.run ?? s.uses)).to.deep.equal([
      "actions/setup-node@v4",
      "npm ci --no-audit --no-fund",
    ]);
  });

  it("installs Node and the lockfile's packages only through the node-deps action, right after checkout", () => {
    for (const { where, job } of allJobs) {
      expect(
        job.steps.slice(0, 2).map((s) => s.uses),
        where,
      ).to.deep.equal(["actions/checkout@v4", "./.github/actions/node-deps"]);
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
    expect(stepUsing(preview, "pulumi/actions")[0].with).to.deep.include({
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
    expect(deploy.concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
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
      expect(stepUsing(job, "pulumi/actions")[0].with).to.deep.include({
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
});
