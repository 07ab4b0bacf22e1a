import * as fs from "fs";
import * as path from "path";
import { sha256 } from "./sha256";

/** One artifact of the job package: its file name (in the package folder and under the prefix) and SHA-256 (hex). */
export interface UploadFile {
  readonly name: string;
  readonly sha256: string;
}

/** The content hash of a set of artifacts: SHA-256 over `name:sha256` lines, in the given order. */
export function contentHashOf(files: readonly UploadFile[]): string {
  return sha256(Buffer.from(files.map((f) => `${f.name}:${f.sha256}`).join("\n")));
}

/**
 * The bytes of one artifact, read from the folder the program wrote the package to, refused unless
 * they hash to what the program declared: what is uploaded is exactly what was previewed.
 */
export function readPackagedFile(packageDir: string, file: UploadFile): Buffer {
  const where = path.join(packageDir, file.name);
  let content: Buffer;
  try {
    content = fs.readFileSync(where);
  } catch (error) {
    throw new Error(
      `job package file ${where} cannot be read (${(error as { code?: string }).code ?? String(error)}); ` +
        "the program writes the package at every run: run the update again from the project folder",
    );
  }
  const actual = sha256(content);
  if (actual !== file.sha256) {
    throw new Error(
      `job package file ${where} has sha256 ${actual}, not the ${file.sha256} the program declared: ` +
        "it changed after the program wrote it; nothing was uploaded, run the update again",
    );
  }
  return content;
}
