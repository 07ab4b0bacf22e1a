import { expect } from "chai";
import { DESTROY_REQUESTED_TAG, EXPIRES_AT_TAG, PULL_REQUEST_TAG } from "../../automation/context";
import { EXIT_CODES, prerequisiteError } from "../../cli/exit-codes";
import { listPreviews } from "../../automation/list";
import { derivePreviewConfig } from "../../automation/preview-config";
import { destroyPreview, gcPreviews, selectExpired } from "../../automation/teardown";
import { upPreview, UpRequest } from "../../automation/up";
import { programSettings, readStackConfigFile } from "../../config/load";
import { events, fakeContext, FakeWorkspace, NOW } from "./fake-workspace";
import { asyncToolError } from "../helpers/tool-errors";

const DAY = 24 * 3_600_000;
const up: UpRequest = { pullRequest: 12, ttlMs: 3 * DAY, emr: false, policyPacks: ["/repo/policy"] };
const ours = (pr: number) => ({ [PULL_REQUEST_TAG]: String(pr), [EXPIRES_AT_TAG]: "2025-11-30T00:00:00Z" });

/** What `up` says after a failure before anything was deployed, on a stack it created. */
const REMOVED_AGAIN =
  "Nothing was deployed: stack pr-12 and its config file Pulumi.pr-12.yaml, created by this run, were removed again.";
/** What `up` says after a failed update. */
const KEPT_AFTER_UP =
  "Stack pr-12 is kept: the failed update may have changed resources. Push a fix to update it, or remove " +
  "everything with: npm run pr-env -- destroy --pr 12";

/** What every command that changes AWS checks first, in this order. */
const CHECKS = ["openWorkspace", "whoAmI", "checkAwsCredentials"];

const OUTPUTS = {
  dataBucketName: { value: "lakehouse-data-1a2b", secret: false },
  artifactsBucketName: { value: "lakehouse-artifacts-3c4d", secret: false },
  workgroupName: { value: "lakehouse-athena-5e6f", secret: false },
  databaseName: { value: "ecommerce_lakehouse_pr_12", secret: false },
  exampleQueries: {
    value: { "daily-revenue": "SELECT 1", "snapshot-history-orders": "SELECT 2" },
    secret: false,
  },
};

/** A mandatory violation as the engine reports it, and as the tool prints it. */
const KMS_VIOLATION = {
  event: events.policy("mandatory", "s3-bucket-kms", "lakehouse-data", "bucket must use SSE-KMS"),
  line: "policy mandatory: lakehouse-policies/s3-bucket-kms on lakehouse-data: bucket must use SSE-KMS",
};

