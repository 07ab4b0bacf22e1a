import { EXPIRES_AT_TAG, openReadyWorkspace, previewStacks, PreviewToolContext, stackAgeMs } from "./context";
import { formatAge } from "./durations";

export interface PreviewListing {
  readonly stack: string;
  readonly pullRequest: number;
  readonly lastUpdate: string;
  /** Time since the last update, e.g. `3d`; `unknown` when the backend gives no time. */
  readonly age: string;
  readonly expiresAt: string;
  readonly resources: string;
}

/** The preview stacks of the project with their age (since the last update) and expiry. */
export async function listPreviews(context: PreviewToolContext): Promise<PreviewListing[]> {
  const { workspace } = await openReadyWorkspace(context, { aws: false });
  const now = context.now();
  const listings: PreviewListing[] = [];
  for (const { summary, pullRequest } of previewStacks(await workspace.listStacks())) {
    const tags = await workspace.listTags(summary.name);
    const ageMs = stackAgeMs(summary, now);
    listings.push({
      stack: summary.name,
      pullRequest,
      lastUpdate: summary.lastUpdate ?? "never",
      age: ageMs === undefined ? "unknown" : formatAge(ageMs),
      expiresAt: tags[EXPIRES_AT_TAG] ?? "unknown",
      resources: summary.resourceCount === undefined ? "?" : String(summary.resourceCount),
    });
  }
  for (const line of renderPreviewTable(listings)) {
    context.print(line);
  }
  return listings;
}

/** A plain-text table, columns padded to their widest cell. */
export function renderPreviewTable(listings: readonly PreviewListing[]): string[] {
  if (listings.length === 0) {
    return ["no preview stacks"];
  }
  const rows = [
    ["STACK", "PR", "LAST UPDATE", "AGE", "EXPIRES AT", "RESOURCES"],
    ...listings.map((l) => [l.stack, `#${l.pullRequest}`, l.lastUpdate, l.age, l.expiresAt, l.resources]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd(),
  );
}
