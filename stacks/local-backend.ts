import { LocalWorkspace, StackNotFoundError } from "@pulumi/pulumi/automation";
import { findPulumiCli } from "../cli/pulumi-cli";
import type { StackBackend } from "./stack-setup";

export interface LocalBackendOptions {
  /** The project folder (Pulumi.yaml and the stack files `pulumi stack init` writes to). */
  readonly workDir: string;
  /** A Pulumi install whose `bin/pulumi` to use. @default `pulumi` on PATH */
  readonly pulumiRoot?: string;
  /** Environment for the CLI beyond this process's. @default none */
  readonly envVars?: Readonly<Record<string, string>>;
}

/** The backend through the Pulumi Automation API (a LocalWorkspace on the project folder). */
export async function openLocalBackend(options: LocalBackendOptions): Promise<StackBackend> {
  const pulumiCommand = await findPulumiCli(options.pulumiRoot);
  const workspaceOptions = {
    workDir: options.workDir,
    pulumiCommand,
    envVars: { ...(options.envVars ?? {}) },
  };
  const workspace = await LocalWorkspace.create(workspaceOptions);
  return {
    whoAmI: () => workspace.whoAmI(),
    selectStack: async (stackName) => {
      try {
        await workspace.selectStack(stackName);
        return true;
      } catch (error) {
        if (error instanceof StackNotFoundError) {
          return false;
        }
        throw error;
      }
    },
    createStack: async (stackName, secretsProvider) => {
      // The secrets provider is a workspace option: `stack init --secrets-provider <it>`.
      const creator =
        secretsProvider === undefined
          ? workspace
          : await LocalWorkspace.create({ ...workspaceOptions, secretsProvider });
      await creator.createStack(stackName);
    },
  };
}
