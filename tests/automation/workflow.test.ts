import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
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
const usingAction = (action: string) => steps.find((s) => s.uses?.split("@")[0] === action);
const STICKY_COMMENT = "marocchino/sticky-pull-request-comment@5770ad5eb8f42dd2c4f34da00c94c5381e49af88";
const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));

/** How a step runs the tool: directly, or through scripts/pr-env-step.sh (exit code and error as outputs). */
const TOOL_CALLS = ["npm run --silent pr-env -- ", "bash scripts/pr-env-step.sh "];

/** The tool arguments of the one step that runs `<command>`, with the step's variables filled in. */
function toolStep(command: string): { step: Step; argv: string[] } {
  const found = steps.filter((s) =>
    TOOL_CALLS.some((call) => (s.run ?? "").startsWith(`${call}${command} `)),
  );
  expect(found, command).to.have.length(1);
  const call = TOOL_CALLS.find((c) => found[0].run!.startsWith(c))!;
  const argv = found[0]
    .run!.trim()
    .slice(call.length)
    .replace("$PR_NUMBER", "12")
    .replace("$PREVIEW_TTL", workflow.env.PREVIEW_TTL)
    .split(/\s+/)
    .map((word) => word.replace(/^"|"$/g, ""));
  return { step: found[0], argv };
}

describe("preview workflow (.github/workflows/preview.yml)", () => {
  it("pins every action by full commit SHA, the version in a comment", () => {
    const lines = text.split("\n").filter((line) => /^\s*(- )?uses: /.test(line));
    expect(lines.map((line) => line.trim().replace(/^- /, ""))).to.deep.equal([
      "uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
      "uses: ./.github/actions/node-deps",
      "uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0",
      "uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3",
      "uses: pulumi/auth-actions@141415910c3beb54e03b48e9057c204c97b956f2 # v2.1.0",
      ...Array.from({ length: 4 }, () => `uses: ${STICKY_COMMENT} # v3.0.5`),
    ]);
  });

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
    const aws = usingAction("aws-actions/configure-aws-credentials")!;
    expect(Object.keys(aws.with!).sort()).to.deep.equal([
      "aws-region",
      "role-session-name",
      "role-to-assume",
    ]);
    const pulumi = usingAction("pulumi/auth-actions")!;
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
    expect(packageJson.scripts["pr-env"]).to.equal("ts-node --transpile-only automation/cli.ts");
    // `npm run preview` would read as `pulumi preview`: the tool is pr-env, preview:<stack> is the CLI's.
    expect(packageJson.scripts.preview).to.equal(undefined);
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
      STICKY_COMMENT,
      { header: "lakehouse-preview", path: path.basename((command as { commentFile: string }).commentFile) },
    ]);
  });

  /** Runs a step's script under bash -e (GitHub's default shell) with a stand-in `npm` failing as the tool does. */
  function runStep(step: Step, toolError: string, exitCode: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-step-"));
    try {
      fs.mkdirSync(path.join(dir, "bin"));
      fs.mkdirSync(path.join(dir, "scripts"));
      fs.copyFileSync(
        path.join(PROJECT_DIR, "scripts", "pr-env-step.sh"),
        path.join(dir, "scripts", "pr-env-step.sh"),
      );
      fs.writeFileSync(
        path.join(dir, "bin", "npm"),
        `#!/bin/sh\necho "$@" > npm-args.txt\necho "pulumi up of pr-12"\nprintf '%s\\n' "$TOOL_ERROR" >&2\nexit ${exitCode}\n`,
        { mode: 0o755 },
      );
      fs.writeFileSync(path.join(dir, "step.sh"), step.run!);
      const run = spawnSync("bash", ["-e", "step.sh"], {
        cwd: dir,
        encoding: "utf8",
        env: {
          PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
          PR_NUMBER: "12",
          PREVIEW_TTL: workflow.env.PREVIEW_TTL,
          GITHUB_OUTPUT: path.join(dir, "github-output"),
          TOOL_ERROR: toolError,
        },
      });
      return {
        status: run.status,
        stdout: run.stdout,
        stderr: run.stderr,
        npmArgs: fs.readFileSync(path.join(dir, "npm-args.txt"), "utf8"),
        outputs: fs.readFileSync(path.join(dir, "github-output"), "utf8"),
      };
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  }

  it("on a failed up, keeps the tool's exit code and its own error message as step outputs", () => {
    const toolError =
      "Mandatory policies stopped pulumi up of pr-12 (resources changed before the violation keep their new state):\n" +
      "  - policy mandatory: iceberg-lakehouse-policies/s3-bucket-sse-kms on lakehouse-data: not SSE-KMS";
    expect(runStep(toolStep("up").step, toolError, 3)).to.deep.equal({
      status: 3,
      stdout: "pulumi up of pr-12\n",
      stderr: `${toolError}\n`,
      npmArgs: "run --silent pr-env -- up --pr 12 --ttl 3d --comment-file preview-comment.md\n",
      outputs: `exit-code=3\nerror<<PR_ENV_ERROR\n${toolError}\nPR_ENV_ERROR\n`,
    });
  });

  it("on a failed destroy, comments the tool's message and that the next scheduled run retries it", () => {
    const { step } = toolStep("destroy");
    const toolError = "pulumi destroy of pr-12 failed: BucketNotEmpty";
    expect(runStep(step, toolError, 1)).to.deep.include({
      status: 1,
      npmArgs: "run --silent pr-env -- destroy --pr 12\n",
      outputs: `exit-code=1\nerror<<PR_ENV_ERROR\n${toolError}\nPR_ENV_ERROR\n`,
    });
    const comment = steps.find((s) => s.name === "Comment that the preview could not be destroyed yet")!;
    expect(comment.if).to.equal(`failure() && steps.${step.id}.outcome == 'failure'`);
    expect(comment.with?.message).to.contain(
      "The stack is marked for destruction: the next scheduled run (gc, nightly at 03:23 UTC) tries again.",
    );
    expect(comment.with?.message).to.contain("${{ steps.destroy.outputs.error }}");
  });

  it("comments the exit code and the tool's own message when up fails (exit 3 may follow changes)", () => {
    const { step } = toolStep("up");
    const failure = steps.find((s) => s.name === "Comment what stopped the preview")!;
    expect(steps.indexOf(failure)).to.equal(steps.indexOf(step) + 2);
    expect(failure.if).to.equal(`failure() && steps.${step.id}.outcome == 'failure'`);
    expect(failure.uses).to.equal(STICKY_COMMENT);
    expect(failure.with).to.deep.equal({
      header: "lakehouse-preview",
      message:
        "### Preview environment `pr-${{ github.event.pull_request.number }}` stopped (exit code ${{ steps.up.outputs.exit-code }})\n" +
        "The preview tool reported (exit codes: automation/README.md):\n" +
        "```text\n" +
        "${{ steps.up.outputs.error }}\n" +
        "```\n" +
        "Details: ${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}\n",
    });
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
    // After gc, even when a destroy failed: the sweep deletes what previews whose stack is gone left.
    const sweep = toolStep("sweep");
    expect(steps.indexOf(sweep.step)).to.equal(steps.indexOf(gc.step) + 1);
    expect(sweep.step.if).to.equal("github.event_name == 'schedule' && !cancelled()");
    expect(parseCommandLine(sweep.argv, PROJECT_DIR)).to.deep.equal({ kind: "sweep", delete: true });
  });

  it("skips pull requests from forks, which get no OIDC token", () => {
    expect(workflow.jobs.preview.if).to.equal(
      "github.event_name == 'schedule' || github.event.pull_request.head.repo.full_name == github.repository",
    );
  });
});