describe("preview up", () => {
  it("checks, tags, configures, previews with the policy packs, then updates with them", async () => {
    const workspace = new FakeWorkspace();
    workspace.outputs = OUTPUTS;
    const context = fakeContext(workspace);
    await upPreview(context, { ...up, commentFile: "/tmp/comment.md" });
    expect(workspace.calls).to.deep.equal([
      ...CHECKS,
      "listStacks",
      "createOrSelectStack pr-12",
      `setTag pr-12 ${PULL_REQUEST_TAG}=12`,
      `setTag pr-12 ${EXPIRES_AT_TAG}=2025-11-30T00:00:00Z`,
      "setAllConfig pr-12",
      "preview pr-12 policyPacks=/repo/policy",
      "up pr-12 policyPacks=/repo/policy",
    ]);
    const expected = derivePreviewConfig(readStackConfigFile("dev"), {
      pullRequest: 12,
      expiresAt: "2025-11-30T00:00:00Z",
    });
    expect(workspace.configs.get("pr-12")).to.deep.equal(programSettings(expected));
    expect(context.printed).to.deep.equal([
      "pulumi preview of pr-12 with policy packs: /repo/policy",
      "pulumi up of pr-12",
      "Preview environment pr-12 of pull request #12 (expires 2025-11-30T00:00:00Z):",
      "  data bucket:       lakehouse-data-1a2b",
      "  artifacts bucket:  lakehouse-artifacts-3c4d",
      "  Athena workgroup:  lakehouse-athena-5e6f",
      "  Glue database:     ecommerce_lakehouse_pr_12",
      "  sample queries (saved in the workgroup): daily-revenue, snapshot-history-orders",
    ]);
    expect([...context.written.keys()]).to.deep.equal(["/tmp/comment.md"]);
  });

  it("updates an existing preview of the same pull request", async () => {
    const workspace = new FakeWorkspace().withStack(
      { name: "pr-12", lastUpdate: "2025-11-25T10:00:00Z" },
      ours(12),
    );
    await upPreview(fakeContext(workspace), up);
    expect(workspace.calls.slice(3, 8)).to.deep.equal([
      "listStacks",
      "listTags pr-12",
      "selectStack pr-12",
      "exportStack pr-12",
      `setTag pr-12 ${PULL_REQUEST_TAG}=12`,
    ]);
  });

  it("stops at preview on a mandatory policy violation: no up, exit 3", async () => {
    const workspace = new FakeWorkspace();
    workspace.preview = {
      events: [
        events.policy("warning", "s3-lifecycle-advisory", "lakehouse-data", "consider intelligent tiering"),
        KMS_VIOLATION.event,
      ],
      error: new Error("code: 255\n stderr: error: preview failed"),
    };
    const context = fakeContext(workspace);
    const error = await asyncToolError(() => upPreview(context, up));
    expect(error.exitCode).to.equal(EXIT_CODES.refused);
    expect(error.message).to.equal(
      "Mandatory policies stopped pulumi preview of pr-12 (nothing was changed):\n" +
        `  - ${KMS_VIOLATION.line}\n` +
        REMOVED_AGAIN,
    );
    expect(workspace.calls.slice(-2)).to.deep.equal([
      "preview pr-12 policyPacks=/repo/policy",
      "removeStack pr-12",
    ]);
    expect(workspace.stacks).to.deep.equal([]);
    expect(context.printed.slice(1)).to.deep.equal([
      "policy advisory: lakehouse-policies/s3-lifecycle-advisory on lakehouse-data: consider intelligent tiering",
      KMS_VIOLATION.line,
    ]);
  });

  it("stops during up on a mandatory violation the preview could not see: exit 3, saying changes stay", async () => {
    const workspace = new FakeWorkspace();
    workspace.outputs = OUTPUTS;
    workspace.up = {
      events: [
        events.step("resOutputsEvent", "create", "aws:s3/bucket:Bucket", "lakehouse-data"),
        KMS_VIOLATION.event,
      ],
      error: new Error("code: 255\n stderr: error: update failed"),
    };
    const context = fakeContext(workspace);
    const error = await asyncToolError(() => upPreview(context, { ...up, commentFile: "/tmp/c.md" }));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.refused,
      "Mandatory policies stopped pulumi up of pr-12 (resources changed before the violation keep their new state):\n" +
        `  - ${KMS_VIOLATION.line}\n` +
        KEPT_AFTER_UP,
    ]);
    expect(workspace.calls.slice(-2)).to.deep.equal([
      "preview pr-12 policyPacks=/repo/policy",
      "up pr-12 policyPacks=/repo/policy",
    ]);
    expect(context.printed).to.deep.equal([
      "pulumi preview of pr-12 with policy packs: /repo/policy",
      "pulumi up of pr-12",
      "lakehouse-data (aws:s3/bucket:Bucket) create done",
      KMS_VIOLATION.line,
    ]);
    expect([...context.written.keys()]).to.deep.equal([]);
  });

  it("reports a failed update with the CLI's error line, exit 1", async () => {
    const workspace = new FakeWorkspace();
    workspace.up = {
      events: [events.failed("create", "aws:s3/bucket:Bucket", "lakehouse-data")],
      error: new Error("code: 255\n stdout: \n stderr: error: update failed\n err?: Error: exit 255"),
    };
    const error = await asyncToolError(() => upPreview(fakeContext(workspace), up));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.failed,
      `pulumi up of pr-12 failed: update failed\n${KEPT_AFTER_UP}`,
    ]);
    expect(workspace.calls).not.to.include("removeStack pr-12");
  });

  it("a failed preview of an earlier run's stack keeps it and says so (exit 1)", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12", resourceCount: 61 }, ours(12));
    workspace.preview = { error: new Error("code: 255\n stderr: error: preview failed") };
    const error = await asyncToolError(() => upPreview(fakeContext(workspace), up));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.failed,
      "pulumi preview of pr-12 failed: preview failed\n" +
        "Nothing was deployed: stack pr-12, from an earlier run, keeps the resources of its last deployment " +
        "(this run updated its tags and its config file Pulumi.pr-12.yaml).",
    ]);
    expect(workspace.calls).not.to.include("removeStack pr-12");
  });

  it("a stack this run created and cannot remove again is named with how to remove it", async () => {
    const workspace = new FakeWorkspace();
    workspace.preview = { error: new Error("code: 255\n stderr: error: preview failed") };
    workspace.removeStackError = new Error("code: 255\n stderr: error: [409] Conflict: stack is locked");
    const error = await asyncToolError(() => upPreview(fakeContext(workspace), up));
    expect(error.message).to.equal(
      "pulumi preview of pr-12 failed: preview failed\n" +
        "Nothing was deployed, but stack pr-12, created by this run, is left behind: removing it failed " +
        "([409] Conflict: stack is locked). It holds no resources; remove it with: pulumi stack rm pr-12 " +
        "(or npm run pr-env -- destroy --pr 12)",
    );
  });

  it("refuses a pr-12 stack it did not create, before changing anything (exit 3)", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12" }, { owner: "someone" });
    const error = await asyncToolError(() => upPreview(fakeContext(workspace), up));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.refused,
      `Stack pr-12 is not the preview environment of pull request #12: its stack tag ${PULL_REQUEST_TAG} is ` +
        "missing. The tool only changes stacks it created; inspect that stack and remove it by hand if nobody needs it.",
    ]);
    expect(workspace.calls).to.deep.equal([...CHECKS, "listStacks", "listTags pr-12"]);
  });

  it("refuses to deploy without a policy pack, before opening the workspace (exit 4)", async () => {
    const workspace = new FakeWorkspace();
    const error = await asyncToolError(() =>
      upPreview(fakeContext(workspace), { ...up, policyPacks: ["/repo/nope"] }),
    );
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      "[--policy-pack] /repo/nope is not a policy pack (no PulumiPolicy.yaml in it); pass the folder of one, e.g. --policy-pack policy",
    ]);
    expect(workspace.calls).to.deep.equal([]);
  });

  it("says how to log in when there is no Pulumi backend login (exit 4)", async () => {
    const workspace = new FakeWorkspace();
    workspace.whoAmIError = new Error(
      "code: 255\n stdout: \n stderr: error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
    );
    const error = await asyncToolError(() => upPreview(fakeContext(workspace), up));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      'No Pulumi backend login ("pulumi whoami" failed: PULUMI_ACCESS_TOKEN must be set for login during ' +
        "non-interactive CLI sessions). Log in first: set PULUMI_ACCESS_TOKEN for Pulumi Cloud (in GitHub " +
        "Actions, pulumi/auth-actions exchanges the job's OIDC token for one), or PULUMI_BACKEND_URL for a " +
        'self-managed backend (e.g. s3://my-state-bucket), or run "pulumi login".',
    ]);
    expect(workspace.calls).to.deep.equal(["openWorkspace", "whoAmI"]);
  });

  it("stops before any stack call when AWS credentials are missing", async () => {
    const workspace = new FakeWorkspace();
    const context = fakeContext(workspace, {
      checkAwsCredentials: async () => {
        throw prerequisiteError("No AWS credentials found (test)");
      },
    });
    const error = await asyncToolError(() => upPreview(context, up));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      "No AWS credentials found (test)",
    ]);
    expect(workspace.calls).to.deep.equal(["openWorkspace", "whoAmI"]);
  });
});

