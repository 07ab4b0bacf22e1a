import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** EMR's managed service policy (v2) only acts on subnets and security groups carrying this tag. */
export const EMR_MANAGED_TAG = { "for-use-with-amazon-emr-managed-policies": "true" } as const;

export interface LakehouseNetworkArgs {
  readonly region: string;
  readonly cidrBlock: string;
  readonly availabilityZoneCount: number;
  readonly natGateways: "Single" | "OnePerAz";
}

/**
 * The VPC the EMR cluster runs in: private subnets (tagged for EMR's managed policy), public subnets
 * only for the NAT gateways, and an S3 gateway endpoint so table data never crosses a NAT gateway.
 */
export class LakehouseNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;

  constructor(name: string, args: LakehouseNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:network:LakehouseNetwork", name, {}, opts);
    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        numberOfAvailabilityZones: args.availabilityZoneCount,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        natGateways: { strategy: args.natGateways },
        subnetStrategy: "Auto",
        subnetSpecs: [
          { type: "Private", name: "private", tags: { ...EMR_MANAGED_TAG } },
          { type: "Public", name: "public", cidrMask: 26 },
        ],
        // "Auto" attaches the gateway endpoint to every route table the VPC creates.
        vpcEndpointStrategy: "Auto",
        vpcEndpointSpecs: [{ serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: "Gateway" }],
      },
      { parent: this },
    );
    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds });
  }
}
