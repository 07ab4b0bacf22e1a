import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../config/load";

/**
 * Running the Pulumi program itself, as `pulumi up` does: the nodejs language host requires the
 * project's main module (package.json `main`: index.ts) in a fresh process, so everything it declares
 * runs, in index.ts, in a module it imports, or in `createLakehouse`. The offline tools run it in
 * their own process, possibly several times (dev, then prod), so the project's modules are loaded
 * anew for each run: a resource declared at a module's top level is declared on every run, as in a
 * fresh process. The modules loaded before are put back afterwards, so the caller keeps its own.
 */

/** The program's entry module: what `require(<project folder>)` resolves to. */
export const PROGRAM_ENTRY = require.resolve(PROJECT_DIR);

const PROJECT_ROOT = fs.realpathSync(PROJECT_DIR) + path.sep;

/** A module of the project's own code (node_modules are shared: the mocks live in @pulumi/pulumi). */
function isProjectModule(file: string): boolean {
  return file.startsWith(PROJECT_ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`);
}

/** Requires `entry` with fresh copies of every project module, then restores the module cache. */
export function runProgram(entry: string): void {
  const cached = Object.keys(require.cache).filter(isProjectModule);
  const saved = cached.map((file) => [file, require.cache[file]] as const);
  cached.forEach((file) => delete require.cache[file]);
  try {
    // The language host's own way of starting a program: a plain require of its main module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(entry);
  } finally {
    Object.keys(require.cache)
      .filter(isProjectModule)
      .forEach((file) => delete require.cache[file]);
    saved.forEach(([file, module]) => (require.cache[file] = module));
  }
}