describe("preview destroy", () => {
  it("destroys, then removes the stack", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12" }, ours(12));
    workspace.destroy["pr-12"] = {
      events: [events.step("resourcePreEvent", "delete", "aws:s3/bucket:Bucket", "lakehouse-data")],
    };
    const context = fakeContext(workspace);
    await destroyPreview(context, { pullRequest: 12 });
    expect(workspace.calls).to.deep.equal([
      ...CHECKS,
      "listStacks",
      "listTags pr-12",
      "selectStack pr-12",
      "exportStack pr-12",
      `setTag pr-12 ${DESTROY_REQUESTED_TAG}=2025-11-26T10:00:00.000Z`,
      "destroy pr-12",
      "removeStack pr-12",
    ]);
    expect(context.printed).to.deep.equal([
      "pulumi destroy of pr-12",
      "lakehouse-data (aws:s3/bucket:Bucket) delete started",
      "destroyed pr-12 and removed the stack",
    ]);
  });

  it("keeps the stack when destroy fails (exit 1), so nothing is left untracked", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12" }, ours(12));
    workspace.destroy["pr-12"] = { error: new Error("code: 255\n stderr: error: BucketNotEmpty") };
    const error = await asyncToolError(() => destroyPreview(fakeContext(workspace), { pullRequest: 12 }));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.failed,
      "pulumi destroy of pr-12 failed: BucketNotEmpty",
    ]);
    expect(workspace.calls.at(-1)).to.equal("destroy pr-12");
  });

  it("has nothing to do for a pull request without a stack", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "dev" });
    const context = fakeContext(workspace);
    await destroyPreview(context, { pullRequest: 12 });
    expect(context.printed).to.deep.equal(["no stack pr-12: nothing to destroy"]);
    expect(workspace.calls.at(-1)).to.equal("listStacks");
  });

  it("refuses a stack tagged for another pull request (exit 3)", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12" }, ours(13));
    const error = await asyncToolError(() => destroyPreview(fakeContext(workspace), { pullRequest: 12 }));
    expect(error.exitCode).to.equal(EXIT_CODES.refused);
    expect(error.message).to.contain(`its stack tag ${PULL_REQUEST_TAG} is "13"`);
    expect(workspace.calls).not.to.include("destroy pr-12");
  });
});

