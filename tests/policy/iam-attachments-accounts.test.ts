import { expect } from "chai";
import { noUntrustedAccounts } from "../../policy/accounts";
import { iamManagedPoliciesAllowListed } from "../../policy/iam-attachments";
import { policyJson } from "./helpers/compliant";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const trust = (service: string, account = "123456789012") =>
  policyJson({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": account } },
  });
const EMR_V2 = "arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

function roles() {
  const f = new FixtureStack();
  const emr = f.add("aws:iam/role:Role", "emr-service", {
    name: "emr-service",
    assumeRolePolicy: trust("elasticmapreduce.amazonaws.com"),
  });
  const glue = f.add("aws:iam/role:Role", "job-role", {
    name: "job-role",
    assumeRolePolicy: trust("glue.amazonaws.com"),
  });
  return { f, emr, glue };
}

describe("policy: IAM attachments and accounts", () => {
  describe("iam-managed-policies-allow-listed", () => {
    it("passes the stack's own policies and EMR's v2 policy on a role EMR assumes", async () => {
      const { f, emr, glue } = roles();
      f.add(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "emr-managed",
        { role: "emr-service", policyArn: EMR_V2 },
        { refs: { role: emr } },
      );
      const own = f.add("aws:iam/policy:Policy", "job-extra", {
        policy: policyJson({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" }),
      });
      f.add(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "job-extra-attachment",
        { role: "job-role", policyArn: own.outputs.arn },
        { refs: { role: glue, policyArn: own } },
      );
      expect(await violationsOf(iamManagedPoliciesAllowListed, f.records)).to.deep.equal([]);
    });

    it("reports an AWS managed admin policy by any path, and EMR's policy on a Glue role", async () => {
      const { f, glue } = roles();
      f.add(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "job-admin",
        { role: "job-role", policyArn: ADMIN },
        { refs: { role: glue } },
      );
      f.add(
        "aws:iam/policyAttachment:PolicyAttachment",
        "job-emr",
        { roles: ["job-role"], users: ["ci"], policyArn: EMR_V2 },
        { refs: { roles: glue } },
      );
      f.add("aws:iam/role:Role", "wide-role", {
        assumeRolePolicy: trust("glue.amazonaws.com"),
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
      });
      f.add("aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", "admins", {
        groupName: "admins",
        policyArns: [ADMIN],
      });
      const tail =
        ", which is neither a policy of the stack nor allow-listed for it (allowedManagedPolicies)";
      expect(await violationsOf(iamManagedPoliciesAllowListed, f.records)).to.deep.equal([
        {
          resource: "wide-role",
          message: `role "wide-role" gets managed policy "arn:aws:iam::aws:policy/AmazonS3FullAccess"${tail}`,
        },
        { resource: "job-admin", message: `role "job-role" gets managed policy "${ADMIN}"${tail}` },
        { resource: "job-emr", message: `role "job-role" gets managed policy "${EMR_V2}"${tail}` },
        { resource: "job-emr", message: `user "ci" gets managed policy "${EMR_V2}"${tail}` },
        { resource: "admins", message: `group "admins" gets managed policy "${ADMIN}"${tail}` },
      ]);
    });
  });

  describe("no-untrusted-accounts", () => {
    it("passes documents that name only the stack's account", async () => {
      const { f } = roles();
      f.add("aws:kms/key:Key", "key", {
        policy: policyJson({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        }),
      });
      expect(await violationsOf(noUntrustedAccounts, f.records)).to.deep.equal([]);
    });

    it("reports another account in a trust condition, a key policy, an identity policy and a KMS grant", async () => {
      const { f } = roles();
      f.add("aws:iam/role:Role", "deputy", { assumeRolePolicy: trust("glue.amazonaws.com", "999999999999") });
      f.add("aws:kms/key:Key", "key", {
        policy: policyJson({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::888888888888:root" },
          Action: "kms:*",
          Resource: "*",
        }),
      });
      f.add("aws:iam/rolePolicy:RolePolicy", "job-access", {
        role: "job-role",
        policy: policyJson({
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: "arn:aws:kms:eu-west-1:777777777777:key/abc",
        }),
      });
      f.add("aws:kms/grant:Grant", "partner-grant", {
        keyId: "key",
        granteePrincipal: "arn:aws:iam::666666666666:role/reader",
        operations: ["Decrypt"],
      });
      const tail = "which is not the stack's own nor trusted";
      expect(await violationsOf(noUntrustedAccounts, f.records)).to.deep.equal([
        { resource: "job-access", message: `role policy "job-access" names account 777777777777, ${tail}` },
        { resource: "deputy", message: `trust policy of role "deputy" names account 999999999999, ${tail}` },
        { resource: "key", message: `policy of KMS key "key" names account 888888888888, ${tail}` },
        {
          resource: "partner-grant",
          message: `KMS grant "partner-grant" names account 666666666666, ${tail}`,
        },
      ]);
      const config = {
        "no-untrusted-accounts": {
          properties: { trustedAccountIds: ["999999999999", "888888888888", "777777777777", "666666666666"] },
        },
      };
      expect(await violationsOf(noUntrustedAccounts, f.records, config)).to.deep.equal([]);
    });
  });
});
