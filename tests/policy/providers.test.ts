import { expect } from "chai";
import { awsProviderSingleTarget, stackEnvironmentTag } from "../../policy/providers";
import { productionStatefulProtected } from "../../policy/stateful-protection";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

/** A prod stack: its tagged provider and a bucket through it. */
function prodStack() {
  const f = new FixtureStack();
  const provider = f.awsProvider("prod");
  f.add("aws:s3/bucket:Bucket", "data", {}, { provider, protect: true });
  return { f, provider };
}

describe("policy: AWS providers", () => {
  it("aws-provider-single-target passes one provider, and a second one to the same place", async () => {
    const { f } = prodStack();
    f.awsProvider("prod", "same-place");
    expect(await violationsOf(awsProviderSingleTarget, f.records)).to.deep.equal([]);
  });

  it("aws-provider-single-target reports another region, role or credentials, and a resource's own region", async () => {
    const { f, provider } = prodStack();
    f.add("pulumi:providers:aws", "us", {
      region: "us-east-1",
      assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::999999999999:role/deploy" }]),
      accessKey: "AKIAEXAMPLE",
    });
    f.add("aws:s3/bucket:Bucket", "replica", { region: "us-west-2" }, { provider });
    f.add("pulumi-nodejs:dynamic/lakehouse:IcebergTable", "orders", {
      name: "orders",
      region: "eu-central-1",
    });
    expect(await violationsOf(awsProviderSingleTarget, f.records)).to.deep.equal([
      { resource: "us", message: 'AWS provider "us" holds static credentials (accessKey)' },
      {
        resource: "(stack)",
        message: `the stack's AWS providers disagree on region: "eu-west-1" (aws), "us-east-1" (us)`,
      },
      {
        resource: "(stack)",
        message: `the stack's AWS providers disagree on assumeRoles: (unset) (aws), [{"roleArn":"arn:aws:iam::999999999999:role/deploy"}] (us)`,
      },
      {
        resource: "replica",
        message: 'Bucket "replica" sets region "us-west-2", not its provider\'s ("eu-west-1")',
      },
      {
        resource: "orders",
        message:
          'IcebergTable "orders" sets region "eu-central-1", not the stack\'s ("eu-west-1", "us-east-1")',
      },
    ]);
  });

  it("stack-environment-tag reports providers that disagree on a default tag and a resource overriding one", async () => {
    const { f, provider } = prodStack();
    f.add("pulumi:providers:aws", "other", {
      region: "eu-west-1",
      defaultTags: JSON.stringify({ tags: { Project: "something-else", Environment: "prod" } }),
    });
    f.add("aws:sns/topic:Topic", "alerts", { tags: { Environment: "dev", Team: "data" } }, { provider });
    expect(await violationsOf(stackEnvironmentTag, f.records)).to.deep.equal([
      {
        resource: "(stack)",
        message: `the stack's AWS providers disagree on default tag Project: "iceberg-lakehouse", "something-else"`,
      },
      { resource: "alerts", message: 'Topic "alerts" overrides default tag Environment ("prod") with "dev"' },
    ]);
  });

  it("prod-stateful-resources-protected holds a stack whose providers disagree (an untagged extra one) to the rule", async () => {
    const { f } = prodStack();
    const untagged = f.awsProvider(undefined, "untagged");
    f.add("aws:s3/bucketV2:BucketV2", "scratch", {}, { provider: untagged });
    expect(await violationsOf(productionStatefulProtected, f.records)).to.deep.equal([
      {
        resource: "scratch",
        message: 'bucket "scratch" is not protected in a stack with no single known Environment tag',
      },
    ]);
  });
});
