import { expect } from "chai";
import { DESTROY_REQUESTED_TAG, EXPIRES_AT_TAG, PULL_REQUEST_TAG } from "../../automation/context";
import { STALE_AFTER_MS } from "../../automation/interrupted-run";
import { destroyPreview, gcPreviews } from "../../automation/teardown";
import { upPreview, UpRequest } from "../../automation/up";
import { StackLockedError } from "../../automation/workspace";
import { EXIT_CODES } from "../../cli/exit-codes";
import { asyncToolError } from "../helpers/tool-errors";
import { fakeContext, FakeWorkspace, NOW } from "./fake-workspace";

/*
 * What the preview environment tool does about the operations that go wrong in real use: a self-managed
 * backend without a secrets provider, a run killed mid-update (pending operations, a lock), a destroy
 * that fails (retried by the next gc), a pull request reopened after its destroy was requested.
 */

const DAY = 24 * 3_600_000;
const up: UpRequest = { pullRequest: 12, ttlMs: 3 * DAY, emr: false, policyPacks: ["/repo/policy"] };
const ours = { [PULL_REQUEST_TAG]: "12", [EXPIRES_AT_TAG]: "2025-11-30T00:00:00Z" };
const CHECKS = ["openWorkspace", "whoAmI", "checkAwsCredentials"];
const PASSPHRASE = { PULUMI_CONFIG_PASSPHRASE: "correct horse" };
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

/** A state as `pulumi stack export` gives it: a resource, the secrets provider, pending operations. */
function state(options: { provider?: string; pending?: [string, string][] } = {}) {
  return {
    version: 3,
    deployment: {
      resources: [{ urn: "urn:pulumi:pr-12::iceberg-lakehouse::aws:s3/bucket:Bucket::lakehouse-data" }],
      ...(options.provider === undefined ? {} : { secrets_providers: { type: options.provider, state: {} } }),
      ...(options.pending === undefined
        ? {}
        : {
            pending_operations: options.pending.map(([type, name]) => ({
              type,
              resource: { urn: `urn:pulumi:pr-12::iceberg-lakehouse::aws:s3/bucket:Bucket::${name}` },
            })),
          }),
    },
  };
}

const locked = () =>
  new StackLockedError("error: the stack is currently locked by 1 lock(s). Either wait ...");

describe("preview tool on a self-managed backend: the secrets provider", () => {
  const selfManaged = () => Object.assign(new FakeWorkspace(), { backendUrl: "s3://lakehouse-state" });

  it("refuses to create a stack without a secrets provider or passphrase, before any change (exit 4)", async () => {
    const workspace = selfManaged();
    const error = await asyncToolError(() => upPreview(fakeContext(workspace), up));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      "Stack pr-12: the self-managed backend s3://lakehouse-state has no secrets service. Name a secrets " +
        'provider: --secrets-provider "awskms://alias/<key>?region=<region>" (a KMS key; recommended), or set ' +
        "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase provider. Nothing was changed.",
    ]);
    expect(workspace.calls).to.deep.equal([...CHECKS, "listStacks"]);
  });

  it("creates the stack with the named provider, or with the passphrase one when the passphrase is set", async () => {
    const kms = selfManaged();
    await upPreview(fakeContext(kms), { ...up, secretsProvider: "awskms://alias/previews?region=eu-west-1" });
    expect(kms.calls[4]).to.equal(
      "createOrSelectStack pr-12 --secrets-provider awskms://alias/previews?region=eu-west-1",
    );
    const passphrase = selfManaged();
    await upPreview(fakeContext(passphrase, { env: PASSPHRASE }), up);
    expect(passphrase.calls[4]).to.equal("createOrSelectStack pr-12 --secrets-provider passphrase");
    const named = selfManaged();
    const error = await asyncToolError(() =>
      upPreview(fakeContext(named), { ...up, secretsProvider: "passphrase" }),
    );
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      "Stack pr-12 uses the passphrase secrets provider: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (in CI, a secret of the stack's environment).",
    ]);
  });

  it("on Pulumi Cloud, creates the stack with the service's provider", async () => {
    const workspace = Object.assign(new FakeWorkspace(), { backendUrl: "https://api.pulumi.com" });
    await upPreview(fakeContext(workspace), up);
    expect(workspace.calls[4]).to.equal("createOrSelectStack pr-12");
  });

  it("needs the passphrase of an existing stack whose state records that provider, for up and destroy", async () => {
    for (const run of [
      (w: FakeWorkspace) => upPreview(fakeContext(w), up),
      (w: FakeWorkspace) => destroyPreview(fakeContext(w), { pullRequest: 12 }),
    ]) {
      const workspace = selfManaged().withStack({ name: "pr-12", lastUpdate: ago(DAY) }, ours);
      workspace.states.set("pr-12", state({ provider: "passphrase" }));
      const error = await asyncToolError(() => run(workspace));
      expect(error.exitCode).to.equal(EXIT_CODES.prerequisiteMissing);
      expect(workspace.calls.slice(-2)).to.deep.equal(["selectStack pr-12", "exportStack pr-12"]);
    }
  });
});

