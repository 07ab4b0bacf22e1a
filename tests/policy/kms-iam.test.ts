import { expect } from "chai";
import {
  iamNoPrivilegeEscalation,
  iamNoWildcardActions,
  iamNoWildcardResource,
  iamTrustPolicyExactPrincipal,
} from "../../policy/iam";
import { kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardPrincipal, kmsKeyRotation } from "../../policy/kms";
import { policyJson } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const ROOT = { AWS: "arn:aws:iam::123456789012:root" };
const GLUE_TRUST = policyJson({
  Effect: "Allow",
  Principal: { Service: "glue.amazonaws.com" },
  Action: "sts:AssumeRole",
});

function withKey(environment: string, inputs: Record<string, unknown>): FixtureStack {
  const f = new FixtureStack();
  f.add("aws:kms/key:Key", "key", inputs, { provider: f.awsProvider(environment) });
  return f;
}

function withRolePolicy(...statements: Record<string, unknown>[]): FixtureStack {
  const f = new FixtureStack();
  const role = f.add("aws:iam/role:Role", "job-role", { assumeRolePolicy: GLUE_TRUST });
  f.add(
    "aws:iam/rolePolicy:RolePolicy",
    "job-access",
    { role: "job-role", policy: policyJson(...statements) },
    { refs: { role } },
  );
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

describe("policy: IAM", () => {
  const scoped = {
    Sid: "ReadTables",
    Effect: "Allow",
    Action: ["s3:GetObject"],
    Resource: "arn:aws:s3:::data/raw/*",
  };

  it("iam-no-wildcard-actions passes named actions, reports service and global wildcards and NotAction", async () => {
    expect(await violationsOf(iamNoWildcardActions, withRolePolicy(scoped).records)).to.deep.equal([]);
    const glue = {
      Sid: "Glue",
      Effect: "Allow",
      Action: "glue:*",
      Resource: "arn:aws:glue:eu-west-1:123456789012:catalog",
    };
    const all = { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::data" };
    const allBut = { Sid: "AllBut", Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::data" };
    const denyAll = { Effect: "Deny", Action: "*", Resource: "*" };
    expect(
      await violationsOf(iamNoWildcardActions, withRolePolicy(glue, all, allBut, denyAll).records),
    ).to.deep.equal([
      {
        resource: "job-access",
        message: 'statement "Glue" of role policy "job-access" allows every action of a service ("glue:*")',
      },
      {
        resource: "job-access",
        message: 'statement #2 of role policy "job-access" allows every action of every service ("*")',
      },
      {
        resource: "job-access",
        message:
          'statement "AllBut" of role policy "job-access" allows every action except iam:* (NotAction)',
      },
    ]);
  });

  it("iam-no-wildcard-actions reads managed policies and a role's inline policies too", async () => {
    const f = new FixtureStack();
    const wildcard = policyJson({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::data" });
    f.add("aws:iam/policy:Policy", "managed", { policy: wildcard });
    f.add("aws:iam/role:Role", "role", {
      assumeRolePolicy: GLUE_TRUST,
      inlinePolicies: [{ name: "inline", policy: wildcard }],
    });
    expect(await violationsOf(iamNoWildcardActions, f.records)).to.deep.equal([
      {
        resource: "managed",
        message: 'statement #1 of policy "managed" allows every action of a service ("s3:*")',
      },
      {
        resource: "role",
        message:
          'statement #1 of inline policy "inline" of role "role" allows every action of a service ("s3:*")',
      },
    ]);
  });

  it("iam-no-wildcard-resource allows only unscoped actions on *", async () => {
    const metrics = { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" };
    const xray = {
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:GetSamplingRules"],
      Resource: "*",
    };
    expect(
      await violationsOf(iamNoWildcardResource, withRolePolicy(scoped, metrics, xray).records),
    ).to.deep.equal([]);
    const tables = {
      Sid: "Tables",
      Effect: "Allow",
      Action: ["glue:GetTable", "cloudwatch:PutMetricData", "glue:UpdateTable"],
      Resource: "*",
    };
    const except = {
      Sid: "Except",
      Effect: "Allow",
      Action: "s3:GetObject",
      NotResource: "arn:aws:s3:::secret/*",
    };
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(tables, except).records)).to.deep.equal([
      {
        resource: "job-access",
        message:
          'statement "Tables" of role policy "job-access" grants glue:GetTable, glue:UpdateTable on Resource "*"',
      },
      {
        resource: "job-access",
        message:
          'statement "Except" of role policy "job-access" grants its actions on every resource except arn:aws:s3:::secret/* (NotResource)',
      },
    ]);
  });

  it("iam-no-wildcard-resource extends its list of unscoped actions from the policy config", async () => {
    const list = { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" };
    const config = {
      "iam-no-wildcard-resource": { properties: { actionsWithoutResourceScoping: ["s3:List*"] } },
    };
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(list).records, config)).to.deep.equal([]);
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(list).records)).to.deep.equal([
      {
        resource: "job-access",
        message: 'statement #1 of role policy "job-access" grants s3:ListAllMyBuckets on Resource "*"',
      },
    ]);
  });

  it("iam-no-privilege-escalation passes PassRole on one role, reports wildcards in escalation grants", async () => {
    const pass = {
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::123456789012:role/emr-instances",
    };
    expect(await violationsOf(iamNoPrivilegeEscalation, withRolePolicy(pass).records)).to.deep.equal([]);
    const anyRole = {
      Sid: "PassAny",
      Effect: "Allow",
      Action: "iam:Pass*",
      Resource: "arn:aws:iam::123456789012:role/*",
    };
    const attach = { Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:PutRolePolicy"], Resource: "*" };
    expect(
      await violationsOf(iamNoPrivilegeEscalation, withRolePolicy(anyRole, attach).records),
    ).to.deep.equal([
      {
        resource: "job-access",
        message:
          'statement "PassAny" of role policy "job-access" grants iam:PassRole on "arn:aws:iam::123456789012:role/*"',
      },
      {
        resource: "job-access",
        message:
          'statement #2 of role policy "job-access" grants iam:AttachRolePolicy, iam:PutRolePolicy on "*"',
      },
    ]);
  });

  it("iam-trust-policy-exact-principal passes a named service, reports wildcards and NotPrincipal", async () => {
    expect(await violationsOf(iamTrustPolicyExactPrincipal, withRolePolicy(scoped).records)).to.deep.equal(
      [],
    );
    const f = new FixtureStack();
    const trust = policyJson(
      { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { Service: "*.amazonaws.com" }, Action: "sts:AssumeRole" },
      { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" },
    );
    f.add("aws:iam/role:Role", "open-role", { assumeRolePolicy: trust });
    expect(await violationsOf(iamTrustPolicyExactPrincipal, f.records)).to.deep.equal([
      {
        resource: "open-role",
        message:
          'statement "Anyone" of the trust policy of role "open-role" lets principal "*" assume the role',
      },
      {
        resource: "open-role",
        message:
          'statement #2 of the trust policy of role "open-role" lets principal "*.amazonaws.com" assume the role',
      },
      {
        resource: "open-role",
        message:
          'statement #3 of the trust policy of role "open-role" uses NotPrincipal: every principal but the named ones may assume the role',
      },
    ]);
  });
});
