import { expect } from "chai";
import { LakehouseNetwork } from "../components/lakehouse-network";
import { componentGraph, resource } from "./helpers/graph";

describe("LakehouseNetwork", () => {
  it("builds an awsx VPC with tagged private subnets, NAT per config and an S3 gateway endpoint", async () => {
    const graph = await componentGraph(
      () =>
        new LakehouseNetwork("net", {
          region: "eu-west-1",
          cidrBlock: "10.30.0.0/16",
          availabilityZoneCount: 3,
          natGateways: "OnePerAz",
        }),
    );
    expect(resource(graph, "awsx:ec2:Vpc", "net-vpc").inputs).to.deep.equal({
      cidrBlock: "10.30.0.0/16",
      numberOfAvailabilityZones: 3,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      natGateways: { strategy: "OnePerAz" },
      subnetStrategy: "Auto",
      subnetSpecs: [
        { type: "Private", name: "private", tags: { "for-use-with-amazon-emr-managed-policies": "true" } },
        { type: "Public", name: "public", cidrMask: 26 },
      ],
      vpcEndpointStrategy: "Auto",
      vpcEndpointSpecs: [{ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" }],
    });
  });
});
