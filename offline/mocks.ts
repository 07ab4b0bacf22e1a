import * as pulumi from "@pulumi/pulumi";

/** The fake account every offline run uses. */
export const MOCK_ACCOUNT_ID = "123456789012";

/**
 * Mocks standing in for the AWS provider and the engine: each resource gets a stable id and the
 * computed outputs (ARNs, names) its class declares, shaped as AWS would return them, so that the
 * program's policy documents and definitions resolve to realistic strings.
 */
export class LakehouseMocks implements pulumi.runtime.Mocks {
  constructor(private readonly region: string) {}

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string | undefined;
    state: Record<string, unknown>;
  } {
    const inputs = args.inputs as Record<string, unknown>;
    if (args.type === "awsx:ec2:Vpc") {
      // A remote (multi-language) component: one resource under mocks, whose outputs we supply.
      return { id: undefined, state: vpcOutputs(args.name, inputs) };
    }
    if (args.custom === false) {
      return { id: undefined, state: {} };
    }
    const name = physicalName(args.name, inputs);
    const computed = this.computedOutputs(args.type, name);
    return { id: (computed.id as string | undefined) ?? `${name}-id`, state: { ...inputs, ...computed } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: MOCK_ACCOUNT_ID,
          arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`,
          userId: "AIDAMOCK",
        };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
      default:
        throw new Error(`no mock for invoke ${args.token}`);
    }
  }

  private computedOutputs(type: string, name: string): Record<string, unknown> {
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:${this.region}:${MOCK_ACCOUNT_ID}:${resource}`;
    switch (type) {
      case "aws:s3/bucket:Bucket":
      case "aws:s3/bucketV2:BucketV2":
        return { id: name, bucket: name, arn: `arn:aws:s3:::${name}` };
      case "aws:kms/key:Key":
        return { id: `${name}-key-id`, keyId: `${name}-key-id`, arn: arn("kms", `key/${name}-key-id`) };
      case "aws:kms/alias:Alias":
        return { name, arn: arn("kms", name) };
      case "aws:glue/catalogDatabase:CatalogDatabase":
        return { id: `${MOCK_ACCOUNT_ID}:${name}`, name, arn: arn("glue", `database/${name}`) };
      case "aws:glue/job:Job":
        return { id: name, name, arn: arn("glue", `job/${name}`) };
      case "aws:glue/securityConfiguration:SecurityConfiguration":
        return { id: name, name };
      case "aws:athena/workgroup:Workgroup":
        return { id: name, name, arn: arn("athena", `workgroup/${name}`) };
      case "aws:sfn/stateMachine:StateMachine":
        return { name, arn: arn("states", `stateMachine:${name}`) };
      case "aws:sns/topic:Topic":
        return { id: arn("sns", name), name, arn: arn("sns", name) };
      case "aws:cloudwatch/logGroup:LogGroup":
        return { id: name, name, arn: arn("logs", `log-group:${name}`) };
      case "aws:iam/role:Role":
        return { id: name, name, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}` };
      case "aws:iam/instanceProfile:InstanceProfile":
        return { id: name, name, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${name}` };
      case "aws:cloudtrail/trail:Trail":
        return { id: name, name, arn: arn("cloudtrail", `trail/${name}`) };
      case "aws:emr/cluster:Cluster":
        return { id: `j-${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`, name };
      case "aws:emr/securityConfiguration:SecurityConfiguration":
        return { id: name, name };
      case "aws:ec2/securityGroup:SecurityGroup":
        return { id: `sg-${name}`, arn: arn("ec2", `security-group/sg-${name}`) };
      case "aws:scheduler/schedule:Schedule":
        return { id: name, name, arn: arn("scheduler", `schedule/default/${name}`) };
      default:
        return { arn: arn(type.split(":")[1]?.split("/")[0] ?? "unknown", name) };
    }
  }
}

function vpcOutputs(name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const count = (inputs.numberOfAvailabilityZones as number | undefined) ?? 3;
  const subnets = (kind: string) => Array.from({ length: count }, (_, i) => `subnet-${kind}-${i}`);
  return {
    vpcId: `vpc-${name}`,
    privateSubnetIds: subnets("private"),
    publicSubnetIds: subnets("public"),
    isolatedSubnetIds: [],
  };
}

/** The name AWS would show: an explicit `name` input, a `namePrefix` plus a suffix, or the logical name. */
function physicalName(logicalName: string, inputs: Record<string, unknown>): string {
  if (typeof inputs.name === "string") {
    return inputs.name;
  }
  if (typeof inputs.namePrefix === "string") {
    return `${inputs.namePrefix}${logicalName}`;
  }
  return logicalName;
}
