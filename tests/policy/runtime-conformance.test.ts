import { expect } from "chai";
import { lakehousePolicyPack } from "../../offline/policy-evaluation";
import { ConfiguredPolicies } from "../../offline/policy-runtime";
import { parsePolicyConfig, reconcilePolicyConfig } from "../../offline/policy-config";
import { analyzeGraph } from "../../offline/policy-runtime";
import { ResourceRecord } from "../../offline/resource-graph";
import { stackGraph } from "../helpers/graph";
import { AnalyzerOutcome, RealPolicyPackServer } from "./helpers/real-analyzer";
import * as path from "path";
import { readStackSettings } from "../../config/load";
import { captureProgramGraph } from "../../offline/stack-graph";
import { insecureProdGraph, previewGraph } from "./helpers/stack-variants";

/*
 * The offline runtime against the real one: policy/index.ts runs as the gRPC analyzer server that
 * `pulumi preview --policy-pack policy` starts, this test plays the engine, and every diagnostic and
 * every not-applicable entry must be the same as the offline check's, graph by graph.
 */

const pack = lakehousePolicyPack();

const sorted = <T>(items: readonly T[]) => items.map((i) => JSON.stringify(i)).sort();

async function compare(
  server: RealPolicyPackServer,
  config: ConfiguredPolicies,
  records: readonly ResourceRecord[],
) {
  const offline = await analyzeGraph(pack, config, records);
  const real: AnalyzerOutcome = await server.analyzeGraph(records);
  const diagnostics = (list: AnalyzerOutcome["diagnostics"]) =>
    sorted(
      list.map((d) => ({
        policyName: d.policyName,
        urn: d.urn,
        message: d.message,
        level: d.enforcementLevel,
      })),
    );
  const notApplicable = (list: AnalyzerOutcome["notApplicable"]) =>
    sorted(list.map((n) => ({ policyName: n.policyName, urn: n.urn, reason: n.reason || undefined })));
  expect(diagnostics(offline.diagnostics)).to.deep.equal(diagnostics(real.diagnostics));
  expect(notApplicable(offline.notApplicable)).to.deep.equal(notApplicable(real.notApplicable));
  return real;
}

describe("offline policy runtime conforms to the real @pulumi/policy analyzer server", () => {
  let server: RealPolicyPackServer | undefined;

  before(async () => {
    server = await RealPolicyPackServer.start();
  });

  after(() => server?.stop());

  const defaults = reconcilePolicyConfig(pack);
  const graphs: [string, () => Promise<ResourceRecord[]>, number][] = [
    ["dev", () => stackGraph("dev"), 0],
    ["prod", () => stackGraph("prod"), 0],
    ["the insecure prod variant", insecureProdGraph, 52],
    ["the preview variant", previewGraph, 0],
    [
      "a program with a bucket under the engine's default provider",
      () =>
        captureProgramGraph(
          "dev",
          readStackSettings("dev"),
          path.join(__dirname, "fixtures", "program-with-raw-bucket.ts"),
        ),
      29,
    ],
  ];
  for (const [name, graph, violations] of graphs) {
    it(`gives the same diagnostics and not-applicable entries on ${name}`, async () => {
      const live = server as RealPolicyPackServer;
      await live.configure(defaults);
      const real = await compare(live, defaults, await graph());
      expect(real.diagnostics).to.have.length(violations);
      expect(real.notApplicable.length).to.be.greaterThan(1000);
    });
  }

  it("applies a user's config the same way: levels, disabled policies, config values", async () => {
    const user = parsePolicyConfig(
      JSON.stringify({
        "s3-bucket-versioning": "advisory",
        "kms-key-rotation": "disabled",
        "glue-supported-version": { enforcementLevel: "remediate", allowedGlueVersions: ["5.0"] },
        "iam-no-wildcard-resource": {
          actionsWithoutResourceScoping: ["s3:GetObject", "cloudwatch:*", "logs:*", "xray:*"],
        },
      }),
    );
    const config = reconcilePolicyConfig(pack, user);
    const live = server as RealPolicyPackServer;
    await live.configure(config);
    const real = await compare(live, config, await insecureProdGraph());
    expect(
      real.diagnostics.filter((d) => d.enforcementLevel === "advisory").map((d) => d.policyName),
    ).to.deep.equal(["s3-bucket-versioning"]);
    expect(real.diagnostics.map((d) => d.policyName)).to.not.include.members([
      "kms-key-rotation",
      "iam-no-wildcard-resource",
    ]);
  });
});
