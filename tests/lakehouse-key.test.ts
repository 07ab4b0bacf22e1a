import { expect } from "chai";
import { LakehouseKey } from "../components/lakehouse-key";
import { componentGraph, jsonInput, resource } from "./helpers/graph";

describe("LakehouseKey", () => {
  const build = () =>
    componentGraph(
      (context) =>
        new LakehouseKey("key", {
          context,
          alias: "iceberg-lakehouse-unit",
          deletionWindowDays: 30,
          stateful: { protect: true, retainOnDelete: true },
        }),
    );

  it("creates a rotating key, protected and retained, with its alias", async () => {
    const graph = await build();
    const key = resource(graph, "aws:kms/key:Key", "key");
    expect(key.inputs.enableKeyRotation).to.equal(true);
    expect(key.inputs.deletionWindowInDays).to.equal(30);
    expect([key.protect, key.retainOnDelete]).to.deep.equal([true, true]);
    expect(resource(graph, "aws:kms/alias:Alias", "key-alias").inputs).to.deep.equal({
      name: "alias/iceberg-lakehouse-unit",
      targetKeyId: "key-key-id",
    });
  });

  it("names exactly the root account and the three services that encrypt with it", async () => {
    const policy = jsonInput<{
      Statement: { Sid: string; Principal: unknown; Action: unknown; Condition?: unknown }[];
    }>(resource(await build(), "aws:kms/key:Key", "key"), "policy");
    expect(policy.Statement.map((s) => [s.Sid, s.Principal])).to.deep.equal([
      ["AccountRootAdministersKeyAndEnablesIamPolicies", { AWS: "arn:aws:iam::123456789012:root" }],
      ["CloudWatchLogsEncryptsThisAccountsLogGroups", { Service: "logs.eu-west-1.amazonaws.com" }],
      ["CloudTrailEncryptsThisAccountsTrails", { Service: "cloudtrail.amazonaws.com" }],
      ["S3ServerAccessLogDeliveryEncrypts", { Service: "logging.s3.amazonaws.com" }],
    ]);
    expect(policy.Statement[1].Condition).to.deep.equal({
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" },
    });
    expect(policy.Statement[2].Condition).to.deep.equal({
      StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*" },
      StringEquals: { "aws:SourceAccount": "123456789012" },
    });
    expect(policy.Statement[3]).to.deep.include({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
  });
});
