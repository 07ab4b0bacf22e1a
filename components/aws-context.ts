import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Account, partition and region of the stack, resolved once and handed to every component. */
export interface AwsContext {
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly region: string;
}

export function resolveAwsContext(region: string, opts: pulumi.InvokeOutputOptions): AwsContext {
  return {
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
    partition: aws.getPartitionOutput({}, opts).partition,
    region,
  };
}
