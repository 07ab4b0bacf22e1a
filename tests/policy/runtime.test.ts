import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
  Policy,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { parsePolicyConfig, PolicyConfigError, reconcilePolicyConfig } from "../../offline/policy-config";
import { analyzeGraph } from "../../offline/policy-runtime";
import { providerUrnOf } from "../../offline/policy-runtime-resources";
import { lakehousePolicyPack } from "../../offline/policy-evaluation";
import { packOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

/** The string the engine sends for a value that is not known during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const bucketNamed = (level?: Policy["enforcementLevel"]): ResourceValidationPolicy => ({
  name: `bucket-${level ?? "default"}`,
  description: "Buckets are reported.",
  ...(level === undefined ? {} : { enforcementLevel: level }),
  validateResource: validateResourceOfType(aws.s3.Bucket, (_bucket, args, report) =>
    report(`saw ${args.name}`),
  ),
});

function oneBucket(inputs: Record<string, unknown> = {}): FixtureStack {
  const f = new FixtureStack();
  f.add("aws:s3/bucket:Bucket", "data", inputs);
  return f;
}

describe("offline policy runtime (the @pulumi/policy 1.21 analyzer, in-process)", () => {
  it("resolves enforcement levels: config, then the policy's own, then the pack's; remediate reports as mandatory", async () => {
    const pack = {
      ...packOf(bucketNamed(), bucketNamed("advisory"), bucketNamed("remediate"), bucketNamed("disabled")),
    };
    const result = await analyzeGraph(pack, reconcilePolicyConfig(pack), oneBucket().records);
    expect(result.diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.message])).to.deep.equal([
      ["bucket-default", "mandatory", "Buckets are reported.\nsaw data"],
      ["bucket-advisory", "advisory", "Buckets are reported.\nsaw data"],
      ["bucket-remediate", "mandatory", "Buckets are reported.\nsaw data"],
    ]);
    const all = reconcilePolicyConfig(
      pack,
      parsePolicyConfig('{"all": "advisory", "bucket-default": "disabled"}'),
    );
    const configured = await analyzeGraph(pack, all, oneBucket().records);
    expect(configured.diagnostics.map((d) => [d.policyName, d.enforcementLevel])).to.deep.equal([
      ["bucket-advisory", "advisory"],
      ["bucket-remediate", "advisory"],
      ["bucket-disabled", "advisory"],
    ]);
  });

  it("reports a value unknown during preview as an advisory that the policy could not run", async () => {
    const policy: ResourceValidationPolicy = {
      name: "reads-bucket",
      description: "Reads the bucket input.",
      validateResource: validateResourceOfType(aws.s3.BucketVersioning, (versioning, _args, report) =>
        report(versioning.bucket),
      ),
    };
    const f = new FixtureStack();
    f.add("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: UNKNOWN });
    const result = await analyzeGraph(packOf(policy), {}, f.records);
    expect(result.diagnostics).to.deep.equal([
      {
        policyName: "reads-bucket",
        description: "Reads the bucket input.",
        message:
          "can't run policy 'reads-bucket' from policy pack 'fixture-pack@v0.0.0' during preview: string value at .bucket can't be known during preview",
        enforcementLevel: "advisory",
        urn: f.records[0].urn,
      },
    ]);
  });

  it("fails the analysis when a policy throws, naming the policy", async () => {
    const policy: ResourceValidationPolicy = {
      name: "broken",
      description: "Throws.",
      validateResource: () => {
        throw new Error("boom");
      },
    };
    const error = await analyzeGraph(packOf(policy), {}, oneBucket().records).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message.split("\n")[0]).to.equal(
      "Error validating resource with policy 'broken' from policy pack 'fixture-pack@v0.0.0': Error: boom",
    );
  });

  it("gives resource policies the provider, the parent option and type helpers; stack policies parents and dependencies", async () => {
    const f = new FixtureStack();
    const provider = f.awsProvider("dev");
    const component = f.add("lakehouse:storage:LakehouseBucket", "data", {}, { custom: false });
    const bucket = f.add(
      "aws:s3/bucket:Bucket",
      "data",
      { forceDestroy: false },
      { parent: component, provider },
    );
    f.add(
      "aws:s3/bucketVersioning:BucketVersioning",
      "data-versioning",
      { bucket: "data" },
      { parent: component, refs: { bucket } },
    );
    const seen: unknown[] = [];
    const resourcePolicy: ResourceValidationPolicy = {
      name: "sees",
      description: "Records what it sees.",
      validateResource: (args) => {
        if (args.isType(aws.s3.Bucket)) {
          seen.push([
            args.provider?.name,
            args.provider?.type,
            args.opts.parent,
            args.asType(aws.s3.Bucket)?.forceDestroy,
            args.asType(aws.kms.Key),
          ]);
        }
      },
    };
    const stackPolicy: StackValidationPolicy = {
      name: "sees-stack",
      description: "Records the stack.",
      validateStack: (args) => {
        const versioning = args.resources.find((r) => r.name === "data-versioning");
        seen.push([
          versioning?.parent?.type,
          versioning?.dependencies.map((d) => d.name),
          versioning?.propertyDependencies.bucket?.[0]?.props.arn,
        ]);
      },
    };
    await analyzeGraph(packOf(resourcePolicy, stackPolicy), {}, f.records);
    expect(seen).to.deep.equal([
      ["aws", "pulumi:providers:aws", component.urn, false, undefined],
      ["lakehouse:storage:LakehouseBucket", ["data"], "arn:aws:s3:::data"],
    ]);
  });

  it("reads a resource's provider URN from its provider reference (<provider URN>::<provider id>)", () => {
    const provider = {
      provider:
        "urn:pulumi:dev::iceberg-lakehouse::lakehouse:index:Lakehouse$pulumi:providers:aws::a::b::id-1",
    };
    expect(providerUrnOf(provider)).to.equal(
      "urn:pulumi:dev::iceberg-lakehouse::lakehouse:index:Lakehouse$pulumi:providers:aws::a::b",
    );
    expect(providerUrnOf({})).to.equal(undefined);
  });
});

describe("offline policy configuration (what the CLI does before Configure)", () => {
  const pack = lakehousePolicyPack();

  it("starts every policy from its schema defaults and level, and lets user config override", () => {
    const config = reconcilePolicyConfig(
      pack,
      parsePolicyConfig(
        '{"glue-supported-version": {"allowedGlueVersions": ["5.0"]}, "sfn-xray-tracing": "advisory"}',
      ),
    );
    expect(config["glue-supported-version"]).to.deep.equal({
      enforcementLevel: "mandatory",
      properties: { allowedGlueVersions: ["5.0"] },
    });
    expect(config["sfn-xray-tracing"]).to.deep.equal({ enforcementLevel: "advisory" });
    expect(config["kms-key-deletion-window"]).to.deep.equal({
      enforcementLevel: "mandatory",
      properties: { minimumDeletionWindowDays: 30 },
    });
  });

  it("refuses values the config schemas do not accept, naming the policy and the key", () => {
    const bad = parsePolicyConfig(
      '{"kms-key-deletion-window": {"minimumDeletionWindowDays": 3}, "glue-supported-version": {"allowedGlueVersions": ["five"]}}',
    );
    expect(() => reconcilePolicyConfig(pack, bad))
      .to.throw(PolicyConfigError)
      .with.property("problems")
      .that.deep.equals([
        "[kms-key-deletion-window.minimumDeletionWindowDays] should be >= 7",
        '[glue-supported-version.allowedGlueVersions[0]] should match pattern "^[0-9]+\\.[0-9]+$"',
      ]);
  });

  it("refuses a config file that is not a map of levels or objects", () => {
    expect(() => parsePolicyConfig('{"sfn-xray-tracing": "strict"}')).to.throw(
      '[sfn-xray-tracing] "strict" is not an enforcement level; accepted: advisory, mandatory, remediate, disabled',
    );
    expect(() => parsePolicyConfig('{"sfn-xray-tracing": 3}')).to.throw(
      "[sfn-xray-tracing] 3 is not a valid value; must be a string or object",
    );
    expect(() => parsePolicyConfig("[1]")).to.throw("[policy config] must be an object keyed by policy name");
    expect(parsePolicyConfig("  ")).to.deep.equal({});
  });
});
