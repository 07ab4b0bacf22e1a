import { appendStatement, editInput, editJson, PlantedDefect, Props, set } from "./lakehouse-variant";

/**
 * Planted defects of the insecure prod variant that a careless edit makes and the first pack let pass:
 * inline bucket settings, public resource policies, managed policies, other accounts, references to
 * resources the stack does not own, unsafe job arguments, open security groups, log groups kept
 * forever, resources in another region.
 */

const NOT_OWNED = "which is not a resource of this stack nor listed in";

export const GUARDRAIL_DEFECTS: readonly PlantedDefect[] = [
  {
    what: "an inline ACL on the data bucket",
    type: "aws:s3/bucket:Bucket",
    name: "lakehouse-data",
    props: set({ acl: "public-read" }),
    expected: {
      policy: "s3-bucket-no-inline-settings",
      resource: "lakehouse-data",
      message: 'bucket "lakehouse-data" sets the deprecated inline argument(s) acl',
    },
  },
  {
    what: "public reads in the data bucket's policy",
    type: "aws:s3/bucketPolicy:BucketPolicy",
    name: "lakehouse-data-policy",
    props: appendStatement({
      Sid: "PublicRead",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::lakehouse-data/*",
    }),
    expected: {
      policy: "resource-policies-not-public",
      resource: "lakehouse-data-policy",
      message: 'statement "PublicRead" of bucket policy "lakehouse-data-policy" allows principal "*"',
    },
  },
  {
    what: "AdministratorAccess on the EMR service role",
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    name: "lakehouse-emr-service-managed-policy",
    props: set({ policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    expected: {
      policy: "iam-managed-policies-allow-listed",
      resource: "lakehouse-emr-service-managed-policy",
      message:
        'role "lakehouse-emr-service-role" gets managed policy "arn:aws:iam::aws:policy/AdministratorAccess", which is neither a policy of the stack nor allow-listed for it (allowedManagedPolicies)',
    },
  },
  {
    what: "a job role Glue may assume on behalf of another account",
    type: "aws:iam/role:Role",
    name: "job-bronze-ingest-role",
    props: (props: Props) => ({
      ...props,
      assumeRolePolicy: editJson(props.assumeRolePolicy, (d) =>
        d.Statement.forEach((s) => (s.Condition = { StringEquals: { "aws:SourceAccount": "999999999999" } })),
      ),
    }),
    expected: {
      policy: "no-untrusted-accounts",
      resource: "job-bronze-ingest-role",
      message:
        'trust policy of role "job-bronze-ingest-role" names account 999999999999, which is not the stack\'s own nor trusted',
    },
  },
  {
    what: "the AWS managed S3 key on the access-log bucket",
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    name: "lakehouse-access-logs-encryption",
    props: set({
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" },
          bucketKeyEnabled: true,
        },
      ],
    }),
    expected: {
      policy: "stack-owned-references",
      resource: "lakehouse-access-logs-encryption",
      message: `BucketServerSideEncryptionConfiguration "lakehouse-access-logs-encryption" names KMS key "alias/aws/s3" (rules.applyServerSideEncryptionByDefault.kmsMasterKeyId), ${NOT_OWNED} externalKmsKeys`,
    },
  },
  {
    what: "maintenance deleting orphan files after a day",
    type: "aws:glue/job:Job",
    name: "job-maintenance",
    props: (props: Props) => ({
      ...props,
      defaultArguments: editInput<Props>(props.defaultArguments, (args) => ({
        ...args,
        "--orphan-file-min-age-days": "1",
      })),
    }),
    expected: {
      policy: "glue-job-safety-arguments",
      resource: "job-maintenance",
      message:
        'Glue job "job-maintenance" sets --orphan-file-min-age-days to "1"; accepted: >= 3 (younger orphan files can belong to writes in flight)',
    },
  },
  {
    what: "SSH to the EMR primary node from anywhere",
    type: "aws:ec2/securityGroup:SecurityGroup",
    name: "lakehouse-emr-primary-sg",
    props: set({ ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }),
    expected: {
      policy: "security-group-no-public-ingress",
      resource: "lakehouse-emr-primary-sg",
      message: 'security group "lakehouse-emr-primary-sg" allows ingress from 0.0.0.0/0 on port 22',
    },
  },
  {
    what: "pipeline logs kept forever",
    type: "aws:cloudwatch/logGroup:LogGroup",
    name: "lakehouse-pipeline-logs",
    props: set({ retentionInDays: undefined }),
    expected: {
      policy: "cloudwatch-log-group-encrypted",
      resource: "lakehouse-pipeline-logs",
      message: 'log group "lakehouse-pipeline-logs" keeps its logs forever (no retentionInDays)',
    },
  },
  {
    what: "failure alerts in plain text",
    type: "aws:sns/topic:Topic",
    name: "lakehouse-pipeline-alerts",
    props: set({ kmsMasterKeyId: undefined }),
    expected: {
      policy: "sns-topic-encrypted",
      resource: "lakehouse-pipeline-alerts",
      message:
        'topic "lakehouse-pipeline-alerts" does not encrypt its messages with a KMS key (kmsMasterKeyId)',
    },
  },
  {
    what: "a table managed in another region",
    type: "pulumi-nodejs:dynamic/lakehouse:IcebergTable",
    name: "lakehouse-raw_products-table",
    props: set({ region: "us-east-1" }),
    expected: {
      policy: "aws-provider-single-target",
      resource: "lakehouse-raw_products-table",
      message:
        'IcebergTable "lakehouse-raw_products-table" sets region "us-east-1", not the stack\'s ("eu-west-1")',
    },
  },
];
