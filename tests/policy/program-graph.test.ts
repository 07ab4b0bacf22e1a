import { expect } from "chai";
import * as path from "path";
import { readStackSettings } from "../../config/load";
import { checkGraph, lakehousePolicyPack } from "../../offline/policy-evaluation";
import { reconcilePolicyConfig } from "../../offline/policy-config";
import { PROGRAM_ENTRY } from "../../offline/program";
import { captureProgramGraph } from "../../offline/stack-graph";

const FIXTURE = path.join(__dirname, "fixtures", "program-with-raw-bucket.ts");
const pack = lakehousePolicyPack();

describe("the offline tools run the program pulumi up runs", () => {
  it("starts at the project's main module, index.ts", () => {
    expect(PROGRAM_ENTRY).to.equal(path.resolve(__dirname, "..", "..", "index.ts"));
  });

  it("sees a resource declared outside createLakehouse, through the default provider the engine adds", async () => {
    const settings = readStackSettings("dev");
    // Twice in one process: the program's modules are loaded anew each time, as in a fresh `pulumi up`.
    for (let run = 0; run < 2; run++) {
      const records = await captureProgramGraph("dev", settings, FIXTURE);
      const raw = records.filter((r) => r.name === "raw-landing");
      expect(raw.map((r) => [r.type, r.provider])).to.deep.equal([
        [
          "aws:s3/bucket:Bucket",
          "urn:pulumi:dev::iceberg-lakehouse::pulumi:providers:aws::default_7_48_0::default_7_48_0",
        ],
      ]);
      const provider = records.find((r) => r.name === "default_7_48_0");
      // The default provider reads the stack's aws: settings, as the engine's does.
      expect(provider?.inputs).to.deep.equal({
        region: "eu-west-1",
        allowedAccountIds: '["111122223333"]',
        version: "7.48.0",
      });
      expect(records.filter((r) => r.type === "aws:s3/bucket:Bucket")).to.have.length(5);
    }
  });

  it("fails the check on that bucket and on its untagged provider", async () => {
    const records = await captureProgramGraph("dev", readStackSettings("dev"), FIXTURE);
    const result = await checkGraph(pack, reconcilePolicyConfig(pack), records);
    const failed = result.policies
      .filter((p) => p.status === "failed")
      .map((p) => [p.name, p.violations.filter((v) => v.path === "raw-landing").length, p.violations.length]);
    // The bucket misses each companion; its provider has none of the stack's default tags, so the
    // stack has no single environment and prod protection applies to all 14 stateful resources.
    expect(failed).to.deep.equal([
      ["s3-bucket-sse-kms", 1, 1],
      ["s3-bucket-versioning", 1, 1],
      ["s3-bucket-public-access-block", 1, 1],
      ["s3-bucket-acls-disabled", 1, 1],
      ["s3-bucket-tls-only", 1, 1],
      ["s3-bucket-access-logging", 1, 1],
      ["s3-bucket-lifecycle-aborts-uploads", 1, 1],
      ["prod-stateful-resources-protected", 1, 18],
      ["stack-environment-tag", 0, 4],
    ]);
  });
});
