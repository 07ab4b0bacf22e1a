import type { LakehouseOutputs } from "../components/lakehouse";
import type { StackOutput } from "./workspace";

/** What a reviewer needs from a preview: where the data is and how to query it. */
export interface PreviewSummary {
  readonly stack: string;
  readonly pullRequest: number;
  readonly expiresAt: string;
  readonly dataBucket: string;
  readonly artifactsBucket: string;
  readonly workgroup: string;
  readonly database: string;
  /** Saved queries of the workgroup, by name. */
  readonly sampleQueries: Readonly<Record<string, string>>;
}

/** Hidden marker of the pull request comment, so CI updates one comment instead of adding one per push. */
export const COMMENT_MARKER = "<!-- iceberg-lakehouse-preview -->";

/**
 * A stack output, named as the program exports it (index.ts exports `LakehouseOutputs`): renaming an
 * output without updating this file fails to compile.
 */
function outputValue(outputs: Readonly<Record<string, StackOutput>>, key: keyof LakehouseOutputs): unknown {
  const output = outputs[key];
  if (output === undefined) {
    return "(not exported)";
  }
  return output.secret ? "[secret]" : output.value;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function previewSummary(
  identity: { readonly stack: string; readonly pullRequest: number; readonly expiresAt: string },
  outputs: Readonly<Record<string, StackOutput>>,
): PreviewSummary {
  const queries = outputValue(outputs, "exampleQueries");
  return {
    ...identity,
    dataBucket: text(outputValue(outputs, "dataBucketName")),
    artifactsBucket: text(outputValue(outputs, "artifactsBucketName")),
    workgroup: text(outputValue(outputs, "workgroupName")),
    database: text(outputValue(outputs, "databaseName")),
    sampleQueries: typeof queries === "object" && queries !== null ? (queries as Record<string, string>) : {},
  };
}

/** The outputs as the tool prints them at the end of `up`. */
export function renderSummaryText(summary: PreviewSummary): string[] {
  const names = Object.keys(summary.sampleQueries).sort();
  return [
    `Preview environment ${summary.stack} of pull request #${summary.pullRequest} (expires ${summary.expiresAt}):`,
    `  data bucket:       ${summary.dataBucket}`,
    `  artifacts bucket:  ${summary.artifactsBucket}`,
    `  Athena workgroup:  ${summary.workgroup}`,
    `  Glue database:     ${summary.database}`,
    `  sample queries (saved in the workgroup): ${names.length === 0 ? "none" : names.join(", ")}`,
  ];
}

/** The same outputs as a pull request comment (GitHub Markdown). */
export function renderSummaryMarkdown(summary: PreviewSummary): string {
  const queries = Object.keys(summary.sampleQueries)
    .sort()
    .map(
      (name) =>
        `<details><summary><code>${name}</code></summary>\n\n\`\`\`sql\n${summary.sampleQueries[name]}\n\`\`\`\n\n</details>`,
    );
  return [
    COMMENT_MARKER,
    `### Preview environment \`${summary.stack}\``,
    "",
    "Deployed from this pull request. It is destroyed when the pull request closes, or by the nightly gc " +
      `once it has gone without an update for its time to live (by ${summary.expiresAt}).`,
    "",
    "| what | name |",
    "| --- | --- |",
    `| data bucket | \`${summary.dataBucket}\` |`,
    `| artifacts bucket | \`${summary.artifactsBucket}\` |`,
    `| Athena workgroup | \`${summary.workgroup}\` |`,
    `| Glue database | \`${summary.database}\` |`,
    "",
    `Sample queries, saved in the workgroup (run them in the Athena console with workgroup \`${summary.workgroup}\`):`,
    "",
    ...queries,
    "",
  ].join("\n");
}
