import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JobScripts } from "../../components/job-scripts/job-scripts";
import { packageJobs } from "../../components/job-scripts/job-package";
import { componentGraph, resolved, resource } from "../helpers/graph";
import { makeJobsDir, removeJobsDirs, SOURCE } from "./fixtures";

describe("JobScripts", () => {
  before(() => {
    process.env.LAKEHOUSE_PYTHON = path.resolve(__dirname, "..", "..", ".venv", "bin", "python");
  });
  const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "job-packages-"));
  after(() => {
    delete process.env.LAKEHOUSE_PYTHON;
    removeJobsDirs();
    fs.rmSync(buildDir, { recursive: true, force: true });
  });

  it("writes the package to the build folder, registers an upload of names and hashes only, and points the jobs at its prefix", async () => {
    const jobsDir = makeJobsDir();
    const pkg = await packageJobs(SOURCE(jobsDir));
    const { contentHash } = pkg;
    const prefix = `jobs/${contentHash.slice(0, 16)}/`;
    let scripts: JobScripts | undefined;
    const graph = await componentGraph(() => {
      scripts = new JobScripts("scripts", {
        ...SOURCE(jobsDir),
        buildDir,
        region: "eu-west-1",
        bucket: "artifacts",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
      });
    });
    const upload = resource(graph, "pulumi-nodejs:dynamic/lakehouse:JobScriptUpload", "scripts-upload");
    expect(upload.inputs.__provider).to.be.a("string").and.have.length.greaterThan(1000);
    expect([upload.inputs.bucket, upload.inputs.contentHash, upload.inputs.region]).to.deep.equal([
      "artifacts",
      contentHash,
      "eu-west-1",
    ]);
    const packaged = [...pkg.entryScripts, pkg.sharedPackage];
    expect(upload.inputs.files).to.deep.equal(packaged.map((f) => ({ name: f.name, sha256: f.sha256 })));
    expect(upload.inputs.packageDir).to.equal(path.join(buildDir, contentHash));
    // No stack settings given: the SDK's default chain in the region.
    expect(upload.inputs.aws).to.deep.equal({ region: "eu-west-1" });
    for (const file of packaged) {
      expect(fs.readFileSync(path.join(buildDir, contentHash, file.name)).equals(file.content)).to.equal(
        true,
      );
    }
    // Names, hashes and the folder, and no other input that could carry a file's bytes.
    expect(Object.keys(upload.inputs).sort()).to.deep.equal([
      "__provider",
      "aws",
      "bucket",
      "contentHash",
      "files",
      "kmsKeyArn",
      "packageDir",
      "region",
    ]);
    expect(await resolved(scripts!.scriptUris)).to.deep.equal({
      bronze_ingest: `s3://artifacts/${prefix}bronze_ingest.py`,
      gold_daily_metrics: `s3://artifacts/${prefix}gold_daily_metrics.py`,
    });
    expect(await resolved(scripts!.sharedPackageUri)).to.equal(`s3://artifacts/${prefix}lakehouse_jobs.zip`);
  });
});
