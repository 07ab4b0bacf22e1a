import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { accountSettingsOwnedElsewhere } from "./account-settings";
import { asList } from "./lib/iam-document";
import { resourcesOf } from "./lib/stack-resources";

/** EMR rules of docs/security-baseline.md. */

export const emrClusterSecurityConfiguration: ResourceValidationPolicy = {
  name: "emr-cluster-security-configuration",
  description: "Every EMR cluster has a security configuration attached (Checkov CKV2_AWS_55).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set securityConfiguration to an aws.emr.SecurityConfiguration of the stack (EmrIcebergCluster does).",
  validateResource: validateResourceOfType(aws.emr.Cluster, (cluster, args, reportViolation) => {
    if ((cluster.securityConfiguration ?? "") === "") {
      reportViolation(`EMR cluster "${args.name}" has no security configuration`);
    }
  }),
};

interface EmrEncryptionConfiguration {
  EnableAtRestEncryption?: boolean;
  EnableInTransitEncryption?: boolean;
  AtRestEncryptionConfiguration?: {
    S3EncryptionConfiguration?: {
      EncryptionMode?: string;
      AwsKmsKey?: string;
      Overrides?: { BucketName?: string; EncryptionMode?: string }[];
    };
    LocalDiskEncryptionConfiguration?: {
      EncryptionKeyProviderType?: string;
      AwsKmsKey?: string;
      EnableEbsEncryption?: boolean;
    };
  };
  InTransitEncryptionConfiguration?: { TLSCertificateConfiguration?: unknown };
}

/** The problems of one EMR security configuration's EncryptionConfiguration, each naming its check. */
function emrEncryptionProblems(encryption: EmrEncryptionConfiguration | undefined): string[] {
  const atRest = encryption?.AtRestEncryptionConfiguration;
  const s3 = atRest?.S3EncryptionConfiguration;
  const disk = atRest?.LocalDiskEncryptionConfiguration;
  const problems: string[] = [];
  if (encryption?.EnableAtRestEncryption !== true) {
    problems.push("does not enable at-rest encryption (EnableAtRestEncryption)");
  }
  if (s3?.EncryptionMode !== "SSE-KMS" || (s3.AwsKmsKey ?? "") === "") {
    problems.push(
      `encrypts EMRFS data in S3 with "${s3?.EncryptionMode ?? "nothing"}"; SSE-KMS with a key is required (CKV_AWS_171)`,
    );
  }
  for (const override of s3?.Overrides ?? []) {
    if (!["SSE-KMS", "CSE-KMS"].includes(override.EncryptionMode ?? "")) {
      problems.push(
        `encrypts EMRFS data in bucket "${override.BucketName ?? "?"}" with "${override.EncryptionMode ?? "nothing"}" (an override); KMS is required (CKV_AWS_171)`,
      );
    }
  }
  if (disk?.EncryptionKeyProviderType !== "AwsKms" || (disk.AwsKmsKey ?? "") === "") {
    problems.push("does not encrypt local disks with a KMS key (CKV_AWS_349)");
  }
  if (disk?.EnableEbsEncryption !== true) {
    problems.push("does not encrypt EBS volumes (EnableEbsEncryption, CKV_AWS_350)");
  }
  if (
    encryption?.InTransitEncryptionConfiguration?.TLSCertificateConfiguration !== undefined &&
    encryption.EnableInTransitEncryption !== true
  ) {
    problems.push(
      "has a TLS certificate but in-transit encryption off (EnableInTransitEncryption, CKV_AWS_351)",
    );
  }
  return problems;
}

export const emrSecurityConfigurationEncryption: ResourceValidationPolicy = {
  name: "emr-security-configuration-encrypted",
  description:
    "Every EMR security configuration encrypts at rest: EMRFS S3 data with SSE-KMS, per-bucket overrides " +
    "included (Checkov CKV_AWS_171), local disks with KMS (CKV_AWS_349), EBS volumes (CKV_AWS_350); in transit " +
    "when a TLS certificate is configured (CKV_AWS_351); and requires IMDSv2 on the instances.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set EnableAtRestEncryption with S3EncryptionConfiguration SSE-KMS and LocalDiskEncryptionConfiguration " +
    "AwsKms with EnableEbsEncryption, all with the stack's key, no weaker per-bucket override, and " +
    "InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion 2 (emrSecurityConfiguration renders it).",
  validateResource: validateResourceOfType(
    aws.emr.SecurityConfiguration,
    (configuration, args, reportViolation) => {
      let parsed: {
        EncryptionConfiguration?: EmrEncryptionConfiguration;
        InstanceMetadataServiceConfiguration?: { MinimumInstanceMetadataServiceVersion?: number };
      };
      try {
        parsed = JSON.parse(configuration.configuration) as typeof parsed;
      } catch {
        reportViolation(`EMR security configuration "${args.name}" is not valid JSON`);
        return;
      }
      for (const problem of emrEncryptionProblems(parsed.EncryptionConfiguration)) {
        reportViolation(`EMR security configuration "${args.name}" ${problem}`);
      }
      const imds = parsed.InstanceMetadataServiceConfiguration?.MinimumInstanceMetadataServiceVersion;
      if (imds !== 2) {
        reportViolation(
          `EMR security configuration "${args.name}" lets instances use IMDSv1 (MinimumInstanceMetadataServiceVersion ${imds ?? "unset"}); 2 is required`,
        );
      }
    },
  ),
};

