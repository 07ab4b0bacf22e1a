import { expect } from "chai";
import * as path from "path";
import { JobScripts } from "../../components/job-scripts/job-scripts";
import { packageJobs } from "../../components/job-scripts/job-package";
import { componentGraph, resolved, resource } from "../helpers/graph";
import { makeJobsDir, removeJobsDirs, SOURCE } from "./fixtures";

describe("JobScripts", () => {
  before(() => {
    process.env.LAKEHOUSE_PYTHON = path.resolve(__dirname, "..", "..", ".venv", "bin", "python");
  });
  after(() => {
    delete process.env.LAKEHOUSE_PYTHON;
    removeJobsDirs();
  });

  it("registers one serializable upload and points the jobs at its content-addressed prefix", async () => {
    const jobsDir = makeJobsDir();
    const { contentHash } = await packageJobs(SOURCE(jobsDir));
    const prefix = `jobs/${contentHash.slice(0, 16)}/`;
    let scripts: JobScripts | undefined;
    const graph = await componentGraph(() => {
      scripts = new JobScripts("scripts", {
        ...SOURCE(jobsDir),
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
    expect((upload.inputs.files as { name: string }[]).map((f) => f.name)).to.deep.equal([
      "bronze_ingest.py",
      "gold_daily_metrics.py",
      "lakehouse_jobs.zip",
    ]);
    expect(await resolved(scripts!.scriptUris)).to.deep.equal({
      bronze_ingest: `s3://artifacts/${prefix}bronze_ingest.py`,
      gold_daily_metrics: `s3://artifacts/${prefix}gold_daily_metrics.py`,
    });
    expect(await resolved(scripts!.sharedPackageUri)).to.equal(`s3://artifacts/${prefix}lakehouse_jobs.zip`);
  });
});
