import * as path from "path";
import {
  EXPIRES_AT_TAG,
  openReadyWorkspace,
  previewStacks,
  PreviewToolContext,
  PULL_REQUEST_TAG,
  requirePreviewStack,
  runOperation,
} from "./context";
import { previewExpiry } from "./durations";
import { EngineEventLog } from "./engine-events";
import { prerequisiteError } from "./errors";
import { derivePreviewConfig, previewStackConfig } from "./preview-config";
import { PreviewSummary, previewSummary, renderSummaryMarkdown, renderSummaryText } from "./preview-outputs";
import { previewStackName } from "./pull-request";

export interface UpRequest {
  readonly pullRequest: number;
  /** Time to live after this deployment (milliseconds); becomes the `ExpiresAt` tag. */
  readonly ttlMs: number;
  readonly emr: boolean;
  /** Policy pack folders; each must hold a PulumiPolicy.yaml. */
  readonly policyPacks: readonly string[];
  /** Where to write the outputs as a pull request comment (Markdown). @default none */
  readonly commentFile?: string;
}

/** A deployment without a policy pack would skip the checks the pull request is meant to pass. */
export function requirePolicyPacks(context: PreviewToolContext, policyPacks: readonly string[]): void {
  if (policyPacks.length === 0) {
    throw prerequisiteError("[--policy-pack] at least one policy pack is required");
  }
  for (const pack of policyPacks) {
    if (!context.fileExists(path.join(pack, "PulumiPolicy.yaml"))) {
      throw prerequisiteError(
        `[--policy-pack] ${pack} is not a policy pack (no PulumiPolicy.yaml in it); pass the folder of one, ` +
          "e.g. --policy-pack policy",
      );
    }
  }
}

/**
 * Creates or updates the preview environment of a pull request: derive and validate its config, check
 * the prerequisites, then preview with the policy packs (a mandatory violation stops here, before
 * anything changes) and update with them. Prints the outputs; returns them.
 */
export async function upPreview(context: PreviewToolContext, request: UpRequest): Promise<PreviewSummary> {
  const stackName = previewStackName(request.pullRequest);
  const expiresAt = previewExpiry(context.now(), request.ttlMs);
  const config = derivePreviewConfig(context.devConfig(), {
    pullRequest: request.pullRequest,
    expiresAt,
    emr: request.emr,
  });
  requirePolicyPacks(context, request.policyPacks);
  const workspace = await openReadyWorkspace(context, { aws: true });

  const existing = previewStacks(await workspace.listStacks()).find(
    (stack) => stack.pullRequest === request.pullRequest,
  );
  if (existing !== undefined) {
    await requirePreviewStack(workspace, existing.summary.name, request.pullRequest);
  }
  const stack = await workspace.createOrSelectStack(stackName);
  await workspace.setTag(stackName, PULL_REQUEST_TAG, String(request.pullRequest));
  await workspace.setTag(stackName, EXPIRES_AT_TAG, expiresAt);
  await stack.setAllConfig(previewStackConfig(config));

  const log = new EngineEventLog(context.print);
  const options = { onEvent: log.onEvent, color: "never" as const, policyPacks: request.policyPacks };
  context.print(`pulumi preview of ${stackName} with policy packs: ${request.policyPacks.join(", ")}`);
  await runOperation({ command: "preview", stack: stackName }, log, () => stack.preview(options));
  context.print(`pulumi up of ${stackName}`);
  const result = await runOperation({ command: "up", stack: stackName }, log, () => stack.up(options));

  const summary = previewSummary(
    { stack: stackName, pullRequest: request.pullRequest, expiresAt },
    result.outputs,
  );
  for (const line of renderSummaryText(summary)) {
    context.print(line);
  }
  if (request.commentFile !== undefined) {
    context.writeFile(request.commentFile, renderSummaryMarkdown(summary));
  }
  return summary;
}