export const emrClusterPrivateSubnet: StackValidationPolicy = {
  name: "emr-cluster-private-subnet",
  description:
    "Every EMR cluster runs in a subnet of a VPC and never in a public subnet of the stack, so its primary " +
    "node gets no public IP address (AWS FSBP EMR.1).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set ec2Attributes.subnetId to a private subnet (LakehouseNetwork's privateSubnetIds), reaching AWS " +
    "APIs through NAT and the S3 gateway endpoint.",
  validateStack: (args, reportViolation) => {
    const clusters = resourcesOf(args.resources, aws.emr.Cluster);
    if (clusters.length === 0) {
      args.notApplicable("Policy only applies to stacks with EMR clusters");
    }
    const publicSubnets = new Set<string>([
      ...resourcesOf(args.resources, aws.ec2.Subnet)
        .filter((subnet) => subnet.props.mapPublicIpOnLaunch === true)
        .flatMap((subnet) => asList(subnet.props.id)),
      ...args.resources
        .filter((r) => r.type === "awsx:ec2:Vpc")
        .flatMap((vpc) => asList(vpc.props.publicSubnetIds)),
    ]);
    for (const cluster of clusters) {
      const attributes = (cluster.props.ec2Attributes ?? {}) as { subnetId?: string; subnetIds?: string[] };
      const subnets = [...asList(attributes.subnetId), ...asList(attributes.subnetIds)];
      if (subnets.length === 0) {
        reportViolation(
          `EMR cluster "${cluster.name}" names no subnet: EMR would use a default (public) subnet`,
          cluster.urn,
        );
      }
      for (const subnet of subnets.filter((s) => publicSubnets.has(s))) {
        reportViolation(`EMR cluster "${cluster.name}" runs in public subnet "${subnet}"`, cluster.urn);
      }
    }
  },
};

export const emrBlockPublicAccess: StackValidationPolicy = {
  name: "emr-block-public-access",
  description:
    "A stack with EMR clusters turns on EMR block public access, which refuses clusters whose security groups " +
    "open ports to the internet, with no port range exempted (AWS FSBP EMR.2).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add an aws.emr.BlockPublicAccessConfiguration with blockPublicSecurityGroupRules true (AccountSettings " +
    "does in the stack that owns the account settings; it is account-wide, retained on delete). A stack that " +
    "does not own them declares so (accountSettings.owner false) and relies on the owner's.",
  validateStack: (args, reportViolation) => {
    if (resourcesOf(args.resources, aws.emr.Cluster).length === 0) {
      args.notApplicable("Policy only applies to stacks with EMR clusters");
    }
    const settings = resourcesOf(args.resources, aws.emr.BlockPublicAccessConfiguration);
    if (settings.length === 0 && !accountSettingsOwnedElsewhere(args.resources)) {
      reportViolation("the stack creates EMR clusters but no EMR block public access configuration");
    }
    for (const setting of settings.filter((s) => s.props.blockPublicSecurityGroupRules !== true)) {
      reportViolation(
        `EMR block public access "${setting.name}" has blockPublicSecurityGroupRules off`,
        setting.urn,
      );
    }
    for (const setting of settings) {
      const ranges = (setting.props.permittedPublicSecurityGroupRuleRanges ?? []) as {
        minRange?: number;
        maxRange?: number;
      }[];
      for (const range of ranges) {
        reportViolation(
          `EMR block public access "${setting.name}" still lets security groups open ports ${range.minRange}-${range.maxRange} to the internet`,
          setting.urn,
        );
      }
    }
  },
};

export const DEFAULT_MAXIMUM_IDLE_TIMEOUT_MINUTES = 1440;

export const emrClusterAutoTermination: ResourceValidationPolicy = {
  name: "emr-cluster-auto-termination",
  description:
    "Every EMR cluster terminates itself after an idle timeout no longer than the configured maximum " +
    "(a day by default): an idle cluster costs money and stays exposed.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set autoTerminationPolicy.idleTimeout (seconds); emr.idleTimeoutMinutes in the stack file.",
  configSchema: {
    properties: {
      maximumIdleTimeoutMinutes: {
        type: "integer",
        minimum: 1,
        maximum: 10080,
        default: DEFAULT_MAXIMUM_IDLE_TIMEOUT_MINUTES,
        description:
          "Longest idle time (minutes) before a cluster must terminate itself; EMR accepts up to 7 days.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.emr.Cluster, (cluster, args, reportViolation) => {
    const maximum =
      args.getConfig<{ maximumIdleTimeoutMinutes?: number }>().maximumIdleTimeoutMinutes ??
      DEFAULT_MAXIMUM_IDLE_TIMEOUT_MINUTES;
    const idleSeconds = cluster.autoTerminationPolicy?.idleTimeout;
    if (idleSeconds === undefined) {
      reportViolation(`EMR cluster "${args.name}" has no auto-termination policy`);
    } else if (idleSeconds > maximum * 60) {
      reportViolation(
        `EMR cluster "${args.name}" terminates after ${idleSeconds / 60} idle minutes; at most ${maximum} are accepted`,
      );
    }
  }),
};

export const EMR_POLICIES = [
  emrClusterSecurityConfiguration,
  emrSecurityConfigurationEncryption,
  emrClusterPrivateSubnet,
  emrBlockPublicAccess,
  emrClusterAutoTermination,
];
