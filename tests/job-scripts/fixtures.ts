import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packageJobs, writeJobPackage } from "../../components/job-scripts/job-package";
import { ScriptUploadInputs } from "../../components/job-scripts/script-upload-provider";

const jobsDirs: string[] = [];

/**
 * A throwaway `jobs/` folder: entry scripts, a shared package with a subpackage, tests and caches.
 * Removed by `removeJobsDirs`, which every suite that makes one runs after its tests.
 */
export function makeJobsDir(overrides: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jobs-"));
  jobsDirs.push(dir);
  const files: Record<string, string> = {
    "bronze_ingest.py": "from lakehouse_jobs.bronze import main\n\nmain()\n",
    "gold_daily_metrics.py": "from lakehouse_jobs.gold import main\n\nmain()\n",
    "lakehouse_jobs/__init__.py": "",
    "lakehouse_jobs/bronze.py": "def main():\n    return 'bronze'\n",
    "lakehouse_jobs/gold.py": "def main():\n    return 'gold'\n",
    "lakehouse_jobs/io/__init__.py": "",
    "lakehouse_jobs/io/paths.py": "ROOT = 'warehouse'\n",
    "lakehouse_jobs/tests/test_bronze.py": "def test_nothing():\n    pass\n",
    "lakehouse_jobs/__pycache__/bronze.cpython-311.pyc": "compiled",
    "lakehouse_jobs/README.md": "not python",
    ...overrides,
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Removes every folder `makeJobsDir` made so far. */
export function removeJobsDirs(): void {
  for (const dir of jobsDirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const SOURCE = (jobsDir: string) => ({
  jobsDir,
  jobKeys: ["bronze_ingest", "gold_daily_metrics"],
  sharedPackage: "lakehouse_jobs",
});

/** Packages a jobs folder as the program does: written to the build folder, names and hashes as inputs. */
export async function inputsFor(
  buildDir: string,
  bucket: string,
  kmsKeyArn: string,
  jobsDir = makeJobsDir(),
): Promise<ScriptUploadInputs> {
  const pkg = await packageJobs(SOURCE(jobsDir));
  return {
    region: "eu-west-1",
    bucket,
    kmsKeyArn,
    contentHash: pkg.contentHash,
    files: [...pkg.entryScripts, pkg.sharedPackage].map((f) => ({ name: f.name, sha256: f.sha256 })),
    packageDir: writeJobPackage(pkg, buildDir),
  };
}
