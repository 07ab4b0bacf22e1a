import * as pulumi from "@pulumi/pulumi";

/** One IAM policy statement; values may be Outputs (ARNs of resources created in the same stack). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: pulumi.Input<Record<string, pulumi.Input<string | pulumi.Input<string>[]>>> | "*";
  readonly Action: string | string[];
  readonly Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  readonly Condition?: Record<string, Record<string, pulumi.Input<string | string[]>>>;
}

/** A policy document as the JSON string IAM, S3, KMS and SNS take. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * A trust policy naming exactly one service principal; `sourceAccount` limits it to this account
 * (confused-deputy protection, the `aws:SourceAccount` condition the services document).
 */
export function serviceTrustPolicy(
  service: string,
  sourceAccount?: pulumi.Input<string>,
): pulumi.Output<string> {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount === undefined
        ? {}
        : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
    },
  ]);
}

/** `arn:<partition>:s3:::<bucket>/<prefix>*` for each prefix: object ARNs under the given folders. */
export function objectArns(
  bucketArn: pulumi.Input<string>,
  prefixes: readonly string[],
): pulumi.Output<string>[] {
  return prefixes.map((prefix) => pulumi.interpolate`${bucketArn}/${prefix}*`);
}
