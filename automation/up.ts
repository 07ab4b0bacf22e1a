import * as path from "path";
import { failedError, prerequisiteError, refusedError, ToolError } from "../cli/exit-codes";
import { cliErrorDetail } from "../cli/pulumi-cli";
import { programSettings } from "../config/load";
import { requireOutputFolder } from "../cli/input-files";
import {
  DESTROY_REQUESTED_TAG,
  EXPIRES_AT_TAG,
  openReadyWorkspace,
  previewRefusal,
  previewStacks,
  PreviewToolContext,
  PULL_REQUEST_TAG,
  runOperation,
} from "./context";
import { previewExpiry } from "./durations";
import { EngineEventLog } from "./engine-events";
import { derivePreviewConfig } from "./preview-config";
import { PreviewSummary, previewSummary, renderSummaryMarkdown, renderSummaryText } from "./preview-outputs";
import { previewStackName } from "./pull-request";
import { newStackSecretsProvider, requireSecretsOfState } from "./secrets";
import type { PreviewStack, PreviewWorkspace } from "./workspace";

export interface UpRequest {
  readonly pullRequest: number;
  /** Time to live after this deployment (milliseconds); becomes the `ExpiresAt` tag. */
  readonly ttlMs: number;
  readonly emr: boolean;
  /** Policy pack folders; each must hold a PulumiPolicy.yaml. */
  readonly policyPacks: readonly string[];
  /** Where to write the outputs as a pull request comment (Markdown). @default none */
  readonly commentFile?: string;
  /** The secrets provider of a new stack (`pulumi stack init --secrets-provider`). @default the backend's */
  readonly secretsProvider?: string;
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
  if (request.commentFile !== undefined) {
    requireOutputFolder("--comment-file", request.commentFile, context.fileExists);
  }
  const { workspace, backendUrl } = await openReadyWorkspace(context, { aws: true });
  const { stack, existing } = await openPreviewStack(context, workspace, request, backendUrl);

  const log = new EngineEventLog(context.print);
  const options = { onEvent: log.onEvent, color: "never" as const, policyPacks: request.policyPacks };
  try {
    await workspace.setTag(stackName, PULL_REQUEST_TAG, String(request.pullRequest));
    await workspace.setTag(stackName, EXPIRES_AT_TAG, expiresAt);
    if (existing?.tags[DESTROY_REQUESTED_TAG] !== undefined) {
      // A reopened pull request: its preview is wanted again, so gc must not destroy it.
      await workspace.removeTag(stackName, DESTROY_REQUESTED_TAG);
    }
    await stack.setAllConfig(programSettings(config));
    context.print(`pulumi preview of ${stackName} with policy packs: ${request.policyPacks.join(", ")}`);
    await runOperation({ command: "preview", stack: stackName }, log, () => stack.preview(options));
  } catch (error) {
    const created = existing === undefined;
    throw withNote(error, await cleanUpBeforeDeploy(workspace, stackName, created, request.pullRequest));
  }
  context.print(`pulumi up of ${stackName}`);
  let result: Awaited<ReturnType<typeof stack.up>>;
  try {
    result = await runOperation({ command: "up", stack: stackName }, log, () => stack.up(options));
  } catch (error) {
    throw withNote(
      error,
      `Stack ${stackName} is kept: the failed update may have changed resources. Push a fix to update it, ` +
        `or remove everything with: npm run pr-env -- destroy --pr ${request.pullRequest}`,
    );
  }

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

/**
 * The pull request's stack: the existing one (if the tool made it, and with what its secrets provider
 * needs), or a new one with the secrets provider the backend needs. Checked before anything changes.
 */
async function openPreviewStack(
  context: PreviewToolContext,
  workspace: PreviewWorkspace,
  request: UpRequest,
  backendUrl: string | undefined,
): Promise<{ stack: PreviewStack; existing?: { readonly tags: Readonly<Record<string, string>> } }> {
  const stackName = previewStackName(request.pullRequest);
  const found = previewStacks(await workspace.listStacks()).find(
    (s) => s.pullRequest === request.pullRequest,
  );
  if (found !== undefined) {
    const tags = await workspace.listTags(found.summary.name);
    const refusal = previewRefusal(found.summary.name, request.pullRequest, tags);
    if (refusal !== undefined) {
      throw refusedError(refusal);
    }
    const stack = await workspace.selectStack(found.summary.name);
    requireSecretsOfState(stackName, await stack.exportStack(), context.env);
    return { stack, existing: { tags } };
  }
  const provider = newStackSecretsProvider(
    stackName,
    { requested: request.secretsProvider, backendUrl },
    context.env,
  );
  return { stack: await workspace.createOrSelectStack(stackName, provider) };
}

/**
 * After a failure before anything was deployed (tags, config, preview): a stack this run created is
 * removed again, with its config file, so no half-made `pr-<n>` is left behind; a stack from an earlier
 * run keeps what it had deployed. Returns what happened, for the error message.
 */
async function cleanUpBeforeDeploy(
  workspace: PreviewWorkspace,
  stackName: string,
  created: boolean,
  pullRequest: number,
): Promise<string> {
  if (!created) {
    return (
      `Nothing was deployed: stack ${stackName}, from an earlier run, keeps the resources of its last ` +
      `deployment (this run updated its tags and its config file Pulumi.${stackName}.yaml).`
    );
  }
  try {
    await workspace.removeStack(stackName);
    return `Nothing was deployed: stack ${stackName} and its config file Pulumi.${stackName}.yaml, created by this run, were removed again.`;
  } catch (error) {
    return (
      `Nothing was deployed, but stack ${stackName}, created by this run, is left behind: removing it failed ` +
      `(${cliErrorDetail(error)}). It holds no resources; remove it with: pulumi stack rm ${stackName} ` +
      `(or npm run pr-env -- destroy --pr ${pullRequest})`
    );
  }
}

/** The tool's error (same exit code) with what was left behind said after the cause. */
function withNote(error: unknown, note: string): ToolError {
  return error instanceof ToolError
    ? new ToolError(`${error.message}\n${note}`, error.exitCode)
    : failedError(`${cliErrorDetail(error)}\n${note}`);
}
