import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME } from "../config/load";
import { AwsContext } from "./aws-context";
import { policyDocument, PolicyStatement } from "./iam-documents";
import { StatefulOptions } from "./stateful-options";

/** The alias of a stack's key, without `alias/`: how other stacks in the account name it (accountSettings.catalogKey). */
export function lakehouseKeyAlias(stack: string): string {
  return `${PROJECT_NAME}-${stack}`;
}

export interface LakehouseKeyArgs {
  readonly context: AwsContext;
  /** Alias without the `alias/` prefix, e.g. `iceberg-lakehouse-dev`. */
  readonly alias: string;
  /** Days KMS waits before deleting the key (7-30); prod uses 30. */
  readonly deletionWindowDays: number;
  readonly stateful: StatefulOptions;
}

/**
 * The customer-managed key that encrypts every bucket, the catalog, logs, the alert topic and the
 * audit trail. Rotation is on. Its policy gives the account root the usual administration entry point
 * (so IAM policies decide who uses the key) and names exactly the AWS services that must encrypt with
 * it on their own: CloudWatch Logs, CloudTrail and S3 server access log delivery.
 */
export class LakehouseKey extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly arn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
  readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: LakehouseKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:security:LakehouseKey", name, {}, opts);
    this.key = new aws.kms.Key(
      name,
      {
        description: `Iceberg lakehouse data, catalog, logs and audit trail (${args.alias})`,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowDays,
        policy: keyPolicy(args.context),
      },
      { parent: this, protect: args.stateful.protect, retainOnDelete: args.stateful.retainOnDelete },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.alias}`, targetKeyId: this.key.keyId },
      { parent: this },
    );
    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
  }
}

/** The key policy: root administration plus the three services that encrypt with the key themselves. */
export function keyPolicy(context: AwsContext): pulumi.Output<string> {
  const { accountId, partition, region } = context;
  const sameAccount = { StringEquals: { "aws:SourceAccount": accountId } };
  const statements: PolicyStatement[] = [
    {
      Sid: "AccountRootAdministersKeyAndEnablesIamPolicies",
      Effect: "Allow",
      Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`,
        },
      },
    },
    {
      Sid: "CloudTrailEncryptsThisAccountsTrails",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${partition}:cloudtrail:*:${accountId}:trail/*`,
        },
        ...sameAccount,
      },
    },
    {
      Sid: "S3ServerAccessLogDeliveryEncrypts",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: sameAccount,
    },
  ];
  return policyDocument(statements);
}
