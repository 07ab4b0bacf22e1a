import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseCommandLine } from "../../automation/cli-args";
import { DEFAULT_PREVIEW_TTL } from "../../automation/durations";
import { PROJECT_DIR } from "../../config/load";

interface Step {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}

const file = path.join(PROJECT_DIR, ".github", "workflows", "preview.yml");
const text = fs.readFileSync(file, "utf8");
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: Record<string, unknown>;
  env: Record<string, string>;
  jobs: Record<string, { if: string; steps: Step[] }>;
};
const steps = workflow.jobs.preview.steps;
const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));

/** The tool arguments of the one step that runs `<command>`, with the step's variables filled in. */
function toolStep(command: string): { step: Step; argv: string[] } {
  const found = steps.filter((s) => (s.run ?? "").includes(`npm run --silent preview -- ${command} `));
  expect(found, command).to.have.length(1);
  const line = found[0].run!.split("\n").find((l) => l.includes("npm run --silent preview -- "))!;
  const argv = line
    .split("npm run --silent preview -- ")[1]
    .replace("$PR_NUMBER", "12")
    .replace("$PREVIEW_TTL", workflow.env.PREVIEW_TTL)
    .split(/\s+/)
    .map((word) => word.replace(/^"|"$/g, ""));
  return { step: found[0], argv };
}

describe("preview workflow (.github/workflows/preview.yml)", () => {
  it("runs on pull request events and nightly", () => {
    expect(workflow.on).to.deep.equal({
      pull_request: { types: ["opened", "synchronize", "reopened", "closed"] },
      schedule: [{ cron: "23 3 * * *" }],
    });
  });

  it("asks for OIDC tokens and stores no long-lived secret", () => {
    expect(workflow.permissions).to.deep.equal({
      contents: "read",
      "id-token": "write",
      "pull-requests": "write",
    });
    expect(text).not.to.contain("secrets.");
    const aws = steps.find((s) => s.uses === "aws-actions/configure-aws-credentials@v4")!;
    expect(Object.keys(aws.with!).sort()).to.deep.equal([
      "aws-region",
      "role-session-name",
      "role-to-assume",
    ]);
    const pulumi = steps.find((s) => s.uses === "pulumi/auth-actions@v1")!;
    expect(pulumi.with!["requested-token-type"]).to.equal("urn:pulumi:token-type:access_token:organization");
  });

  it("never runs two operations on one stack at once, and never cancels one", () => {
    expect(workflow.concurrency).to.deep.equal({
      group: "preview-${{ github.event.pull_request.number || 'gc' }}",
      "cancel-in-progress": false,
    });
  });

  it("installs the CLI matching the SDK, and uses the tool's default time to live", () => {
    expect(workflow.env.PULUMI_VERSION).to.equal(packageJson.dependencies["@pulumi/pulumi"]);
    expect(workflow.env.PREVIEW_TTL).to.equal(DEFAULT_PREVIEW_TTL);
    expect(packageJson.scripts.preview).to.equal("ts-node --transpile-only automation/cli.ts");
  });

  it("deploys on opened/synchronize/reopened, then comments the outputs the tool wrote", () => {
    const { step, argv } = toolStep("up");
    expect(step.if).to.equal("github.event_name == 'pull_request' && github.event.action != 'closed'");
    expect(step.env).to.deep.equal({ PR_NUMBER: "${{ github.event.pull_request.number }}" });
    const command = parseCommandLine(argv, PROJECT_DIR);
    expect(command).to.deep.include({ kind: "up", pullRequest: 12, ttlMs: 3 * 24 * 3_600_000, emr: false });
    const comment = steps[steps.indexOf(step) + 1];
    expect([comment.if, comment.uses, comment.with]).to.deep.equal([
      `steps.${step.id}.outcome == 'success'`,
      "marocchino/sticky-pull-request-comment@v2",
      { header: "lakehouse-preview", path: path.basename((command as { commentFile: string }).commentFile) },
    ]);
  });

  it("tells the pull request when a mandatory policy (exit code 3) stopped the preview", () => {
    const failure = steps.find((s) => s.name === "Comment why the preview was not deployed")!;
    expect(failure.if).to.equal("failure() && steps.up.outcome == 'failure'");
    expect(failure.with!.message).to.contain("steps.up.outputs.exit-code == '3'");
  });

  it("destroys on closed and collects expired previews nightly", () => {
    const destroy = toolStep("destroy");
    expect(destroy.step.if).to.equal(
      "github.event_name == 'pull_request' && github.event.action == 'closed'",
    );
    expect(parseCommandLine(destroy.argv, PROJECT_DIR)).to.deep.equal({ kind: "destroy", pullRequest: 12 });
    const gc = toolStep("gc");
    expect(gc.step.if).to.equal("github.event_name == 'schedule'");
    expect(parseCommandLine(gc.argv, PROJECT_DIR)).to.deep.equal({
      kind: "gc",
      olderThanMs: 3 * 24 * 3_600_000,
      dryRun: false,
    });
  });

  it("skips pull requests from forks, which get no OIDC token", () => {
    expect(workflow.jobs.preview.if).to.equal(
      "github.event_name == 'schedule' || github.event.pull_request.head.repo.full_name == github.repository",
    );
  });
});
