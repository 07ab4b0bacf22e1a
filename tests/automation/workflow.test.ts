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

/** The tool arguments of the one step that runs `<command>`, with the step's variables filled in. */
function toolStep(command: string): { step: Step; argv: string[] } {
  const found = steps.filter((s) => (s.run ?? "").includes(`npm run --silent pr-env -- ${command} `));
  expect(found, command).to.have.length(1);
  const line = found[0].run!.split("\n").find((l) => l.includes("npm run --silent pr-env -- "))!;
  const argv = line
    .split("npm run --silent pr-env -- ")[1]
    .replace(/ 2> \S+$/, "") // the shell's redirection of the tool's stderr, not a tool argument
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
      ...Array.from({ length: 3 }, () => `uses: ${STICKY_COMMENT} # v3.0.5`),
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

  it("on a failed up, keeps the tool's exit code and its own error message as step outputs", () => {
    const { step } = toolStep("up");
    // The step's script under bash -e (GitHub's default shell), with a stand-in `npm` that fails the
    // way the tool does when a mandatory policy stops `up` part-way.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-step-"));
    try {
      fs.mkdirSync(path.join(dir, "bin"));
      fs.writeFileSync(
        path.join(dir, "bin", "npm"),
        '#!/bin/sh\necho "$@" > npm-args.txt\necho "pulumi up of pr-12"\nprintf \'%s\\n\' "$TOOL_ERROR" >&2\nexit 3\n',
        { mode: 0o755 },
      );
      fs.writeFileSync(path.join(dir, "step.sh"), step.run!);
      const toolError =
        "Mandatory policies stopped pulumi up of pr-12 (resources changed before the violation keep their new state):\n" +
        "  - policy mandatory: iceberg-lakehouse-policies/s3-bucket-sse-kms on lakehouse-data: not SSE-KMS";
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
      expect([run.status, run.stdout, run.stderr]).to.deep.equal([
        3,
        "pulumi up of pr-12\n",
        `${toolError}\n`,
      ]);
      expect(fs.readFileSync(path.join(dir, "npm-args.txt"), "utf8")).to.equal(
        "run --silent pr-env -- up --pr 12 --ttl 3d --comment-file preview-comment.md\n",
      );
      expect(fs.readFileSync(path.join(dir, "github-output"), "utf8")).to.equal(
        `exit-code=3\nerror<<PREVIEW_TOOL_ERROR\n${toolError}\nPREVIEW_TOOL_ERROR\n`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
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
  });

  it("skips pull requests from forks, which get no OIDC token", () => {
    expect(workflow.jobs.preview.if).to.equal(
      "github.event_name == 'schedule' || github.event.pull_request.head.repo.full_name == github.repository",
    );
  });
});
