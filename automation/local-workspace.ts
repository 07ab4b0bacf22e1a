import { execFile } from "child_process";
import { promisify } from "util";
import {
  ConcurrentUpdateError,
  Deployment,
  LocalWorkspace,
  LocalWorkspaceOptions,
  PulumiCommand,
  Stack,
} from "@pulumi/pulumi/automation";
import { findPulumiCli } from "../cli/pulumi-cli";
import { PROJECT_DIR } from "../config/load";
import { PreviewStack, PreviewWorkspace, StackLockedError, StackSummary } from "./workspace";

const execFileAsync = promisify(execFile);

/**
 * Where a preview stack's secrets provider comes from on a fresh checkout: its `Pulumi.pr-<n>.yaml` is
 * not committed, and without this the CLI would start a new passphrase provider for an existing stack
 * instead of the one its state records (pulumi/pulumi#16412).
 */
export const PREVIEW_ENV = { PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" } as const;

type WorkspaceOptions = LocalWorkspaceOptions & {
  readonly workDir: string;
  readonly pulumiCommand: PulumiCommand;
};

/** A LocalWorkspace on the project directory (the program is `index.ts`, run by the CLI). */
export async function openLocalWorkspace(
  options: { readonly workDir?: string; readonly pulumiRoot?: string } = {},
): Promise<PreviewWorkspace> {
  const pulumiCommand = await findPulumiCli(options.pulumiRoot);
  const workspaceOptions: WorkspaceOptions = {
    workDir: options.workDir ?? PROJECT_DIR,
    pulumiCommand,
    envVars: { ...PREVIEW_ENV },
  };
  return new LocalPreviewWorkspace(await LocalWorkspace.create(workspaceOptions), workspaceOptions);
}

class LocalPreviewWorkspace implements PreviewWorkspace {
  constructor(
    private readonly workspace: LocalWorkspace,
    private readonly options: WorkspaceOptions,
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

  removeTag(stackName: string, key: string) {
    return this.workspace.removeTag(stackName, key);
  }

  async createOrSelectStack(stackName: string, secretsProvider?: string): Promise<PreviewStack> {
    const args = { stackName, workDir: this.options.workDir };
    // The secrets provider is a workspace option: `stack init --secrets-provider <it>` for a new stack.
    const options = secretsProvider === undefined ? this.options : { ...this.options, secretsProvider };
    return previewStack(await LocalWorkspace.createOrSelectStack(args, options), this.options);
  }

  async selectStack(stackName: string): Promise<PreviewStack> {
    const args = { stackName, workDir: this.options.workDir };
    return previewStack(await LocalWorkspace.selectStack(args, this.options), this.options);
  }

  removeStack(stackName: string) {
    return this.workspace.removeStack(stackName);
  }
}

function previewStack(stack: Stack, options: WorkspaceOptions): PreviewStack {
  return {
    name: stack.name,
    setAllConfig: (settings) =>
      stack.setAllConfig(
        Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, { value }])),
      ),
    preview: (deploy) => stack.preview({ ...deploy, policyPacks: [...deploy.policyPacks] }),
    up: (deploy) => stack.up({ ...deploy, policyPacks: [...deploy.policyPacks] }),
    destroy: (operation) =>
      stack.destroy({ ...operation }).catch((error: unknown) => {
        throw error instanceof ConcurrentUpdateError ? new StackLockedError(error.message) : error;
      }),
    // Not the Automation API's exportStack: that asks for --show-secrets, which decrypts (and needs the
    // secrets provider); the state is read here before the provider's needs are checked.
    exportStack: async () => {
      const args = ["stack", "export", "--stack", stack.name, "--non-interactive"];
      const { stdout } = await execFileAsync(options.pulumiCommand.command, args, {
        cwd: options.workDir,
        env: { ...process.env, ...PREVIEW_ENV },
        maxBuffer: 512 * 1024 * 1024,
      });
      return JSON.parse(stdout) as Deployment;
    },
    importStack: (state) => stack.importStack(state),
    cancel: () => stack.cancel(),
  };
}