describe("preview tool after a killed run: pending operations and locks", () => {
  it("clears a stale run's lock and pending operations, then destroys; names a possibly orphaned create", async () => {
    const workspace = new FakeWorkspace().withStack(
      { name: "pr-12", lastUpdate: ago(STALE_AFTER_MS + 1000) },
      ours,
    );
    workspace.states.set(
      "pr-12",
      state({
        pending: [
          ["creating", "lakehouse-logs"],
          ["updating", "lakehouse-data"],
        ],
      }),
    );
    const context = fakeContext(workspace);
    await destroyPreview(context, { pullRequest: 12 });
    expect(workspace.calls.slice(CHECKS.length + 2)).to.deep.equal([
      "selectStack pr-12",
      "exportStack pr-12",
      `setTag pr-12 ${DESTROY_REQUESTED_TAG}=2025-11-26T10:00:00.000Z`,
      "cancel pr-12",
      "importStack pr-12",
      "destroy pr-12",
      "removeStack pr-12",
    ]);
    expect(context.printed).to.deep.equal([
      "pr-12: ended the lock or update a killed run left (pulumi cancel)",
      "pr-12 has 2 pending operations from an interrupted run: cleared",
      "  interrupted while creating: urn:pulumi:pr-12::iceberg-lakehouse::aws:s3/bucket:Bucket::lakehouse-logs",
      "  interrupted while updating: urn:pulumi:pr-12::iceberg-lakehouse::aws:s3/bucket:Bucket::lakehouse-data",
      "  a resource interrupted while creating may exist in AWS without being in the state: once the stack is " +
        "gone, npm run pr-env -- sweep finds it by its PullRequest and ExpiresAt tags",
      "pulumi destroy of pr-12",
      "destroyed pr-12 and removed the stack",
    ]);
    expect(workspace.states.get("pr-12")?.deployment).not.to.have.property("pending_operations");
  });

  it("leaves a stack alone while a run may still hold it, saying when gc takes over (exit 1)", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12", lastUpdate: ago(30 * 60_000) }, ours);
    workspace.states.set("pr-12", state({ pending: [["creating", "lakehouse-logs"]] }));
    const error = await asyncToolError(() => destroyPreview(fakeContext(workspace), { pullRequest: 12 }));
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.failed,
      "Stack pr-12 has 1 pending operation from an interrupted run, and was last written 30m ago: a run may " +
        "still be working on it, so it was left alone. Once nothing has written to it for 2h, the next scheduled " +
        "run (gc) clears it and destroys the stack. If no run is going: pulumi cancel --stack pr-12, then destroy again.",
    ]);
    expect(workspace.calls.at(-1)).to.equal(`setTag pr-12 ${DESTROY_REQUESTED_TAG}=2025-11-26T10:00:00.000Z`);
  });

  it("ends a stale lock the destroy ran into and destroys again; a fresh lock is left alone", async () => {
    const stale = new FakeWorkspace().withStack({ name: "pr-12", lastUpdate: ago(3 * 3_600_000) }, ours);
    stale.destroy["pr-12"] = [{ error: locked() }, {}];
    await destroyPreview(fakeContext(stale), { pullRequest: 12 });
    expect(stale.calls.slice(-4)).to.deep.equal([
      "destroy pr-12",
      "cancel pr-12",
      "destroy pr-12",
      "removeStack pr-12",
    ]);

    const fresh = new FakeWorkspace().withStack({ name: "pr-12", lastUpdate: ago(5 * 60_000) }, ours);
    fresh.destroy["pr-12"] = [{ error: locked() }];
    const error = await asyncToolError(() => destroyPreview(fakeContext(fresh), { pullRequest: 12 }));
    expect(error.message).to.match(
      /^pulumi destroy of pr-12 failed: Stack pr-12 is locked, and was last written 5m ago: /,
    );
    expect(fresh.calls).not.to.include("cancel pr-12");
  });
});

