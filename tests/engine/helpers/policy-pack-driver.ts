import * as fs from "fs";
import * as path from "path";
import { EngineSandbox, REPO_ROOT } from "./engine-sandbox";

/** The project's policy pack folder. */
export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policy");

/**
 * An executable that serves a policy pack to the engine, for `--policy-pack <path>` (the engine runs
 * an executable it is given as the analyzer plugin, with the engine's address as its argument). It
 * starts @pulumi/pulumi's own policy pack runner on the pack folder, from that folder as the CLI does:
 * what `pulumi preview --policy-pack policy` starts through the nodejs language host, which cannot be
 * had here.
 */
export function writePolicyPackDriver(sandbox: EngineSandbox, packDir: string = POLICY_PACK_DIR): string {
  const runner = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
  const driver = path.join(sandbox.root, "policy-pack-driver", "run-policy-pack");
  fs.mkdirSync(path.dirname(driver), { recursive: true });
  fs.writeFileSync(driver, `#!/bin/sh\ncd "${packDir}" && exec node "${runner}" "$1" .\n`, { mode: 0o755 });
  return driver;
}
