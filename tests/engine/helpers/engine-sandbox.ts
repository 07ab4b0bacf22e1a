import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";

/*
 * A private world for the real Pulumi engine: the CLI built by scripts/setup-pulumi.sh (the dynamic
 * provider plugin script beside it, on PATH), a file backend, a private PULUMI_HOME and a passphrase
 * secrets provider, all in one temporary folder per test file. Programs are Automation API inline
 * programs (the language runtime is served in-process: no nodejs language host is needed here).
 */

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
/** Where scripts/setup-pulumi.sh puts the CLI and the dynamic-provider plugin script. */
export const PULUMI_ROOT = path.join(REPO_ROOT, ".cache", "pulumi");

export interface EngineSandbox {
  readonly root: string;
  /** Holds `node_modules` (a link to the project's): the engine starts the dynamic provider host here. */
  readonly workDir: string;
  readonly backendDir: string;
  readonly passphrase: string;
  /** The environment every CLI call (and every plugin it starts) gets. */
  readonly envVars: Readonly<Record<string, string>>;
  readonly pulumi: PulumiCommand;
  /** The stack's checkpoint in the file backend, as the engine wrote it. */
  stateFile(project: string, stack: string): string;
  remove(): void;
}

/** A sandbox whose CLI calls also get `env` (e.g. the emulator's endpoint and test credentials). */
export async function createEngineSandbox(
  env: Readonly<Record<string, string>> = {},
): Promise<EngineSandbox> {
  const bin = path.join(PULUMI_ROOT, "bin");
  if (!fs.existsSync(path.join(bin, "pulumi"))) {
    throw new Error(`${bin}/pulumi not found: run bash scripts/setup-pulumi.sh (the test command does)`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-"));
  const workDir = path.join(root, "work");
  const backendDir = path.join(root, "backend");
  const home = path.join(root, "home");
  for (const dir of [workDir, backendDir, home]) {
    fs.mkdirSync(dir);
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(workDir, "node_modules"));
  const passphrase = randomBytes(18).toString("base64");
  const envVars = {
    ...env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  const pulumi = await PulumiCommand.get({ root: PULUMI_ROOT, skipVersionCheck: false });
  return {
    root,
    workDir,
    backendDir,
    passphrase,
    envVars,
    pulumi,
    stateFile: (project, stack) => path.join(backendDir, ".pulumi", "stacks", project, `${stack}.json`),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** An inline program's stack in the sandbox (created, or selected when it exists). */
export function inlineStack(
  sandbox: EngineSandbox,
  projectName: string,
  stackName: string,
  program: PulumiFn,
): Promise<Stack> {
  return LocalWorkspace.createOrSelectStack(
    { projectName, stackName, program },
    {
      workDir: sandbox.workDir,
      envVars: { ...sandbox.envVars },
      pulumiCommand: sandbox.pulumi,
      projectSettings: {
        name: projectName,
        runtime: "nodejs",
        backend: { url: `file://${sandbox.backendDir}` },
      },
    },
  );
}
