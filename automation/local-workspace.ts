import { LocalWorkspace, LocalWorkspaceOptions, Stack } from "@pulumi/pulumi/automation";
import { findPulumiCli } from "../cli/pulumi-cli";
import { PROJECT_DIR } from "../config/load";
import type { PreviewStack, PreviewWorkspace, StackSummary } from "./workspace";

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
    setAllConfig: (settings) =>
      stack.setAllConfig(
        Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, { value }])),
      ),
    preview: (options) => stack.preview({ ...options, policyPacks: [...options.policyPacks] }),
    up: (options) => stack.up({ ...options, policyPacks: [...options.policyPacks] }),
    destroy: (options) => stack.destroy({ ...options }),
  };
}
