import type { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { EngineEventLog, formatEngineEvent } from "../../automation/engine-events";
import {
  COMMENT_MARKER,
  previewSummary,
  renderSummaryMarkdown,
  renderSummaryText,
} from "../../automation/preview-outputs";
import { events } from "./fake-workspace";

const bucket = "aws:s3/bucket:Bucket";

describe("engine events, readable", () => {
  const cases: [string, EngineEvent, string | undefined][] = [
    [
      "a planned step",
      events.step("resourcePreEvent", "create", bucket, "lakehouse-data", true),
      "lakehouse-data (aws:s3/bucket:Bucket) create planned",
    ],
    [
      "a started step",
      events.step("resourcePreEvent", "update", bucket, "lakehouse-data"),
      "lakehouse-data (aws:s3/bucket:Bucket) update started",
    ],
    [
      "a finished step",
      events.step("resOutputsEvent", "replace", bucket, "lakehouse-data"),
      "lakehouse-data (aws:s3/bucket:Bucket) replace done",
    ],
    [
      "a failed step",
      events.failed("delete", bucket, "lakehouse-data"),
      "lakehouse-data (aws:s3/bucket:Bucket) delete failed",
    ],
    ["an unchanged resource", events.step("resourcePreEvent", "same", bucket, "lakehouse-data"), undefined],
    [
      "a preview's echo of its plan",
      events.step("resOutputsEvent", "create", bucket, "lakehouse-data", true),
      undefined,
    ],
    [
      "an advisory policy",
      events.policy("warning", "tags", "lakehouse-data", "add a CostCenter tag\n"),
      "policy advisory: lakehouse-policies/tags on lakehouse-data: add a CostCenter tag",
    ],
    [
      "an error diagnostic on a resource",
      {
        sequence: 1,
        timestamp: 0,
        diagnosticEvent: {
          urn: "urn:pulumi:pr-12::iceberg-lakehouse::aws:s3/bucket:Bucket::lakehouse-data",
          message: "creating bucket: AccessDenied\n",
          color: "never",
          severity: "error",
        },
      },
      "error: lakehouse-data: creating bucket: AccessDenied",
    ],
    [
      "program output on stderr",
      {
        sequence: 1,
        timestamp: 0,
        diagnosticEvent: { message: "loading tables\n", color: "never", severity: "info#err" },
      },
      "info: loading tables",
    ],
    [
      "the summary",
      {
        sequence: 1,
        timestamp: 0,
        summaryEvent: {
          maybeCorrupt: false,
          durationSeconds: 42,
          resourceChanges: { same: 50, create: 3 },
          policyPacks: {},
        },
      },
      "summary: create 3, same 50 (42s)",
    ],
    ["a prelude", { sequence: 0, timestamp: 0, preludeEvent: { config: {} } }, undefined],
  ];
  for (const [label, event, line] of cases) {
    it(`renders ${label}`, () => {
      expect(formatEngineEvent(event)).to.equal(line);
    });
  }

  it("streams every line and remembers only mandatory violations", () => {
    const printed: string[] = [];
    const log = new EngineEventLog((line) => printed.push(line));
    log.onEvent(events.policy("warning", "tags", "lakehouse-data", "add a tag"));
    log.onEvent(events.policy("mandatory", "s3-tls", "lakehouse-logs", "deny non-TLS requests"));
    expect(printed).to.have.length(2);
    expect(log.mandatoryViolations).to.deep.equal([
      "policy mandatory: lakehouse-policies/s3-tls on lakehouse-logs: deny non-TLS requests",
    ]);
  });
});

describe("preview outputs", () => {
  const summary = previewSummary(
    { stack: "pr-12", pullRequest: 12, expiresAt: "2025-11-30T00:00:00Z" },
    {
      dataBucketName: { value: "lakehouse-data-1a2b", secret: false },
      artifactsBucketName: { value: "lakehouse-artifacts-3c4d", secret: true },
      workgroupName: { value: "lakehouse-athena-5e6f", secret: false },
      exampleQueries: {
        value: { "daily-revenue": "SELECT metric_date\nFROM agg_daily_metrics" },
        secret: false,
      },
    },
  );

  it("never prints a secret output and names a missing one", () => {
    expect(renderSummaryText(summary)).to.deep.equal([
      "Preview environment pr-12 of pull request #12 (expires 2025-11-30T00:00:00Z):",
      "  data bucket:       lakehouse-data-1a2b",
      "  artifacts bucket:  [secret]",
      "  Athena workgroup:  lakehouse-athena-5e6f",
      "  Glue database:     (not exported)",
      "  sample queries (saved in the workgroup): daily-revenue",
    ]);
  });

  it("renders the pull request comment with its marker and the queries", () => {
    expect(renderSummaryMarkdown(summary)).to.equal(
      [
        COMMENT_MARKER,
        "### Preview environment `pr-12`",
        "",
        "Deployed from this pull request. It is destroyed when the pull request closes, or by the nightly gc " +
          "once it has gone without an update for its time to live (by 2025-11-30T00:00:00Z).",
        "",
        "| what | name |",
        "| --- | --- |",
        "| data bucket | `lakehouse-data-1a2b` |",
        "| artifacts bucket | `[secret]` |",
        "| Athena workgroup | `lakehouse-athena-5e6f` |",
        "| Glue database | `(not exported)` |",
        "",
        "Sample queries, saved in the workgroup (run them in the Athena console with workgroup `lakehouse-athena-5e6f`):",
        "",
        "<details><summary><code>daily-revenue</code></summary>",
        "",
        "```sql",
        "SELECT metric_date",
        "FROM agg_daily_metrics",
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
  });
});