describe("preview tool: a failed destroy is retried by the next gc", () => {
  it("gc destroys a stack whose destroy was requested, however recently it was updated", async () => {
    const workspace = new FakeWorkspace()
      .withStack(
        { name: "pr-12", lastUpdate: ago(60_000) },
        { ...ours, [DESTROY_REQUESTED_TAG]: "2025-11-26T09:00:00.000Z" },
      )
      .withStack({ name: "pr-13", lastUpdate: ago(60_000) }, { [PULL_REQUEST_TAG]: "13" });
    const context = fakeContext(workspace);
    await gcPreviews(context, { olderThanMs: 3 * DAY, dryRun: false });
    expect(context.printed).to.deep.equal([
      "keep pr-13: last updated 1m ago",
      "destroy pr-12: destroy requested at 2025-11-26T09:00:00.000Z",
      "pulumi destroy of pr-12",
      "destroyed pr-12 and removed the stack",
    ]);
  });

  it("a failed destroy leaves the request on the stack for gc", async () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-12", lastUpdate: ago(60_000) }, ours);
    workspace.destroy["pr-12"] = { error: new Error("code: 255\n stderr: error: BucketNotEmpty") };
    await asyncToolError(() => destroyPreview(fakeContext(workspace), { pullRequest: 12 }));
    expect(workspace.tags.get("pr-12")?.[DESTROY_REQUESTED_TAG]).to.equal("2025-11-26T10:00:00.000Z");
    expect(workspace.stacks.map((s) => s.name)).to.deep.equal(["pr-12"]);
  });

  it("up of a reopened pull request withdraws the request, so gc keeps the stack", async () => {
    const workspace = new FakeWorkspace().withStack(
      { name: "pr-12", lastUpdate: ago(DAY) },
      { ...ours, [DESTROY_REQUESTED_TAG]: "2025-11-26T09:00:00.000Z" },
    );
    await upPreview(fakeContext(workspace), up);
    expect(workspace.calls).to.include(`removeTag pr-12 ${DESTROY_REQUESTED_TAG}`);
    expect(workspace.tags.get("pr-12")).not.to.have.property(DESTROY_REQUESTED_TAG);
  });

  it("refuses a comment file in a folder that does not exist, before opening the workspace (exit 2)", async () => {
    const workspace = new FakeWorkspace();
    const error = await asyncToolError(() =>
      upPreview(fakeContext(workspace), { ...up, commentFile: "/nope/c.md" }),
    );
    expect([error.exitCode, error.message]).to.deep.equal([
      EXIT_CODES.usage,
      "[--comment-file] no such folder: /nope (the file to write is /nope/c.md)",
    ]);
    expect(workspace.calls).to.deep.equal([]);
  });
});