describe("preview gc", () => {
  const stacks = [
    { name: "dev", lastUpdate: "2025-01-01T00:00:00Z" },
    { name: "pr-1", lastUpdate: "2025-11-20T10:00:00Z" },
    { name: "pr-2", lastUpdate: "2025-11-23T10:00:00Z" },
    { name: "pr-3", lastUpdate: "2025-11-23T09:59:59Z" },
    { name: "pr-4", lastUpdate: "2025-11-26T09:00:00Z" },
    { name: "pr-5", lastUpdate: "2025-11-01T00:00:00Z", updateInProgress: true },
    { name: "pr-6" },
    { name: "acme/iceberg-lakehouse/pr-7", lastUpdate: "2025-11-02T00:00:00.000Z" },
  ];

  it("selects previews not updated for longer than the time to live; never dev, never a running update", () => {
    expect(selectExpired(stacks, NOW, 3 * DAY)).to.deep.equal({
      expired: [
        { summary: stacks[1], pullRequest: 1, reason: "last updated 6d ago" },
        { summary: stacks[3], pullRequest: 3, reason: "last updated 3d ago" },
        { summary: stacks[7], pullRequest: 7, reason: "last updated 24d ago" },
      ],
      kept: [
        { name: "pr-2", ageMs: 3 * DAY },
        { name: "pr-4", ageMs: 3_600_000 },
      ],
      skipped: [
        { name: "pr-5", reason: "an update is in progress" },
        { name: "pr-6", reason: "the backend reports no last update time" },
      ],
    });
  });

  it("destroys and removes each expired preview; one failure does not stop the others (exit 1)", async () => {
    const workspace = new FakeWorkspace();
    for (const stack of stacks) {
      const pr = Number(/pr-(\d+)$/.exec(stack.name)?.[1]);
      workspace.withStack(stack, Number.isNaN(pr) ? {} : ours(pr));
    }
    workspace.tags.set("pr-3", {});
    workspace.destroy["pr-1"] = { error: new Error("code: 255\n stderr: error: AccessDenied") };
    const context = fakeContext(workspace);
    const error = await asyncToolError(() => gcPreviews(context, { olderThanMs: 3 * DAY, dryRun: false }));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.failed,
      "gc: 1 of 3 expired previews were not destroyed: pr-1",
    ]);
    expect(workspace.calls.slice(4)).to.deep.equal([
      ...["pr-1", "pr-2", "pr-3", "pr-4", "pr-5", "pr-6", "acme/iceberg-lakehouse/pr-7"].map(
        (s) => `listTags ${s}`,
      ),
      "selectStack pr-1",
      "exportStack pr-1",
      "destroy pr-1",
      "selectStack acme/iceberg-lakehouse/pr-7",
      "exportStack acme/iceberg-lakehouse/pr-7",
      "destroy acme/iceberg-lakehouse/pr-7",
      "removeStack acme/iceberg-lakehouse/pr-7",
    ]);
    expect(
      context.printed.filter((line) => /^(keep|skip|destroy|destroyed|failed|would) /.test(line)),
    ).to.deep.equal([
      "keep pr-2: last updated 3d ago",
      "keep pr-4: last updated 1h ago",
      "skip pr-5: an update is in progress",
      "skip pr-6: the backend reports no last update time",
      "destroy pr-1: last updated 6d ago",
      "failed pr-1: pulumi destroy of pr-1 failed: AccessDenied",
      `skip pr-3: Stack pr-3 is not the preview environment of pull request #3: its stack tag ${PULL_REQUEST_TAG} is missing. The tool only changes stacks it created; inspect that stack and remove it by hand if nobody needs it.`,
      "destroy acme/iceberg-lakehouse/pr-7: last updated 24d ago",
      "destroyed acme/iceberg-lakehouse/pr-7 and removed the stack",
    ]);
  });

  it("counts a stack whose tags cannot be read as a failure and goes on", async () => {
    const workspace = new FakeWorkspace().withStack(stacks[1], ours(1)).withStack(stacks[3], ours(3));
    workspace.listTagsErrors["pr-1"] = new Error("code: 255\n stderr: error: [403] Forbidden");
    const context = fakeContext(workspace);
    const error = await asyncToolError(() => gcPreviews(context, { olderThanMs: 3 * DAY, dryRun: false }));
    expect(error.message).to.equal("gc: 1 of 2 expired previews were not destroyed: pr-1");
    expect(context.printed[0]).to.equal("failed pr-1: [403] Forbidden");
    expect(workspace.calls.at(-1)).to.equal("removeStack pr-3");
  });

  it("only reports in a dry run, without needing AWS credentials", async () => {
    const workspace = new FakeWorkspace().withStack(stacks[1], ours(1));
    const context = fakeContext(workspace);
    await gcPreviews(context, { olderThanMs: 3 * DAY, dryRun: true });
    expect(workspace.calls).to.deep.equal(["openWorkspace", "whoAmI", "listStacks", "listTags pr-1"]);
    expect(context.printed).to.deep.equal(["would destroy pr-1: last updated 6d ago"]);
  });
});

describe("preview list", () => {
  it("shows preview stacks with their age and expiry", async () => {
    const workspace = new FakeWorkspace()
      .withStack({ name: "dev", lastUpdate: "2025-11-01T00:00:00Z", resourceCount: 90 })
      .withStack({ name: "pr-12", lastUpdate: "2025-11-24T10:00:00Z", resourceCount: 61 }, ours(12))
      .withStack({ name: "pr-140" });
    const context = fakeContext(workspace);
    await listPreviews(context);
    expect(context.printed).to.deep.equal([
      "STACK   PR    LAST UPDATE           AGE      EXPIRES AT            RESOURCES",
      "pr-12   #12   2025-11-24T10:00:00Z  2d       2025-11-30T00:00:00Z  61",
      "pr-140  #140  never                 unknown  unknown               ?",
    ]);
    expect(workspace.calls).to.deep.equal([
      "openWorkspace",
      "whoAmI",
      "listStacks",
      "listTags pr-12",
      "listTags pr-140",
    ]);
  });

  it("says so when there are none", async () => {
    const context = fakeContext(new FakeWorkspace().withStack({ name: "dev" }));
    await listPreviews(context);
    expect(context.printed).to.deep.equal(["no preview stacks"]);
  });
});
