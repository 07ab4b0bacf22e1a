import * as fs from "fs";
import * as path from "path";
import { usageError } from "./exit-codes";

/**
 * Reads a file the user named on the command line; a missing or unreadable one is a usage error that
 * names the option (or argument) it came from: `[--policy-pack-config] no such file: policy.json`.
 */
export function readInputFile(option: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a folder, not a file"
          : `cannot be read (${code ?? (error as Error).message})`;
    throw usageError(`[${option}] ${reason}: ${file}`);
  }
}

/** A JSON file named on the command line: missing, unreadable or not JSON is a usage error naming the option. */
export function readJsonInputFile(option: string, file: string): unknown {
  const text = readInputFile(option, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usageError(`[${option}] ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** A file a command will write: its folder must exist, checked before anything else is done. */
export function requireOutputFolder(
  option: string,
  file: string,
  folderExists: (dir: string) => boolean = fs.existsSync,
): void {
  const dir = path.dirname(file);
  if (!folderExists(dir)) {
    throw usageError(`[${option}] no such folder: ${dir} (the file to write is ${file})`);
  }
}
