import { expect } from "chai";
import { cloudWatchLogGroupEncrypted } from "../../policy/cloudwatch";
import { glueJobSafetyArguments } from "../../policy/glue-arguments";
import { isPrivateCidr } from "../../policy/lib/cidr";
import { securityGroupNoPublicIngress } from "../../policy/network";
import { snsTopicEncrypted } from "../../policy/sns";
import { violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

describe("policy: network, log groups, job arguments", () => {
  describe("security-group-no-public-ingress", () => {
    it("tells private ranges from public ones", () => {
      const cases: [string, boolean][] = [
        ["10.30.0.0/16", true],
        ["172.16.4.0/24", true],
        ["192.168.1.7/32", true],
        ["fd00:ec2::/64", true],
        ["0.0.0.0/0", false],
        ["0.0.0.0/1", false],
        ["::/0", false],
        ["8.8.8.8/32", false],
        ["172.32.0.0/16", false],
        ["10.0.0.0/7", false],
      ];
      expect(cases.map(([cidr]) => [cidr, isPrivateCidr(cidr)])).to.deep.equal(cases);
    });

    it("passes ingress from private ranges and security groups, and egress anywhere", async () => {
      const f = new FixtureStack();
      f.add("aws:ec2/securityGroup:SecurityGroup", "emr-primary", {
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.30.0.0/16"] }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      });
      f.add("aws:ec2/securityGroupRule:SecurityGroupRule", "egress", {
        type: "egress",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      });
      f.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-core", {
        ipProtocol: "tcp",
        fromPort: 8443,
        toPort: 8443,
        referencedSecurityGroupId: "sg-core",
      });
      expect(await violationsOf(securityGroupNoPublicIngress, f.records)).to.deep.equal([]);
    });

    it("reports internet ingress by each path, unless the config lists the range", async () => {
      const f = new FixtureStack();
      f.add("aws:ec2/securityGroup:SecurityGroup", "emr-primary", {
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
      });
      f.add("aws:ec2/securityGroupRule:SecurityGroupRule", "v6", {
        type: "ingress",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        ipv6CidrBlocks: ["::/0"],
      });
      f.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "office", {
        ipProtocol: "tcp",
        fromPort: 8443,
        toPort: 8443,
        cidrIpv4: "203.0.113.7/32",
      });
      expect(await violationsOf(securityGroupNoPublicIngress, f.records)).to.deep.equal([
        {
          resource: "emr-primary",
          message: 'security group "emr-primary" allows ingress from 0.0.0.0/0 on port 22',
        },
        { resource: "v6", message: 'security group rule "v6" allows ingress from ::/0 on all ports' },
        {
          resource: "office",
          message: 'ingress rule "office" allows ingress from 203.0.113.7/32 on port 8443',
        },
      ]);
      const config = {
        "security-group-no-public-ingress": { properties: { allowedIngressCidrs: ["203.0.113.7/32"] } },
      };
      expect(
        (await violationsOf(securityGroupNoPublicIngress, f.records, config)).map((v) => v.resource),
      ).to.deep.equal(["emr-primary", "v6"]);
    });
  });

  describe("cloudwatch-log-group-encrypted", () => {
    it("passes a KMS-encrypted group with retention, reports a plain one kept forever", async () => {
      const f = new FixtureStack();
      f.add("aws:cloudwatch/logGroup:LogGroup", "pipeline-logs", {
        kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k",
        retentionInDays: 14,
      });
      f.add("aws:cloudwatch/logGroup:LogGroup", "debug-logs", {});
      expect(await violationsOf(cloudWatchLogGroupEncrypted, f.records)).to.deep.equal([
        {
          resource: "debug-logs",
          message: 'log group "debug-logs" is not encrypted with a KMS key (kmsKeyId)',
        },
        {
          resource: "debug-logs",
          message: 'log group "debug-logs" keeps its logs forever (no retentionInDays)',
        },
      ]);
    });
  });

  describe("sns-topic-encrypted", () => {
    it("passes a KMS-encrypted topic, reports a plain one", async () => {
      const f = new FixtureStack();
      f.add("aws:sns/topic:Topic", "alerts", { kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" });
      f.add("aws:sns/topic:Topic", "plain", {});
      expect(await violationsOf(snsTopicEncrypted, f.records)).to.deep.equal([
        {
          resource: "plain",
          message: 'topic "plain" does not encrypt its messages with a KMS key (kmsMasterKeyId)',
        },
      ]);
    });
  });

  describe("glue-job-safety-arguments", () => {
    const job = (defaultArguments: Record<string, string>) => ({
      command: { name: "glueetl", scriptLocation: "s3://artifacts/jobs/maintenance.py" },
      defaultArguments,
    });

    it("passes the jobs' floors", async () => {
      const f = new FixtureStack();
      f.add(
        "aws:glue/job:Job",
        "maintenance",
        job({
          "--orphan-file-min-age-days": "3",
          "--snapshot-retention-days": "7",
          "--max-bad-record-share": "0.05",
        }),
      );
      expect(await violationsOf(glueJobSafetyArguments, f.records)).to.deep.equal([]);
    });

    it("reports a value under a floor in a job or in the task that starts it, and --encryption-type", async () => {
      const f = new FixtureStack();
      f.add(
        "aws:glue/job:Job",
        "maintenance",
        job({ "--orphan-file-min-age-days": "1", "--encryption-type": "sse-s3" }),
      );
      const definition = {
        StartAt: "Run",
        States: {
          Run: {
            Type: "Parallel",
            Branches: [
              {
                StartAt: "Maintenance",
                States: {
                  Maintenance: {
                    Type: "Task",
                    Resource: "arn:aws:states:::glue:startJobRun.sync",
                    Parameters: { JobName: "maintenance", Arguments: { "--snapshots-to-keep": "0" } },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        },
      };
      f.add("aws:sfn/stateMachine:StateMachine", "pipeline", { definition: JSON.stringify(definition) });
      expect(await violationsOf(glueJobSafetyArguments, f.records)).to.deep.equal([
        {
          resource: "maintenance",
          message:
            'Glue job "maintenance" sets --orphan-file-min-age-days to "1"; accepted: >= 3 (younger orphan files can belong to writes in flight)',
        },
        {
          resource: "maintenance",
          message:
            'Glue job "maintenance" sets --encryption-type, which overrides the security configuration\'s encryption',
        },
        {
          resource: "pipeline",
          message:
            'state "Maintenance" of state machine "pipeline" sets --snapshots-to-keep to "0"; accepted: >= 1 (the current snapshot must stay)',
        },
      ]);
      const config = { "glue-job-safety-arguments": { properties: { minimumOrphanFileAgeDays: 1 } } };
      expect((await violationsOf(glueJobSafetyArguments, f.records, config)).length).to.equal(2);
    });
  });
});
