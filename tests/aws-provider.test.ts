import { expect } from "chai";
import { createLakehouse } from "../components/lakehouse";
import { SUPPORTED_AWS_SETTINGS, TEXT_AWS_SETTINGS } from "../config/aws-settings";
import { loadStackConfig, PROJECT_NAME, readStackConfigFile } from "../config/load";
import { parseLakehouseConfig } from "../config/stack-config";
import { providerUrnOf } from "../offline/policy-runtime-resources";
import { ResourceRecord } from "../offline/resource-graph";
import { captureStackGraph } from "../offline/stack-graph";
import { EVERY_AWS_SETTING } from "./helpers/aws-settings-fixture";
import { captureWithPulumiConfig, ofType } from "./helpers/graph";

/** The stack's one AWS provider and its inputs as the engine receives them (objects JSON-encoded). */
function providerOf(graph: readonly ResourceRecord[]): ResourceRecord {
  const providers = ofType(graph, "pulumi:providers:aws");
  expect(providers).to.have.length(1);
  return providers[0];
}

/** A provider input read back into the value the stack file gave. */
function decoded(provider: ResourceRecord, key: string): unknown {
  const value = provider.inputs[key];
  return TEXT_AWS_SETTINGS.includes(key) ? value : JSON.parse(value as string);
}

/** Inputs the @pulumi/aws Provider class fills in itself when they are unset. */
const PROVIDER_CLASS_DEFAULTS = { skipCredentialsValidation: "false", skipRegionValidation: "true" };

describe("the stack's AWS provider gets the stack file's aws: settings (components/aws-provider.ts)", () => {
  const dev = readStackConfigFile("dev");

  it("passes each supported setting to the provider's inputs, and nothing else", async () => {
    const config = parseLakehouseConfig({ ...dev, aws: EVERY_AWS_SETTING });
    const provider = providerOf(await captureStackGraph("dev", config));
    const settings = Object.keys(EVERY_AWS_SETTING);
    expect(Object.fromEntries(settings.map((key) => [key, decoded(provider, key)]))).to.deep.equal(
      EVERY_AWS_SETTING,
    );
    expect(Object.keys(provider.inputs).sort()).to.deep.equal(
      ["region", "defaultTags", ...settings, ...Object.keys(PROVIDER_CLASS_DEFAULTS)].sort(),
    );
    expect([provider.inputs.region, provider.inputs.skipCredentialsValidation]).to.deep.equal([
      "eu-west-1",
      "false",
    ]);
    // Every supported setting but the legacy one-role form (read as assumeRoles) is exercised here.
    expect(SUPPORTED_AWS_SETTINGS.filter((s) => s !== "region" && !settings.includes(s))).to.deep.equal([
      "assumeRole",
      "forbiddenAccountIds",
    ]);
  });

  it("passes aws:forbiddenAccountIds, and aws:assumeRole as a one-role assumeRoles", async () => {
    const role = { roleArn: "arn:aws:iam::210987654321:role/deploy", sessionName: "ci" };
    const config = parseLakehouseConfig({
      ...dev,
      aws: { forbiddenAccountIds: ["444455556666"], assumeRole: role },
    });
    const provider = providerOf(await captureStackGraph("dev", config));
    expect([decoded(provider, "forbiddenAccountIds"), decoded(provider, "assumeRoles")]).to.deep.equal([
      ["444455556666"],
      [role],
    ]);
    expect(provider.inputs).not.to.have.property("assumeRole");
  });

  it("reads the settings from Pulumi config as index.ts does under pulumi up, for every AWS resource", async () => {
    const entries: Record<string, string> = {
      "aws:region": "eu-west-1",
      [`${PROJECT_NAME}:lakehouse`]: JSON.stringify({ environment: "dev" }),
    };
    for (const [key, value] of Object.entries(EVERY_AWS_SETTING)) {
      entries[`aws:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const { graph, error } = await captureWithPulumiConfig("staging", entries, () =>
      createLakehouse(loadStackConfig()),
    );
    expect(error).to.equal(undefined);
    const provider = providerOf(graph);
    expect(
      Object.fromEntries(Object.keys(EVERY_AWS_SETTING).map((k) => [k, decoded(provider, k)])),
    ).to.deep.equal(EVERY_AWS_SETTING);
    const aws = graph.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(aws.length).to.be.greaterThan(60);
    expect(aws.filter((r) => providerUrnOf(r) !== provider.urn).map((r) => r.name)).to.deep.equal([]);
  });

  it("refuses an unsupported aws: setting in Pulumi config by name, before any resource", async () => {
    const { graph, error } = await captureWithPulumiConfig(
      "staging",
      {
        "aws:region": "eu-west-1",
        "aws:skipMetadataApiCheck": "true",
        [`${PROJECT_NAME}:lakehouse`]: JSON.stringify({ environment: "dev" }),
      },
      () => createLakehouse(loadStackConfig()),
    );
    expect(graph).to.deep.equal([]);
    expect((error as Error).message).to.match(
      /^Invalid stack configuration:\n {2}- \[aws:skipMetadataApiCheck\] is not supported by this stack; supported: aws:region, aws:profile, /,
    );
  });
});
