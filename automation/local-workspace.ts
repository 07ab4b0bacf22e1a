import { LocalWorkspace, LocalWorkspaceOptions, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../config/load";
import { prerequisiteError } from "./errors";
import type { PreviewStack, PreviewWorkspace, StackSummary } from "./workspace";

/**
 * The oldest Pulumi CLI the tool accepts: from 3.211.0 every backend (Pulumi Cloud and self-managed)
 * keeps stack tags, which the tool relies on to recognise the stacks it created.
 */
export const MIN_PULUMI_CLI_VERSION = "3.211.0";

const INSTALL_HINT =
  "Install it: curl -fsSL https://get.pulumi.com | sh (Linux, macOS), brew install pulumi/tap/pulumi, " +
  "or the pulumi/actions step in GitHub Actions; then check it with: pulumi version";

/**
 * Finds the Pulumi CLI the Automation API drives (`pulumi` on PATH, or `<root>/bin/pulumi`) and checks
 * its version; both failures become one clear message saying how to install it.
 */
export async function findPulumiCli(root?: string): Promise<PulumiCommand> {
  const where = root === undefined ? "pulumi on PATH" : `${root}/bin/pulumi`;
  let command: PulumiCommand;
  try {
    command = await PulumiCommand.get(root === undefined ? {} : { root });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes("ENOENT")) {
      throw prerequisiteError(
        `No Pulumi CLI found (looked for ${where}). The preview tool runs Pulumi through the Automation ` +
          `API, which needs the CLI (${MIN_PULUMI_CLI_VERSION} or newer). ${INSTALL_HINT}`,
      );
    }
    throw prerequisiteError(`The Pulumi CLI (${where}) cannot be used: ${message.trim()}. ${INSTALL_HINT}`);
  }
  const version = command.version;
  if (version !== null && version.compare(MIN_PULUMI_CLI_VERSION) < 0) {
    throw prerequisiteError(
      `Pulumi CLI ${version.version} is too old: the preview tool needs ${MIN_PULUMI_CLI_VERSION} or newer ` +
        `(stack tags on every backend). ${INSTALL_HINT}`,
    );
  }
  return command;
}

/** A LocalWorkspace on the project directory (the program is `index.ts`, run by the CLI). */
export async function openLocalWorkspace(
  options: { readonly workDir?: string; readonly pulumiRoot?: string } = {},
): Promise<PreviewWorkspace> {
  const pulumiCommand = await findPulumiCli(options.pulumiRoot);
  const workspaceOptions = { workDir: options.workDir ?? PROJECT_DIR, pulumiCommand };
  return new LocalPreviewWorkspace(await LocalWorkspace.create(workspaceOptions), workspaceOptions);
}

class LocalPreviewWorkspace implements PreviewWorkspace {
  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly options: LocalWorkspaceOptions & { readonly workDir: string },
  ) {}

  whoAmI() {
    return this.workspace.whoAmI();
  }

  listStacks(): Promise<StackSummary[]> {
    return this.workspace.listStacks();
  }

  listTags(stackName: string) {
    return this.workspace.listTags(stackName);
  }

  setTag(stackName: string, key: string, value: string) {
    return this.workspace.setTag(stackName, key, value);
  }

  async createOrSelectStack(stackName: string): Promise<PreviewStack> {
    const args = { stackName, workDir: this.options.workDir };
    return previewStack(await LocalWorkspace.createOrSelectStack(args, this.options));
  }

  async selectStack(stackName: string): Promise<PreviewStack> {
    const args = { stackName, workDir: this.options.workDir };
    return previewStack(await LocalWorkspace.selectStack(args, this.options));
  }

  removeStack(stackName: string) {
    return this.workspace.removeStack(stackName);
  }
}

function previewStack(stack: Stack): PreviewStack {
  return {
    name: stack.name,
    setAllConfig: (config) => stack.setAllConfig({ ...config }),
    preview: (options) => stack.preview({ ...options, policyPacks: [...options.policyPacks] }),
    up: (options) => stack.up({ ...options, policyPacks: [...options.policyPacks] }),
    destroy: (options) => stack.destroy({ ...options }),
  };
}
