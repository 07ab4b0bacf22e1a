import { expect } from "chai";
import { kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardPrincipal, kmsKeyRotation } from "../../policy/kms";
import { policyJson } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const ROOT = { AWS: "arn:aws:iam::123456789012:root" };

function withKey(environment: string, inputs: Record<string, unknown>): FixtureStack {
  const f = new FixtureStack();
  f.add("aws:kms/key:Key", "key", inputs, { provider: f.awsProvider(environment) });
  return f;
}

describe("policy: KMS", () => {
  it("kms-key-rotation passes a rotating key and reports one that does not rotate", async () => {
    expect(
      await violationsOf(kmsKeyRotation, withKey("dev", { enableKeyRotation: true }).records),
    ).to.deep.equal([]);
    expect(await violationsOf(kmsKeyRotation, withKey("dev", {}).records)).to.deep.equal([
      { resource: "key", message: 'KMS key "key" does not rotate (enableKeyRotation is not true)' },
    ]);
  });

  it("kms-key-rotation is not applicable to asymmetric keys", async () => {
    const f = withKey("dev", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
    expect(await violationsOf(kmsKeyRotation, f.records)).to.deep.equal([]);
    expect(await notApplicableOf(kmsKeyRotation, f.records)).to.deep.equal([
      "aws: Policy only applies to resources of type 'aws:kms/key:Key'",
      "key: Key spec RSA_2048 does not support automatic rotation",
    ]);
  });

  it("kms-key-deletion-window holds prod keys to 30 days (AWS default counts) and skips other stacks", async () => {
    expect(
      await violationsOf(kmsKeyDeletionWindow, withKey("prod", { deletionWindowInDays: 30 }).records),
    ).to.deep.equal([]);
    expect(await violationsOf(kmsKeyDeletionWindow, withKey("prod", {}).records)).to.deep.equal([]);
    expect(
      await violationsOf(kmsKeyDeletionWindow, withKey("prod", { deletionWindowInDays: 7 }).records),
    ).to.deep.equal([
      {
        resource: "key",
        message: 'KMS key "key" has a 7-day deletion window; production keys need at least 30 days',
      },
    ]);
    expect(
      await notApplicableOf(kmsKeyDeletionWindow, withKey("dev", { deletionWindowInDays: 7 }).records),
    ).to.deep.equal([
      "aws: Policy only applies to resources of type 'aws:kms/key:Key'",
      "key: Policy only applies to production stacks",
    ]);
  });

  it("kms-key-deletion-window takes its minimum from the policy config", async () => {
    const config = { "kms-key-deletion-window": { properties: { minimumDeletionWindowDays: 14 } } };
    const f = withKey("prod", { deletionWindowInDays: 10 });
    expect(await violationsOf(kmsKeyDeletionWindow, f.records, config)).to.deep.equal([
      {
        resource: "key",
        message: 'KMS key "key" has a 10-day deletion window; production keys need at least 14 days',
      },
    ]);
  });

  it("kms-key-deletion-window holds a key whose provider names no environment to the production minimum", async () => {
    const f = new FixtureStack();
    f.add(
      "aws:kms/key:Key",
      "key",
      { deletionWindowInDays: 7 },
      { provider: f.awsProvider(undefined, "untagged") },
    );
    expect(await violationsOf(kmsKeyDeletionWindow, f.records)).to.deep.equal([
      {
        resource: "key",
        message:
          'KMS key "key" has a 7-day deletion window; keys of a provider without a known Environment need at least 30 days',
      },
    ]);
  });

  it("kms-key-policy-no-wildcard-principal reads aws.kms.KeyPolicy resources too", async () => {
    const f = new FixtureStack();
    const root = { Effect: "Allow", Principal: ROOT, Action: "kms:*", Resource: "*" };
    f.add("aws:kms/keyPolicy:KeyPolicy", "fine", { keyId: "k1", policy: policyJson(root) });
    f.add("aws:kms/keyPolicy:KeyPolicy", "open", {
      keyId: "k2",
      policy: policyJson(root, {
        Sid: "Everyone",
        Effect: "Allow",
        Principal: "*",
        Action: "kms:Decrypt",
        Resource: "*",
      }),
    });
    expect(await violationsOf(kmsKeyPolicyNoWildcardPrincipal, f.records)).to.deep.equal([
      {
        resource: "open",
        message: 'statement "Everyone" of the policy of KMS key "open" allows principal "*"',
      },
    ]);
  });

  it("kms-key-policy-no-wildcard-principal passes root and service principals, reports a wildcard", async () => {
    const root = { Sid: "Root", Effect: "Allow", Principal: ROOT, Action: "kms:*", Resource: "*" };
    const logs = {
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Action: "kms:Encrypt",
      Resource: "*",
    };
    const anyone = { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" };
    expect(
      await violationsOf(
        kmsKeyPolicyNoWildcardPrincipal,
        withKey("dev", { policy: policyJson(root, logs) }).records,
      ),
    ).to.deep.equal([]);
    expect(
      await violationsOf(
        kmsKeyPolicyNoWildcardPrincipal,
        withKey("dev", { policy: policyJson(root, logs, anyone) }).records,
      ),
    ).to.deep.equal([
      { resource: "key", message: 'statement #3 of the policy of KMS key "key" allows principal "*"' },
    ]);
  });
});
