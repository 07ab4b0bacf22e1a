import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkedPackage } from "../../components/job-scripts/job-scripts";
import {
  NOT_SHIPPED,
  packageJobs,
  sharedPackageFiles,
  writeJobPackage,
} from "../../components/job-scripts/job-package";
import { compileErrors } from "../../components/job-scripts/compile-check";
import { sha256 } from "../../components/job-scripts/sha256";
import { makeJobsDir, removeJobsDirs, SOURCE } from "./fixtures";

const PYTHON = path.resolve(__dirname, "..", "..", ".venv", "bin", "python");

describe("job packaging", () => {
  before(() => {
    process.env.LAKEHOUSE_PYTHON = PYTHON;
  });
  after(() => {
    delete process.env.LAKEHOUSE_PYTHON;
    removeJobsDirs();
  });

  it("zips exactly the shared package's Python sources, sorted, without tests or caches", () => {
    expect(sharedPackageFiles(makeJobsDir(), "lakehouse_jobs")).to.deep.equal([
      "lakehouse_jobs/__init__.py",
      "lakehouse_jobs/bronze.py",
      "lakehouse_jobs/gold.py",
      "lakehouse_jobs/io/__init__.py",
      "lakehouse_jobs/io/paths.py",
    ]);
  });

  it("ships every module of the real package but the local harness (and its layout part) and the sample generator", () => {
    const jobsDir = path.resolve(__dirname, "..", "..", "jobs");
    const modules = fs
      .readdirSync(path.join(jobsDir, "lakehouse_jobs"))
      .filter((name) => name.endsWith(".py"))
      .map((name) => `lakehouse_jobs/${name}`);
    const shipped = sharedPackageFiles(jobsDir, "lakehouse_jobs");
    expect(modules.filter((m) => !shipped.includes(m)).sort()).to.deep.equal([
      "lakehouse_jobs/local.py",
      "lakehouse_jobs/local_layout.py",
      "lakehouse_jobs/sample_data.py",
    ]);
    expect(shipped.every((file) => !file.includes("/tests/"))).to.equal(true);
  });

  it("leaves out NOT_SHIPPED modules and folders, shipping a module nobody listed", () => {
    const dir = makeJobsDir({
      "lakehouse_jobs/local.py": "HARNESS = 1\n",
      "lakehouse_jobs/sample_data.py": "SAMPLE = 1\n",
      "lakehouse_jobs/io/local.py": "NESTED = 'same name, deeper: shipped'\n",
      "lakehouse_jobs/brand_new_job.py": "def main():\n    return 'new'\n",
    });
    expect(NOT_SHIPPED).to.deep.equal({
      folders: ["tests", "__pycache__"],
      modules: ["local.py", "local_layout.py", "sample_data.py"],
    });
    expect(sharedPackageFiles(dir, "lakehouse_jobs")).to.deep.equal([
      "lakehouse_jobs/__init__.py",
      "lakehouse_jobs/brand_new_job.py",
      "lakehouse_jobs/bronze.py",
      "lakehouse_jobs/gold.py",
      "lakehouse_jobs/io/__init__.py",
      "lakehouse_jobs/io/local.py",
      "lakehouse_jobs/io/paths.py",
    ]);
  });

  it("writes the artifacts to <build folder>/<content hash>/ once, complete", async () => {
    const pkg = await packageJobs(SOURCE(makeJobsDir()));
    const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "job-packages-"));
    try {
      const dir = writeJobPackage(pkg, buildDir);
      expect(dir).to.equal(path.join(buildDir, pkg.contentHash));
      expect(fs.readdirSync(buildDir)).to.deep.equal([pkg.contentHash]);
      expect(fs.readdirSync(dir).sort()).to.deep.equal([
        "bronze_ingest.py",
        "gold_daily_metrics.py",
        "lakehouse_jobs.zip",
      ]);
      for (const file of [...pkg.entryScripts, pkg.sharedPackage]) {
        expect(sha256(fs.readFileSync(path.join(dir, file.name)))).to.equal(file.sha256);
      }
      expect(writeJobPackage(pkg, buildDir)).to.equal(dir);
      expect(fs.readdirSync(buildDir)).to.deep.equal([pkg.contentHash]);
    } finally {
      fs.rmSync(buildDir, { recursive: true, force: true });
    }
  });

  it("is byte-identical for identical sources, whenever and wherever it is built", async () => {
    const first = await packageJobs(SOURCE(makeJobsDir()));
    const dir = makeJobsDir();
    const later = new Date(Date.UTC(2030, 5, 1));
    fs.utimesSync(path.join(dir, "lakehouse_jobs", "gold.py"), later, later);
    const second = await packageJobs(SOURCE(dir));
    expect(second.sharedPackage.content.equals(first.sharedPackage.content)).to.equal(true);
    expect(second.contentHash).to.equal(first.contentHash);
    expect(first.entryScripts.map((f) => [f.name, f.sha256])).to.deep.equal([
      ["bronze_ingest.py", sha256(Buffer.from("from lakehouse_jobs.bronze import main\n\nmain()\n"))],
      ["gold_daily_metrics.py", sha256(Buffer.from("from lakehouse_jobs.gold import main\n\nmain()\n"))],
    ]);
  });

  it("changes the content hash when one byte of the shared package changes", async () => {
    const before = await packageJobs(SOURCE(makeJobsDir()));
    const after = await packageJobs(
      SOURCE(makeJobsDir({ "lakehouse_jobs/io/paths.py": "ROOT = 'warehouse2'\n" })),
    );
    expect(after.contentHash).not.to.equal(before.contentHash);
    expect(after.entryScripts).to.deep.equal(before.entryScripts);
  });

  it("does not change the hash for files outside what is packaged", async () => {
    const before = await packageJobs(SOURCE(makeJobsDir()));
    const after = await packageJobs(
      SOURCE(makeJobsDir({ "lakehouse_jobs/tests/test_bronze.py": "x = 1\n", "notes.txt": "hi" })),
    );
    expect(after.contentHash).to.equal(before.contentHash);
  });

  it("names a job without an entry script", async () => {
    const dir = makeJobsDir();
    fs.rmSync(path.join(dir, "gold_daily_metrics.py"));
    let message = "";
    await packageJobs(SOURCE(dir)).catch((e: Error) => (message = e.message));
    expect(message).to.equal(
      `JobScripts: [jobKeys] job "gold_daily_metrics" has no entry script ${dir}/gold_daily_metrics.py`,
    );
  });

  it("names a missing shared package", () => {
    const dir = makeJobsDir();
    expect(() => sharedPackageFiles(dir, "missing_pkg")).to.throw(
      `JobScripts: [sharedPackage] ${dir}/missing_pkg not found; it holds the code the entry scripts import`,
    );
  });

  it("refuses sources that do not compile, naming each file and line", async () => {
    const dir = makeJobsDir({
      "lakehouse_jobs/gold.py": "def main(:\n    pass\n",
      "bronze_ingest.py": "x = (\n",
    });
    let message = "";
    await checkedPackage(SOURCE(dir)).catch((e: Error) => (message = e.message));
    expect(message).to.equal(
      "JobScripts: [jobsDir] these job sources do not compile:\n" +
        `  ${dir}/bronze_ingest.py:1: '(' was never closed\n` +
        `  ${dir}/lakehouse_jobs/gold.py:1: invalid syntax`,
    );
  });

  it("accepts sources that compile", async () => {
    expect((await checkedPackage(SOURCE(makeJobsDir()))).entryScripts).to.have.length(2);
  });

  it("says how to get Python when the interpreter cannot run", () => {
    expect(() => compileErrors(["x.py"], "/nonexistent/python3.11")).to.throw(
      'JobScripts: checking that the job scripts compile needs Python 3.11 ("/nonexistent/python3.11" could not run: spawnSync /nonexistent/python3.11 ENOENT); install it or set LAKEHOUSE_PYTHON',
    );
  });
});
