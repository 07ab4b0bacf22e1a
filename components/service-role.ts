import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, PolicyStatement, serviceTrustPolicy } from "./iam-documents";

export interface ServiceRoleArgs {
  /** The one service principal that may assume the role, e.g. `glue.amazonaws.com`. */
  readonly service: string;
  /** Limits the trust to calls on behalf of this account (`aws:SourceAccount`). @default no condition */
  readonly sourceAccount?: pulumi.Input<string>;
  readonly description: string;
  /** The role's only permissions: one inline policy. */
  readonly statements: PolicyStatement[];
}

/**
 * A role exactly one AWS service assumes, with its permissions inline: `<prefix>-role` and
 * `<prefix>-access`. Every role of the stack is built this way, so trust and scoping read alike.
 */
export function createServiceRole(
  prefix: string,
  args: ServiceRoleArgs,
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  const role = new aws.iam.Role(
    `${prefix}-role`,
    { description: args.description, assumeRolePolicy: serviceTrustPolicy(args.service, args.sourceAccount) },
    opts,
  );
  new aws.iam.RolePolicy(
    `${prefix}-access`,
    { role: role.id, policy: policyDocument(args.statements) },
    opts,
  );
  return role;
}
