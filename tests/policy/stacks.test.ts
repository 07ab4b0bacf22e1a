import { expect } from "chai";
import { checkGraph, lakehousePolicyPack, PolicyCheckResult } from "../../offline/policy-evaluation";
import { reconcilePolicyConfig } from "../../offline/policy-config";
import { ResourceRecord } from "../../offline/resource-graph";
import { stackGraph } from "../helpers/graph";
import { TABLE_DEFECTS } from "./helpers/planted-table-defects";
import { insecureProdGraph, PLANTED_DEFECTS, previewGraph } from "./helpers/stack-variants";

const pack = lakehousePolicyPack();
const config = reconcilePolicyConfig(pack);

const byContent = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** (policy, resource name, message) of every violation, sorted, for exact comparison. */
function violations(result: PolicyCheckResult, records: readonly ResourceRecord[]) {
  const names = new Map(records.map((r) => [r.urn, r.name]));
  return result.policies
    .flatMap((p) =>
      p.violations.map((v) => ({
        policy: p.name,
        resource: v.urn === undefined ? "(stack)" : names.get(v.urn),
        message: v.message,
      })),
    )
    .sort(byContent);
}

function withStatus(result: PolicyCheckResult, status: string): string[] {
  return result.policies.filter((p) => p.status === status).map((p) => p.name);
}

describe("policy pack on the stacks (offline, the program under mocks)", () => {
  it("dev has no violation; the production-only and EMR rules do not apply", async () => {
    const records = await stackGraph("dev");
    const result = await checkGraph(pack, config, records);
    expect(violations(result, records)).to.deep.equal([]);
    expect(withStatus(result, "not-applicable")).to.deep.equal([
      "kms-key-deletion-window",
      "emr-cluster-security-configuration",
      "emr-security-configuration-encrypted",
      "emr-cluster-private-subnet",
      "emr-block-public-access",
      "emr-cluster-auto-termination",
      "security-group-no-public-ingress",
      "glue-table-optimizer-safety-floors",
      "prod-stateful-resources-protected",
    ]);
    expect(withStatus(result, "passed")).to.have.length(44);
  });

  it("prod has no violation; every rule applies but the optimizers' (its tables are the job's)", async () => {
    const records = await stackGraph("prod");
    const result = await checkGraph(pack, config, records);
    expect(violations(result, records)).to.deep.equal([]);
    expect(withStatus(result, "not-applicable")).to.deep.equal(["glue-table-optimizer-safety-floors"]);
    expect(withStatus(result, "passed")).to.have.length(52);
  });

  it("an insecure prod variant gets exactly one violation per planted defect and nothing else", async () => {
    const records = await insecureProdGraph();
    const result = await checkGraph(pack, config, records);
    const expected = PLANTED_DEFECTS.map((d) => d.expected).sort(byContent);
    expect(violations(result, records)).to.deep.equal(expected);
    expect([PLANTED_DEFECTS.length, TABLE_DEFECTS.length, result.mandatoryViolations]).to.deep.equal([
      52, 5, 52,
    ]);
    // Every policy is caught here but the environment tag (planting that would change every environment
    // rule) and the account settings' owner (declared by a component's outputs, which a transformation
    // cannot change; tests/policy/account-settings-optimizers.test.ts plants it in fixtures).
    const planted = new Set(expected.map((e) => e.policy));
    expect(pack.args.policies.map((p) => p.name).filter((name) => !planted.has(name))).to.deep.equal([
      "stack-environment-tag",
      "account-settings-single-owner",
    ]);
  });

  it("a preview environment as the preview tool configures it may force-destroy buckets and drop its tables", async () => {
    const records = await previewGraph();
    // What makes the rules' verdict meaningful: the real tables drop their data, the buckets force-destroy.
    const tables = records.filter((r) => r.type === "pulumi-nodejs:dynamic/lakehouse:IcebergTable");
    expect(tables.map((t) => [t.outputs.deletionPolicy, t.protect])).to.deep.equal(
      Array.from({ length: 11 }, () => ["drop", false]),
    );
    const buckets = records.filter((r) => r.type === "aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.outputs.forceDestroy)).to.deep.equal([true, true, true]);
    const result = await checkGraph(pack, config, records);
    expect(violations(result, records)).to.deep.equal([]);
    const dataRules = [
      "force-destroy-only-in-preview",
      "iceberg-table-retains-data",
      "iceberg-table-own-location",
    ];
    expect(
      result.policies.filter((p) => dataRules.includes(p.name)).map((p) => [p.name, p.status]),
    ).to.deep.equal(dataRules.map((name) => [name, "passed"]));
  });
});
