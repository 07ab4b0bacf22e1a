import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { runCli } from "../../automation/cli";
import { EXPIRES_AT_TAG, PULL_REQUEST_TAG } from "../../automation/context";
import { EXIT_CODES } from "../../cli/exit-codes";
import { openLocalWorkspace } from "../../automation/local-workspace";
import { PROJECT_DIR } from "../../config/load";
import { fakePulumiRoot } from "./fake-pulumi-root";
import { events, fakeContext } from "./fake-workspace";

const FAKE_CLI = path.join(__dirname, "fixtures", "fake-pulumi.js");
const bucket = "aws:s3/bucket:Bucket";

/**
 * The real adapter (LocalWorkspace through the real Automation API) against a scripted `pulumi`:
 * proves which CLI commands and flags the tool's calls become, and that engine events arrive through
 * the Automation API's own event stream.
 */
describe("LocalWorkspace adapter against a scripted Pulumi CLI", () => {
  let dir: string;
  const savedDir = process.env.FAKE_PULUMI_DIR;

  beforeEach(() => {
    dir = fakePulumiRoot(`exec node "${FAKE_CLI}" "$@"`);
    process.env.FAKE_PULUMI_DIR = dir;
  });
  afterEach(() => {
    process.env.FAKE_PULUMI_DIR = savedDir;
    if (savedDir === undefined) {
      delete process.env.FAKE_PULUMI_DIR;
    }
    fs.rmSync(dir, { recursive: true });
  });

  function writeState(state: Record<string, unknown>): void {
    fs.writeFileSync(
      path.join(dir, "state.json"),
      JSON.stringify({ stacks: {}, outputs: {}, scripts: {}, ...state }),
    );
  }
  function state(): {
    stacks: Record<string, { tags: Record<string, string>; config: Record<string, string> }>;
  } {
    return JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8"));
  }
  /**
   * Every CLI invocation but `pulumi version`, the event stream's random port replaced and the
   * `--non-interactive` the Automation API appends to each call left out.
   */
  function cliCalls(): string[] {
    return fs
      .readFileSync(path.join(dir, "calls.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) =>
        (JSON.parse(line) as string[])
          .join(" ")
          .replace(/tcp:\/\/127\.0\.0\.1:\d+/, "tcp://EVENTS")
          .replace(/ --non-interactive$/, ""),
      )
      .filter((call) => call !== "version");
  }
  function context() {
    return fakeContext(undefined as never, {
      openWorkspace: () => openLocalWorkspace({ workDir: PROJECT_DIR, pulumiRoot: dir }),
      checkAwsCredentials: async () => undefined,
    });
  }

  it("up: creates the stack, tags it, sets the config, previews and updates with the policy pack", async () => {
    writeState({
      outputs: { dataBucketName: "lakehouse-data-1a2b", workgroupName: "lakehouse-athena-5e6f" },
      scripts: {
        preview: {
          exitCode: 0,
          events: [events.step("resourcePreEvent", "create", bucket, "lakehouse-data", true)],
        },
        up: {
          exitCode: 0,
          events: [
            events.step("resourcePreEvent", "create", bucket, "lakehouse-data"),
            events.step("resOutputsEvent", "create", bucket, "lakehouse-data"),
          ],
        },
      },
    });
    const ctx = context();
    const code = await runCli(["up", "--pr", "12", "--policy-pack", "/repo/policy"], ctx, (text) =>
      ctx.printed.push(text),
    );
    expect(code).to.equal(EXIT_CODES.ok);
    const config = state().stacks["pr-12"].config;
    expect(cliCalls()).to.deep.equal([
      "whoami --json",
      "stack ls --json",
      "stack select --stack pr-12",
      "stack init pr-12",
      `stack tag set ${PULL_REQUEST_TAG} 12 --stack pr-12`,
      `stack tag set ${EXPIRES_AT_TAG} 2025-11-30T00:00:00Z --stack pr-12`,
      `config set-all --stack pr-12 --plaintext aws:region=eu-west-1 --plaintext aws:allowedAccountIds=["111122223333"] --plaintext iceberg-lakehouse:lakehouse=${config["iceberg-lakehouse:lakehouse"]}`,
      "preview --policy-pack /repo/policy --color never --exec-kind auto.local --event-log tcp://EVENTS --stack pr-12",
      "up --yes --skip-preview --policy-pack /repo/policy --color never --exec-kind auto.local --event-log tcp://EVENTS --stack pr-12",
      "stack output --json --stack pr-12",
      "stack output --json --show-secrets --stack pr-12",
      "stack history --json --show-secrets --page-size 1 --page 1 --stack pr-12",
    ]);
    expect(JSON.parse(config["iceberg-lakehouse:lakehouse"]).preview).to.deep.equal({
      pullRequest: 12,
      expiresAt: "2025-11-30T00:00:00Z",
    });
    expect(ctx.printed.slice(0, 5)).to.deep.equal([
      "pulumi preview of pr-12 with policy packs: /repo/policy",
      "lakehouse-data (aws:s3/bucket:Bucket) create planned",
      "pulumi up of pr-12",
      "lakehouse-data (aws:s3/bucket:Bucket) create started",
      "lakehouse-data (aws:s3/bucket:Bucket) create done",
    ]);
    expect(ctx.printed[6]).to.equal("  data bucket:       lakehouse-data-1a2b");
  });

  it("up: a mandatory violation reported by the engine stops at preview with exit 3", async () => {
    writeState({
      scripts: {
        preview: {
          exitCode: 255,
          events: [events.policy("mandatory", "s3-kms", "lakehouse-data", "use SSE-KMS")],
        },
      },
    });
    const ctx = context();
    const errors: string[] = [];
    const code = await runCli(["up", "--pr", "12", "--policy-pack", "/repo/policy"], ctx, (text) =>
      errors.push(text),
    );
    expect([code, errors]).to.deep.equal([
      EXIT_CODES.refused,
      [
        "Mandatory policies stopped pulumi preview of pr-12 (nothing was changed):\n" +
          "  - policy mandatory: lakehouse-policies/s3-kms on lakehouse-data: use SSE-KMS\n" +
          "Nothing was deployed: stack pr-12 and its config file Pulumi.pr-12.yaml, created by this run, were removed again.",
      ],
    ]);
    expect(cliCalls().some((call) => call.startsWith("up "))).to.equal(false);
  });

  it("destroy: destroys, then removes the stack", async () => {
    writeState({
      stacks: {
        "pr-12": {
          summary: { lastUpdate: "2025-11-25T10:00:00Z" },
          tags: { [PULL_REQUEST_TAG]: "12" },
          config: {},
        },
      },
      scripts: {
        destroy: {
          exitCode: 0,
          events: [events.step("resOutputsEvent", "delete", bucket, "lakehouse-data")],
        },
      },
    });
    const ctx = context();
    expect(await runCli(["destroy", "--pr", "12"], ctx, (text) => ctx.printed.push(text))).to.equal(
      EXIT_CODES.ok,
    );
    expect(cliCalls()).to.deep.equal([
      "whoami --json",
      "stack ls --json",
      "stack tag ls --json --stack pr-12",
      "stack select --stack pr-12",
      // Read without --show-secrets: the secrets provider's needs are checked before anything decrypts.
      "stack export --stack pr-12",
      "stack tag set lakehouse:preview-destroy-requested 2025-11-26T10:00:00.000Z --stack pr-12",
      "destroy --yes --skip-preview --color never --event-log tcp://EVENTS --exec-kind auto.local --stack pr-12",
      "stack history --json --show-secrets --page-size 1 --page 1 --stack pr-12",
      "stack rm --yes pr-12",
    ]);
    expect(state().stacks).to.deep.equal({});
    expect(ctx.printed).to.deep.equal([
      "pulumi destroy of pr-12",
      "lakehouse-data (aws:s3/bucket:Bucket) delete done",
      "destroyed pr-12 and removed the stack",
    ]);
  });
});
