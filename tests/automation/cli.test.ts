import { expect } from "chai";
import { parseCommandLine, USAGE } from "../../automation/cli-args";
import { runCli } from "../../automation/cli";
import { EXIT_CODES, prerequisiteError } from "../../cli/exit-codes";
import { parseLakehouseConfig } from "../../config/stack-config";
import { events, fakeContext, FakeWorkspace } from "./fake-workspace";
import { toolErrorMessage } from "../helpers/tool-errors";

const DAY = 24 * 3_600_000;

const usageMessage = (argv: string[]) =>
  toolErrorMessage(EXIT_CODES.usage, () => parseCommandLine(argv, "/repo"));

describe("preview command line", () => {
  it("reads up with its defaults: 3 days to live, no EMR, the project's policy pack", () => {
    expect(parseCommandLine(["up", "--pr", "#12"], "/repo")).to.deep.equal({
      kind: "up",
      pullRequest: 12,
      ttlMs: 3 * DAY,
      emr: false,
      policyPacks: ["/repo/policy"],
    });
  });

  it("reads up with every option", () => {
    expect(
      parseCommandLine(
        [
          "up",
          "--pr=7",
          "--ttl",
          "12h",
          "--emr",
          "--policy-pack",
          "/p/a",
          "--policy-pack",
          "/p/b",
          "--comment-file",
          "/tmp/c.md",
        ],
        "/repo",
      ),
    ).to.deep.equal({
      kind: "up",
      pullRequest: 7,
      ttlMs: 12 * 3_600_000,
      emr: true,
      policyPacks: ["/p/a", "/p/b"],
      commentFile: "/tmp/c.md",
    });
  });

  it("reads destroy, list, gc and help", () => {
    expect(parseCommandLine(["destroy", "--pr", "12"], "/repo")).to.deep.equal({
      kind: "destroy",
      pullRequest: 12,
    });
    expect(parseCommandLine(["list"], "/repo")).to.deep.equal({ kind: "list" });
    expect(parseCommandLine(["gc", "--older-than", "72h", "--dry-run"], "/repo")).to.deep.equal({
      kind: "gc",
      olderThanMs: 3 * DAY,
      dryRun: true,
    });
    expect([parseCommandLine([], "/repo"), parseCommandLine(["--help"], "/repo")]).to.deep.equal([
      { kind: "help" },
      { kind: "help" },
    ]);
  });

  const refused: [string[], string][] = [
    [["deploy"], `[command] unknown command "deploy"; accepted: up, destroy, list, gc, sweep\n\n${USAGE}`],
    [["up"], "[--pr] is required: the pull request number, e.g. --pr 12"],
    [
      ["up", "--pr", "abc"],
      '[--pr] must be a pull request number: a positive integer such as 12 or #12; got "abc"',
    ],
    [["up", "--pr", "12", "--ttl", "10m"], '[--ttl] must be at least 1h; got "10m"'],
    [["destroy", "--pr", "12", "--emr"], "[--emr] is not an option of destroy; destroy takes --pr"],
    [["list", "--pr", "3"], "[--pr] is not an option of list; list takes no options"],
    [["gc"], "[--older-than] is required: how long a preview may go without an update, e.g. 3d"],
    [
      ["gc", "--older-than", "3"],
      '[--older-than] must be a duration with a unit, such as 3d, 72h or 90m; got "3"',
    ],
    [["list", "extra"], `[command] unexpected argument "extra" after "list"\n\n${USAGE}`],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(" ") || "(nothing)"}`, () => {
      expect(usageMessage(argv)).to.equal(message);
    });
  }

  it("refuses an unknown flag with node's own message and the usage", () => {
    expect(usageMessage(["up", "--pull", "12"])).to.equal(
      "Unknown option '--pull'. To specify a positional argument starting with a '-', place it at the end of " +
        `the command after '--', as in '-- "--pull"\n\n${USAGE}`,
    );
  });
});

describe("preview tool exit codes", () => {
  async function run(argv: string[], workspace = new FakeWorkspace(), overrides = {}) {
    const errors: string[] = [];
    const context = fakeContext(workspace, overrides);
    // The fake context's policy pack is /repo/policy; pass it, as CI passes the project's.
    const code = await runCli(argv, context, (text) => errors.push(text));
    return { code, errors, printed: context.printed, calls: workspace.calls };
  }
  const pack = ["--policy-pack", "/repo/policy"];

  it("0 when the preview is up", async () => {
    const result = await run(["up", "--pr", "12", ...pack]);
    expect([result.code, result.errors]).to.deep.equal([EXIT_CODES.ok, []]);
  });

  it("2 for an invalid pull request number, before opening the workspace", async () => {
    const result = await run(["up", "--pr", "0", ...pack]);
    expect(result).to.deep.equal({
      code: EXIT_CODES.usage,
      errors: ['[--pr] must be a pull request number: a positive integer such as 12 or #12; got "0"'],
      printed: [],
      calls: [],
    });
  });

  it("3 when a mandatory policy stops the deployment", async () => {
    const workspace = new FakeWorkspace();
    workspace.preview = {
      events: [events.policy("mandatory", "s3-kms", "lakehouse-data", "use SSE-KMS")],
      error: new Error("preview failed"),
    };
    const result = await run(["up", "--pr", "12", ...pack], workspace);
    expect(result.code).to.equal(EXIT_CODES.refused);
    expect(result.calls).not.to.include("up pr-12 policyPacks=/repo/policy");
  });

  it("2 when dev's stack file is invalid, naming the key", async () => {
    const result = await run(["up", "--pr", "12", ...pack], new FakeWorkspace(), {
      devConfig: () =>
        parseLakehouseConfig({ environment: "dev", region: "eu-west-1", glue: { workers: 3 } }),
    });
    expect([result.code, result.errors, result.calls]).to.deep.equal([
      EXIT_CODES.usage,
      [
        "Invalid stack configuration:\n  - [lakehouse.glue] Unrecognized key(s) in object: 'workers'\nNothing was changed.",
      ],
      [],
    ]);
  });

  it("4 when there is no Pulumi CLI", async () => {
    const result = await run(["list"], new FakeWorkspace(), {
      openWorkspace: async () => {
        throw prerequisiteError("No Pulumi CLI found (test)");
      },
    });
    expect([result.code, result.errors]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      ["No Pulumi CLI found (test)"],
    ]);
  });

  it("1 with the stack trace for an unexpected error", async () => {
    const result = await run(["list"], new FakeWorkspace(), {
      openWorkspace: async () => {
        throw new TypeError("boom");
      },
    });
    expect(result.code).to.equal(EXIT_CODES.failed);
    expect(result.errors[0]).to.match(/^TypeError: boom\n {4}at /);
  });

  it("prints the usage for help", async () => {
    const result = await run(["help"]);
    expect([result.code, result.printed]).to.deep.equal([EXIT_CODES.ok, [USAGE]]);
  });
});
