import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { appendStatement, editJson, PlantedDefect, Props, set } from "./lakehouse-variant";

/** Planted defects of the insecure prod variant: S3, KMS and IAM. */

const S3 = "aws:s3/";

export const STORAGE_AND_IAM_DEFECTS: readonly PlantedDefect[] = [
  {
    what: "public data bucket",
    type: `${S3}bucketPublicAccessBlock:BucketPublicAccessBlock`,
    name: "lakehouse-data-public-access-block",
    props: set({ blockPublicPolicy: false, restrictPublicBuckets: false }),
    expected: {
      policy: "s3-bucket-public-access-block",
      resource: "lakehouse-data-public-access-block",
      message:
        'public access block of bucket "lakehouse-data" leaves blockPublicPolicy, restrictPublicBuckets off',
    },
  },
  {
    what: "no KMS encryption on the artifacts bucket",
    type: `${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
    name: "lakehouse-artifacts-encryption",
    props: set({
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    }),
    expected: {
      policy: "s3-bucket-sse-kms",
      resource: "lakehouse-artifacts-encryption",
      message: 'encryption of bucket "lakehouse-artifacts" uses "AES256"; SSE-KMS ("aws:kms") is required',
    },
  },
  {
    what: "versioning suspended on the access-log bucket",
    type: `${S3}bucketVersioning:BucketVersioning`,
    name: "lakehouse-access-logs-versioning",
    props: set({ versioningConfiguration: { status: "Suspended" } }),
    expected: {
      policy: "s3-bucket-versioning",
      resource: "lakehouse-access-logs-versioning",
      message: 'versioning of bucket "lakehouse-access-logs" is "Suspended"; it must be "Enabled"',
    },
  },
  {
    what: "ACLs enabled on the audit bucket",
    type: `${S3}bucketOwnershipControls:BucketOwnershipControls`,
    name: "lakehouse-audit-logs-ownership",
    props: set({ rule: { objectOwnership: "BucketOwnerPreferred" } }),
    expected: {
      policy: "s3-bucket-acls-disabled",
      resource: "lakehouse-audit-logs-ownership",
      message:
        'object ownership of bucket "lakehouse-audit-logs" is "BucketOwnerPreferred"; ACLs stay enabled unless it is "BucketOwnerEnforced"',
    },
  },
  {
    what: "TLS 1.0 accepted by the artifacts bucket",
    type: `${S3}bucketPolicy:BucketPolicy`,
    name: "lakehouse-artifacts-policy",
    props: (props) => ({
      ...props,
      policy: editJson(
        props.policy,
        (d) => (d.Statement = d.Statement.filter((s) => s.Sid !== "DenyTlsOlderThan12")),
      ),
    }),
    expected: {
      policy: "s3-bucket-tls-only",
      resource: "lakehouse-artifacts-policy",
      message:
        'policy of bucket "lakehouse-artifacts" does not deny TLS older than 1.2 (s3:TlsVersion NumericLessThan 1.2)',
    },
  },
  {
    what: "artifacts bucket logging to itself",
    type: `${S3}bucketLogging:BucketLogging`,
    name: "lakehouse-artifacts-logging",
    props: (props) => ({ ...props, targetBucket: props.bucket }),
    expected: {
      policy: "s3-bucket-access-logging",
      resource: "lakehouse-artifacts-logging",
      message: 'bucket "lakehouse-artifacts" writes its access logs to itself',
    },
  },
  {
    what: "incomplete uploads never aborted in the access-log bucket",
    type: `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
    name: "lakehouse-access-logs-lifecycle",
    props: (props) => ({
      ...props,
      rules: (props.rules as Props[]).filter((r) => r.id !== "abort-incomplete-multipart-uploads"),
    }),
    expected: {
      policy: "s3-bucket-lifecycle-aborts-uploads",
      resource: "lakehouse-access-logs-lifecycle",
      message:
        'lifecycle of bucket "lakehouse-access-logs" has no enabled whole-bucket rule that aborts incomplete multipart uploads',
    },
  },
  {
    what: "Glacier transition under the raw table prefix",
    type: `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
    name: "lakehouse-data-lifecycle",
    props: (props) => ({
      ...props,
      rules: (props.rules as Props[]).map((r) =>
        r.id === "raw-data-lifecycle" ? { ...r, transitions: [{ days: 90, storageClass: "GLACIER" }] } : r,
      ),
    }),
    expected: {
      policy: "no-lifecycle-on-live-iceberg-data",
      resource: "lakehouse-data-lifecycle",
      message:
        'lifecycle rule "raw-data-lifecycle" moves to GLACIER objects under "raw/" of bucket "lakehouse-data", which holds live Iceberg data ("raw/")',
    },
  },
  {
    what: "forceDestroy on the prod data bucket",
    type: `${S3}bucket:Bucket`,
    name: "lakehouse-data",
    props: set({ forceDestroy: true }),
    expected: {
      policy: "force-destroy-only-in-preview",
      resource: "lakehouse-data",
      message: 'bucket "lakehouse-data" sets forceDestroy outside a preview environment (Environment "prod")',
    },
  },
  {
    what: "unprotected prod bucket",
    type: `${S3}bucket:Bucket`,
    name: "lakehouse-artifacts",
    opts: (opts) => ({ ...opts, protect: false }),
    expected: {
      policy: "prod-stateful-resources-protected",
      resource: "lakehouse-artifacts",
      message: 'bucket "lakehouse-artifacts" is not protected in production',
    },
  },
  {
    what: "key rotation off",
    type: "aws:kms/key:Key",
    name: "lakehouse-key",
    props: set({ enableKeyRotation: false }),
    expected: {
      policy: "kms-key-rotation",
      resource: "lakehouse-key",
      message: 'KMS key "lakehouse-key" does not rotate (enableKeyRotation is not true)',
    },
  },
  {
    what: "7-day key deletion window in prod",
    type: "aws:kms/key:Key",
    name: "lakehouse-key",
    props: set({ deletionWindowInDays: 7 }),
    expected: {
      policy: "kms-key-deletion-window",
      resource: "lakehouse-key",
      message: 'KMS key "lakehouse-key" has a 7-day deletion window; production keys need at least 30 days',
    },
  },
  {
    what: "key usable by anyone",
    type: "aws:kms/key:Key",
    name: "lakehouse-key",
    props: appendStatement({
      Sid: "Anyone",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:Decrypt",
      Resource: "*",
    }),
    expected: {
      policy: "kms-key-policy-no-wildcard-principal",
      resource: "lakehouse-key",
      message: 'statement "Anyone" of the policy of KMS key "lakehouse-key" allows principal "*"',
    },
  },
  {
    what: "glue:* for a job",
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "job-bronze-ingest-access",
    props: appendStatement({
      Sid: "GlueEverything",
      Effect: "Allow",
      Action: "glue:*",
      Resource: `arn:aws:glue:eu-west-1:${MOCK_ACCOUNT_ID}:database/ecommerce_lakehouse`,
    }),
    expected: {
      policy: "iam-no-wildcard-actions",
      resource: "job-bronze-ingest-access",
      message:
        'statement "GlueEverything" of role policy "job-bronze-ingest-access" allows every action of a service ("glue:*")',
    },
  },
  {
    what: "reads of every object for a job",
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "job-silver-orders-access",
    props: appendStatement({ Sid: "ReadAnyObject", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
    expected: {
      policy: "iam-no-wildcard-resource",
      resource: "job-silver-orders-access",
      message:
        'statement "ReadAnyObject" of role policy "job-silver-orders-access" grants s3:GetObject on Resource "*"',
    },
  },
  {
    what: "EMR may pass any role",
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "lakehouse-emr-service-access",
    props: (props) => ({
      ...props,
      policy: editJson(props.policy, (d) =>
        d.Statement.filter((s) => s.Sid === "PassOnlyTheInstanceRoleToEc2").forEach(
          (s) => (s.Resource = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/*`),
        ),
      ),
    }),
    expected: {
      policy: "iam-no-privilege-escalation",
      resource: "lakehouse-emr-service-access",
      message: `statement "PassOnlyTheInstanceRoleToEc2" of role policy "lakehouse-emr-service-access" grants iam:PassRole on "arn:aws:iam::${MOCK_ACCOUNT_ID}:role/*"`,
    },
  },
  {
    what: "a job role anyone can assume",
    type: "aws:iam/role:Role",
    name: "job-gold-daily-metrics-role",
    props: (props) => ({
      ...props,
      assumeRolePolicy: editJson(props.assumeRolePolicy, (d) =>
        d.Statement.forEach((s) => (s.Principal = { AWS: "*" })),
      ),
    }),
    expected: {
      policy: "iam-trust-policy-exact-principal",
      resource: "job-gold-daily-metrics-role",
      message:
        'statement #1 of the trust policy of role "job-gold-daily-metrics-role" lets principal "*" assume the role',
    },
  },
];
