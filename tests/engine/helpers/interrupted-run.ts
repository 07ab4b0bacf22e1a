import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { EngineSandbox } from "./engine-sandbox";

/*
 * A run killed mid-`up`, for real: an inline program whose second dynamic resource's create waits until
 * the CLI is killed (SIGKILL, as a cancelled or timed-out CI job ends it), leaving the stack's state with
 * a pending create and, on this self-managed backend, a lock file. Each delete the provider runs is
 * recorded in `<marker>.deleted`, so a later destroy can be seen deleting the resource that was created.
 */

interface ThingInputs {
  readonly name: string;
  /** File the slow create writes when it starts (and deletes append to, with `.deleted`). */
  readonly marker: string;
  readonly slow: boolean;
}

// `fs` is a built-in module: Pulumi's serializer captures it as require("fs") in the provider's code.
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ThingInputs) {
    if (inputs.slow) {
      fs.writeFileSync(inputs.marker, "create started");
      await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
    }
    return { id: inputs.name, outs: inputs };
  },
  async delete(id: string, outputs: ThingInputs) {
    fs.appendFileSync(`${outputs.marker}.deleted`, `${id}\n`);
  },
};

class Thing extends pulumi.dynamic.Resource {
  constructor(name: string, args: ThingInputs, options?: pulumi.CustomResourceOptions) {
    super(provider, name, args, options);
  }
}

/** Every process below `pid` (children, their children, ...). */
function descendants(pid: number): number[] {
  const table = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const walk = (parent: number) =>
    table.filter(([, ppid]) => ppid === parent).forEach(([child]) => (found.push(child), walk(child)));
  walk(pid);
  return found;
}

/** An inline stack of the project in its own folder of the sandbox (the project's Pulumi.yaml stays). */
export async function inlineProjectStack(
  sandbox: EngineSandbox,
  project: string,
  stackName: string,
  program: () => Promise<void | Record<string, unknown>>,
): Promise<Stack> {
  const workDir = path.join(sandbox.root, `inline-${stackName}`);
  fs.mkdirSync(workDir, { recursive: true });
  if (!fs.existsSync(path.join(workDir, "node_modules"))) {
    fs.symlinkSync(
      fs.realpathSync(path.join(sandbox.workDir, "node_modules")),
      path.join(workDir, "node_modules"),
    );
  }
  return LocalWorkspace.createOrSelectStack(
    { projectName: project, stackName, program },
    {
      workDir,
      envVars: { ...sandbox.envVars },
      pulumiCommand: sandbox.pulumi,
      projectSettings: { name: project, runtime: "nodejs", backend: { url: `file://${sandbox.backendDir}` } },
    },
  );
}

/**
 * Runs `up` of stack `stackName` of `project` (one fast resource, then one whose create never ends) and
 * kills the CLI with everything it started once the slow create has begun. Returns the marker file.
 */
export async function killedUp(sandbox: EngineSandbox, project: string, stackName: string): Promise<string> {
  const marker = path.join(sandbox.root, `${stackName}.marker`);
  const stack = await inlineProjectStack(sandbox, project, stackName, async () => {
    const fast = new Thing("fast", { name: "fast", marker, slow: false });
    // Created after the fast one: the kill comes once the fast one is in the state.
    new Thing("slow", { name: "slow", marker, slow: true }, { dependsOn: fast });
  });
  const before = new Set(descendants(process.pid));
  const up = stack.up({ color: "never" }).then(
    () => "finished",
    () => "killed",
  );
  while (!fs.existsSync(marker)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const pid of descendants(process.pid).filter((p) => !before.has(p))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone with its parent
    }
  }
  if ((await up) !== "killed") {
    throw new Error("the up was not interrupted");
  }
  return marker;
}
