import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * A throwaway Pulumi root whose `bin/pulumi` (where the Automation API looks for the CLI) is the
 * shell `script`. The caller removes the folder when done.
 */
export function fakePulumiRoot(script: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  fs.mkdirSync(path.join(root, "bin"));
  fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return root;
}
