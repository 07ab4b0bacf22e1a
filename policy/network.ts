import * as aws from "@pulumi/aws";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isPrivateCidr } from "./lib/cidr";

/** Network rules: nothing in the stack is reachable from the internet. */

interface NetworkConfig {
  readonly allowedIngressCidrs?: string[];
}

/** Ingress sources outside private address space and not allow-listed. */
function publicSources(cidrs: readonly unknown[], args: ResourceValidationArgs): string[] {
  const allowed = args.getConfig<NetworkConfig>().allowedIngressCidrs ?? [];
  return cidrs
    .filter((c): c is string => typeof c === "string" && c !== "")
    .filter((cidr) => !isPrivateCidr(cidr) && !allowed.includes(cidr));
}

function ports(from: unknown, to: unknown, protocol: unknown): string {
  if (protocol === "-1" || protocol === "all") {
    return "all ports";
  }
  return from === to ? `port ${String(from)}` : `ports ${String(from)}-${String(to)}`;
}

function report(what: string, sources: string[], where: string, reportViolation: ReportViolation): void {
  for (const source of sources) {
    reportViolation(`${what} allows ingress from ${source} on ${where}`);
  }
}

export const securityGroupNoPublicIngress: ResourceValidationPolicy = {
  name: "security-group-no-public-ingress",
  description:
    "No security group of the stack (inline ingress, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule) " +
    "admits traffic from outside private address space (0.0.0.0/0, ::/0 or any public range), on any port, " +
    "unless the policy config lists the range (Checkov CKV_AWS_24, CKV_AWS_25, CKV_AWS_260; AWS FSBP EC2.18, EC2.19).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Admit traffic from security groups or private ranges only; the EMR cluster is reached through its " +
    "private subnets (SSM, a bastion, a VPN). A public range that must get in goes in allowedIngressCidrs.",
  configSchema: {
    properties: {
      allowedIngressCidrs: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Public CIDR blocks (exactly as written in the rule) that security groups may admit.",
      },
    },
  },
  validateResource: [
    validateResourceOfType(aws.ec2.SecurityGroup, (group, args, reportViolation) => {
      for (const rule of group.ingress ?? []) {
        const sources = publicSources([...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])], args);
        report(
          `security group "${args.name}"`,
          sources,
          ports(rule.fromPort, rule.toPort, rule.protocol),
          reportViolation,
        );
      }
    }),
    validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, reportViolation) => {
      if (rule.type !== "ingress") {
        return;
      }
      const sources = publicSources([...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])], args);
      report(
        `security group rule "${args.name}"`,
        sources,
        ports(rule.fromPort, rule.toPort, rule.protocol),
        reportViolation,
      );
    }),
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, reportViolation) => {
      const sources = publicSources([rule.cidrIpv4, rule.cidrIpv6], args);
      report(
        `ingress rule "${args.name}"`,
        sources,
        ports(rule.fromPort, rule.toPort, rule.ipProtocol),
        reportViolation,
      );
    }),
  ],
};
