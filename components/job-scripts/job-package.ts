import * as fs from "fs";
import * as path from "path";
import * as yazl from "yazl";
import { contentHashOf, UploadFile } from "./packaged-file";
import { sha256 } from "./sha256";

/**
 * Deterministic packaging of `jobs/`: the entry scripts as they are, plus the shared package as one
 * zip for `--extra-py-files`. Identical sources give byte-identical artifacts (sorted entries, fixed
 * timestamps and modes), so the content hash, and with it the upload prefix, changes only when code does.
 */

/** One artifact with its bytes (in the program only: the provider gets names and hashes). */
export interface PackagedFile extends UploadFile {
  readonly content: Buffer;
}

export interface JobPackage {
  /** `<job key>.py` entry scripts, in job order. */
  readonly entryScripts: readonly PackagedFile[];
  /** `<shared package>.zip`. */
  readonly sharedPackage: PackagedFile;
  /** The shared package's sources, relative to jobsDir, as zipped. */
  readonly sharedFiles: readonly string[];
  /** Hash over every artifact's name and bytes; names the upload prefix. */
  readonly contentHash: string;
}

export interface JobPackageSource {
  /** The `jobs/` folder. */
  readonly jobsDir: string;
  /** Job keys; each has an entry script `<key>.py` at the top of jobsDir. */
  readonly jobKeys: readonly string[];
  /** Folder name of the shared Python package inside jobsDir (e.g. `lakehouse_jobs`). */
  readonly sharedPackage: string;
}

/** Zip timestamps start in 1980; a fixed one keeps archives byte-identical across machines and days. */
const FIXED_MTIME = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
const FILE_MODE = 0o100644;

/**
 * What Glue does not run, left out of the shared package. An exclusion list rather than a list of
 * modules, so a module someone adds to the package ships without anyone remembering to list it.
 */
export const NOT_SHIPPED = {
  /** Folder names, at any depth: tests and bytecode caches. */
  folders: ["tests", "__pycache__"],
  /** Modules, relative to the shared package: the local Spark harness and the sample data generator. */
  modules: ["local.py", "local_layout.py", "sample_data.py"],
} as const;

/** Python sources of the shared package, relative to jobsDir, sorted; NOT_SHIPPED left out. */
export function sharedPackageFiles(jobsDir: string, sharedPackage: string): string[] {
  const root = path.join(jobsDir, sharedPackage);
  if (!fs.existsSync(root)) {
    throw new Error(
      `JobScripts: [sharedPackage] ${root} not found; it holds the code the entry scripts import`,
    );
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const inPackage = path.relative(root, full).split(path.sep).join("/");
      if (entry.isDirectory() && !(NOT_SHIPPED.folders as readonly string[]).includes(entry.name)) {
        walk(full);
      } else if (
        entry.isFile() &&
        entry.name.endsWith(".py") &&
        !(NOT_SHIPPED.modules as readonly string[]).includes(inPackage)
      ) {
        files.push(path.relative(jobsDir, full).split(path.sep).join("/"));
      }
    }
  };
  walk(root);
  return files.sort();
}

/** Zips the files (paths relative to baseDir) deterministically. */
export function deterministicZip(baseDir: string, relativePaths: readonly string[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const relative of [...relativePaths].sort()) {
    zip.addBuffer(fs.readFileSync(path.join(baseDir, relative)), relative, {
      mtime: FIXED_MTIME,
      mode: FILE_MODE,
      // Stored, not deflated: deflate output can differ between zlib builds, and the package is small.
      compress: false,
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

export async function packageJobs(source: JobPackageSource): Promise<JobPackage> {
  const entryScripts = source.jobKeys.map((key) => {
    const file = path.join(source.jobsDir, `${key}.py`);
    if (!fs.existsSync(file)) {
      throw new Error(`JobScripts: [jobKeys] job "${key}" has no entry script ${file}`);
    }
    const content = fs.readFileSync(file);
    return { name: `${key}.py`, content, sha256: sha256(content) };
  });
  const sharedFiles = sharedPackageFiles(source.jobsDir, source.sharedPackage);
  const zip = await deterministicZip(source.jobsDir, sharedFiles);
  const sharedPackage = { name: `${source.sharedPackage}.zip`, content: zip, sha256: sha256(zip) };
  const contentHash = contentHashOf([...entryScripts, sharedPackage]);
  return { entryScripts, sharedPackage, sharedFiles, contentHash };
}

/**
 * Writes the package's artifacts to `<buildDir>/<content hash>/`, where the upload provider reads them
 * by path (the bytes never enter the stack's inputs or state). Written to a temporary name and renamed,
 * so a folder under its final name is always complete; an existing one holds the same bytes (its name
 * is their hash) and is kept.
 */
export function writeJobPackage(pkg: JobPackage, buildDir: string): string {
  const dir = path.join(buildDir, pkg.contentHash);
  if (fs.existsSync(dir)) {
    return dir;
  }
  fs.mkdirSync(buildDir, { recursive: true });
  const partial = fs.mkdtempSync(path.join(buildDir, `.${pkg.contentHash.slice(0, 16)}-`));
  for (const file of [...pkg.entryScripts, pkg.sharedPackage]) {
    fs.writeFileSync(path.join(partial, file.name), file.content);
  }
  try {
    fs.renameSync(partial, dir);
  } catch (error) {
    // Another run of the same code finished first: its folder holds the same bytes.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(dir)) {
      throw error;
    }
  }
  return dir;
}
