import { editInput, editJson, PlantedDefect, Props, set } from "./lakehouse-variant";

/** Planted defects of the insecure prod variant: Glue, EMR, Athena, Step Functions, CloudTrail. */

interface EmrSecurity {
  EncryptionConfiguration: { AtRestEncryptionConfiguration: { LocalDiskEncryptionConfiguration: Props } };
}

const athena = (edit: (configuration: Props) => Props) => (props: Props) => ({
  ...props,
  configuration: editInput(props.configuration, edit),
});

const WORKGROUP = "aws:athena/workgroup:Workgroup";
const TRAIL = "aws:cloudtrail/trail:Trail";
const EMR_CLUSTER = "aws:emr/cluster:Cluster";

export const SERVICE_DEFECTS: readonly PlantedDefect[] = [
  {
    what: "Data Catalog metadata unencrypted",
    type: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
    name: "lakehouse-account-catalog-encryption",
    props: (props) => ({
      ...props,
      dataCatalogEncryptionSettings: editInput(props.dataCatalogEncryptionSettings, (s) => ({
        ...s,
        encryptionAtRest: { catalogEncryptionMode: "DISABLED" },
      })),
    }),
    expected: {
      policy: "glue-data-catalog-encrypted",
      resource: "lakehouse-account-catalog-encryption",
      message:
        'catalog encryption "lakehouse-account-catalog-encryption" stores metadata with mode "DISABLED"; SSE-KMS with a key is required',
    },
  },
  {
    what: "Glue logs unencrypted",
    type: "aws:glue/securityConfiguration:SecurityConfiguration",
    name: "lakehouse-catalog-security",
    props: (props) => ({
      ...props,
      encryptionConfiguration: editInput(props.encryptionConfiguration, (c) => ({
        ...c,
        cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" },
      })),
    }),
    expected: {
      policy: "glue-security-configuration-encrypted",
      resource: "lakehouse-catalog-security",
      message:
        'security configuration "lakehouse-catalog-security" encrypts CloudWatch logs with "DISABLED"; SSE-KMS with a key is required',
    },
  },
  {
    what: "a Glue job without security configuration",
    type: "aws:glue/job:Job",
    name: "job-maintenance",
    props: set({ securityConfiguration: undefined }),
    expected: {
      policy: "glue-job-security-configuration",
      resource: "job-maintenance",
      message: 'Glue job "job-maintenance" runs without a security configuration',
    },
  },
  {
    what: "a Glue 3.0 job",
    type: "aws:glue/job:Job",
    name: "job-silver-customers",
    props: set({ glueVersion: "3.0" }),
    expected: {
      policy: "glue-supported-version",
      resource: "job-silver-customers",
      message: 'Glue job "job-silver-customers" runs on Glue 3.0; accepted versions: 4.0, 5.0',
    },
  },
  {
    what: "EMR cluster without security configuration",
    type: EMR_CLUSTER,
    name: "lakehouse-emr",
    props: set({ securityConfiguration: undefined }),
    expected: {
      policy: "emr-cluster-security-configuration",
      resource: "lakehouse-emr",
      message: 'EMR cluster "lakehouse-emr" has no security configuration',
    },
  },
  {
    what: "EMR cluster in a public subnet",
    type: EMR_CLUSTER,
    name: "lakehouse-emr",
    props: (props) => ({
      ...props,
      ec2Attributes: editInput(props.ec2Attributes, (a) => ({ ...a, subnetId: "subnet-public-0" })),
    }),
    expected: {
      policy: "emr-cluster-private-subnet",
      resource: "lakehouse-emr",
      message: 'EMR cluster "lakehouse-emr" runs in public subnet "subnet-public-0"',
    },
  },
  {
    what: "EMR cluster that never terminates",
    type: EMR_CLUSTER,
    name: "lakehouse-emr",
    props: set({ autoTerminationPolicy: undefined }),
    expected: {
      policy: "emr-cluster-auto-termination",
      resource: "lakehouse-emr",
      message: 'EMR cluster "lakehouse-emr" has no auto-termination policy',
    },
  },
  {
    what: "EMR EBS volumes unencrypted",
    type: "aws:emr/securityConfiguration:SecurityConfiguration",
    name: "lakehouse-emr-security",
    props: (props) => ({
      ...props,
      configuration: editJson<EmrSecurity>(props.configuration, (c) => {
        c.EncryptionConfiguration.AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration.EnableEbsEncryption = false;
      }),
    }),
    expected: {
      policy: "emr-security-configuration-encrypted",
      resource: "lakehouse-emr-security",
      message:
        'EMR security configuration "lakehouse-emr-security" does not encrypt EBS volumes (EnableEbsEncryption, CKV_AWS_350)',
    },
  },
  {
    what: "EMR block public access off",
    type: "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration",
    name: "lakehouse-account-emr-block-public-access",
    props: set({ blockPublicSecurityGroupRules: false }),
    expected: {
      policy: "emr-block-public-access",
      resource: "lakehouse-account-emr-block-public-access",
      message:
        'EMR block public access "lakehouse-account-emr-block-public-access" has blockPublicSecurityGroupRules off',
    },
  },
  {
    what: "Athena results encrypted with S3-managed keys",
    type: WORKGROUP,
    name: "lakehouse-athena",
    props: athena((c) => ({
      ...c,
      resultConfiguration: {
        ...(c.resultConfiguration as Props),
        encryptionConfiguration: { encryptionOption: "SSE_S3" },
      },
    })),
    expected: {
      policy: "athena-workgroup-results-encrypted",
      resource: "lakehouse-athena",
      message:
        'workgroup "lakehouse-athena" encrypts query results with "SSE_S3"; SSE_KMS with a key is required',
    },
  },
  {
    what: "Athena settings overridable by clients",
    type: WORKGROUP,
    name: "lakehouse-athena",
    props: athena((c) => ({ ...c, enforceWorkgroupConfiguration: false })),
    expected: {
      policy: "athena-workgroup-configuration-enforced",
      resource: "lakehouse-athena",
      message:
        'workgroup "lakehouse-athena" lets clients override its configuration (enforceWorkgroupConfiguration false)',
    },
  },
  {
    what: "Athena metrics off",
    type: WORKGROUP,
    name: "lakehouse-athena",
    props: athena((c) => ({ ...c, publishCloudwatchMetricsEnabled: false })),
    expected: {
      policy: "athena-workgroup-cloudwatch-metrics",
      resource: "lakehouse-athena",
      message:
        'workgroup "lakehouse-athena" publishes no CloudWatch metrics (publishCloudwatchMetricsEnabled false)',
    },
  },
  {
    what: "Athena queries without a scan limit",
    type: WORKGROUP,
    name: "lakehouse-athena",
    props: athena((c) => ({ ...c, bytesScannedCutoffPerQuery: undefined })),
    expected: {
      policy: "athena-workgroup-bytes-scanned-cutoff",
      resource: "lakehouse-athena",
      message: 'workgroup "lakehouse-athena" has no per-query bytes-scanned cutoff',
    },
  },
  {
    what: "pipeline logging errors only",
    type: "aws:sfn/stateMachine:StateMachine",
    name: "lakehouse-pipeline",
    props: (props) => ({
      ...props,
      loggingConfiguration: editInput(props.loggingConfiguration, (l) => ({ ...l, level: "ERROR" })),
    }),
    expected: {
      policy: "sfn-logging-all-encrypted",
      resource: "lakehouse-pipeline",
      message:
        'state machine "lakehouse-pipeline" logs level "ERROR"; level ALL with execution data is required',
    },
  },
  {
    what: "pipeline not traced",
    type: "aws:sfn/stateMachine:StateMachine",
    name: "lakehouse-pipeline",
    props: set({ tracingConfiguration: { enabled: false } }),
    expected: {
      policy: "sfn-xray-tracing",
      resource: "lakehouse-pipeline",
      message: 'state machine "lakehouse-pipeline" does not trace with X-Ray',
    },
  },
  {
    what: "gold's failure not alerted",
    type: "aws:sfn/stateMachine:StateMachine",
    name: "lakehouse-pipeline",
    props: (props) => ({
      ...props,
      definition: editJson(props.definition, (d: { States: Record<string, Props> }) => {
        delete d.States.Gold.Catch;
      }),
    }),
    expected: {
      policy: "sfn-failure-alerts",
      resource: "lakehouse-pipeline",
      message:
        'state "Gold" of state machine "lakehouse-pipeline": it runs a Glue job and catches no failure (a Catch on States.ALL)',
    },
  },
  {
    what: "trail of one region",
    type: TRAIL,
    name: "lakehouse-audit",
    props: set({ isMultiRegionTrail: false }),
    expected: {
      policy: "cloudtrail-multi-region",
      resource: "lakehouse-audit",
      message: 'trail "lakehouse-audit" records one region only (isMultiRegionTrail is not true)',
    },
  },
  {
    what: "trail logs unsigned",
    type: TRAIL,
    name: "lakehouse-audit",
    props: set({ enableLogFileValidation: false }),
    expected: {
      policy: "cloudtrail-log-file-validation",
      resource: "lakehouse-audit",
      message:
        'trail "lakehouse-audit" does not validate its log files (enableLogFileValidation is not true)',
    },
  },
  {
    what: "trail logs without KMS",
    type: TRAIL,
    name: "lakehouse-audit",
    props: set({ kmsKeyId: undefined }),
    expected: {
      policy: "cloudtrail-kms-encrypted",
      resource: "lakehouse-audit",
      message: 'trail "lakehouse-audit" does not encrypt its logs with a KMS key (kmsKeyId)',
    },
  },
  {
    what: "trail without the data bucket's object events",
    type: TRAIL,
    name: "lakehouse-audit",
    props: (props) => ({
      ...props,
      advancedEventSelectors: editInput<Props[]>(props.advancedEventSelectors, (selectors) =>
        selectors.filter((s) => s.name === "Management events"),
      ),
    }),
    expected: {
      policy: "cloudtrail-lakehouse-data-events",
      resource: "lakehouse-data",
      message: 'no trail of the stack records S3 data events of lakehouse data bucket "lakehouse-data"',
    },
  },
];
