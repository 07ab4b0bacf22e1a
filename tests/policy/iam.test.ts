import { expect } from "chai";
import {
  iamNoPrivilegeEscalation,
  iamNoWildcardActions,
  iamNoWildcardResource,
  iamTrustPolicyExactPrincipal,
} from "../../policy/iam";
import { policyJson } from "./helpers/compliant";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const GLUE_TRUST = policyJson({
  Effect: "Allow",
  Principal: { Service: "glue.amazonaws.com" },
  Action: "sts:AssumeRole",
});

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

  it("iam-no-wildcard-resource passes actions AWS documents without resource-level permissions, and the config's", async () => {
    const unscopable = {
      Effect: "Allow",
      Action: ["s3:ListAllMyBuckets", "ec2:DescribeInstances", "logs:CreateLogDelivery", "kms:ListAliases"],
      Resource: "*",
    };
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(unscopable).records)).to.deep.equal([]);
    const read = { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectz"], Resource: "*" };
    const config = {
      "iam-no-wildcard-resource": { properties: { actionsWithoutResourceScoping: ["s3:Get*"] } },
    };
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(read).records, config)).to.deep.equal([]);
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(read).records)).to.deep.equal([
      {
        resource: "job-access",
        // An action the reference does not know (a typo) counts as scopable: the pack fails closed.
        message:
          'statement #1 of role policy "job-access" grants s3:GetObject, s3:GetObjectz on Resource "*"',
      },
    ]);
  });

  it("iam-no-wildcard-resource reports ARNs that reach every bucket, object, key or role", async () => {
    const broad = {
      Sid: "Broad",
      Effect: "Allow",
      Action: ["s3:GetObject", "kms:Decrypt"],
      Resource: [
        "arn:aws:s3:::*/*",
        "arn:aws:kms:eu-west-1:*:key/abc",
        "arn:aws:kms:eu-west-1:123456789012:key/*",
        "arn:aws:s3:::data/raw/*",
      ],
    };
    expect(await violationsOf(iamNoWildcardResource, withRolePolicy(broad).records)).to.deep.equal(
      [
        ["arn:aws:s3:::*/*", "every bucket"],
        ["arn:aws:kms:eu-west-1:*:key/abc", "every account"],
        ["arn:aws:kms:eu-west-1:123456789012:key/*", "every kms key"],
      ].map(([arn, reach]) => ({
        resource: "job-access",
        message: `statement "Broad" of role policy "job-access" grants s3:GetObject, kms:Decrypt on "${arn}", which reaches ${reach}`,
      })),
    );
  });

  it("iam-no-wildcard-resource passes the keys of one account pinned to exact aliases (kms:ResourceAliases)", async () => {
    const keys = "arn:aws:kms:eu-west-1:123456789012:key/*";
    const byAlias = (aliases: unknown, operator = "ForAnyValue:StringEquals") => ({
      Sid: "OwnersKey",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: keys,
      Condition: { [operator]: { "kms:ResourceAliases": aliases } },
    });
    const pinned = withRolePolicy(byAlias("alias/iceberg-lakehouse-dev")).records;
    expect(await violationsOf(iamNoWildcardResource, pinned)).to.deep.equal([]);
    const reaches = {
      resource: "job-access",
      message: `statement "OwnersKey" of role policy "job-access" grants kms:Decrypt on "${keys}", which reaches every kms key`,
    };
    // A pattern of aliases, or a condition that does not pin them, still reaches every key.
    for (const loose of [
      byAlias("alias/*", "ForAnyValue:StringLike"),
      byAlias("alias/team-*"),
      byAlias([]),
    ]) {
      expect(await violationsOf(iamNoWildcardResource, withRolePolicy(loose).records)).to.deep.equal([
        reaches,
      ]);
    }
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

  it("iam-no-privilege-escalation reports permission-rewriting actions on one exact role too", async () => {
    const ownRole = {
      Sid: "GrowOwnRole",
      Effect: "Allow",
      Action: "iam:PutRolePolicy",
      Resource: "arn:aws:iam::123456789012:role/job-role",
    };
    expect(await violationsOf(iamNoPrivilegeEscalation, withRolePolicy(ownRole).records)).to.deep.equal([
      {
        resource: "job-access",
        message:
          'statement "GrowOwnRole" of role policy "job-access" grants iam:PutRolePolicy on "arn:aws:iam::123456789012:role/job-role"',
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

  it("iam-trust-policy-exact-principal refuses accounts, roles and identity providers unless trusted", async () => {
    const f = new FixtureStack();
    const trust = policyJson(
      {
        Sid: "Partner",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::999999999999:root" },
        Action: "sts:AssumeRole",
      },
      {
        Sid: "Ci",
        Effect: "Allow",
        Principal: {
          Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        },
        Action: "sts:AssumeRoleWithWebIdentity",
      },
      { Sid: "Typo", Effect: "Allow", Principal: { Service: "glue" }, Action: "sts:AssumeRole" },
    );
    f.add("aws:iam/role:Role", "shared-role", { assumeRolePolicy: trust });
    expect(await violationsOf(iamTrustPolicyExactPrincipal, f.records)).to.deep.equal([
      {
        resource: "shared-role",
        message:
          'statement "Partner" of the trust policy of role "shared-role" lets AWS principal "arn:aws:iam::999999999999:root" assume the role; it is not in trustedPrincipals',
      },
      {
        resource: "shared-role",
        message:
          'statement "Ci" of the trust policy of role "shared-role" lets Federated principal "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" assume the role; it is not in trustedPrincipals',
      },
      {
        resource: "shared-role",
        message:
          'statement "Typo" of the trust policy of role "shared-role" names "glue", which is not an AWS service principal',
      },
    ]);
    const config = {
      "iam-trust-policy-exact-principal": {
        properties: {
          trustedPrincipals: [
            "arn:aws:iam::999999999999:root",
            "arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com",
          ],
        },
      },
    };
    expect(
      (await violationsOf(iamTrustPolicyExactPrincipal, f.records, config)).map((v) => v.message),
    ).to.deep.equal([
      'statement "Typo" of the trust policy of role "shared-role" names "glue", which is not an AWS service principal',
    ]);
  });
});
