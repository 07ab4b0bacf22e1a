import * as aws from "@pulumi/aws";
import { asList, isAllow, parsePolicyDocument } from "./iam-document";
import { IcebergTableDynamicResourceMarker } from "./resource-types";
import { parseS3Uri } from "./s3-paths";
import { ALL_BUCKET_COMPANIONS } from "./s3-types";
import { ResourceClass } from "./stack-resources";

/**
 * Where resources of the stack name other resources by a string: a KMS key ARN, a bucket name or
 * `s3://` URI, a role ARN, a log group ARN, a security configuration's name. Each site says which
 * kind of resource it names, so the references rule can tell the stack's own from anything else.
 */
export type ReferenceKind =
  "kmsKey" | "bucket" | "role" | "logGroup" | "glueSecurityConfiguration" | "emrSecurityConfiguration";

export interface Reference {
  readonly kind: ReferenceKind;
  /** Where in the resource, e.g. `kmsMasterKeyId`, `defaultArguments.--TempDir`. */
  readonly field: string;
  readonly value: string;
}

type Props = Record<string, unknown>;

export interface ReferenceSite {
  readonly resourceClass: ResourceClass | readonly ResourceClass[];
  readonly references: (props: Props) => Reference[];
}

/** The value at a dotted path (`a.b.c`); arrays along the way are walked, every element. */
function valuesAt(props: unknown, path: string): string[] {
  const walk = (value: unknown, keys: string[]): unknown[] => {
    if (Array.isArray(value)) {
      return value.flatMap((item) => walk(item, keys));
    }
    if (keys.length === 0) {
      return [value];
    }
    return value !== null && typeof value === "object" ? walk((value as Props)[keys[0]], keys.slice(1)) : [];
  };
  return walk(props, path.split(".")).filter((v): v is string => typeof v === "string" && v !== "");
}

/** References of one kind at the given paths. */
const at =
  (kind: ReferenceKind, ...paths: string[]) =>
  (props: Props): Reference[] =>
    paths.flatMap((field) => valuesAt(props, field).map((value) => ({ kind, field, value })));

/** Every `s3://` URI inside a value (job arguments, Spark `--conf` strings, configuration JSON). */
const S3_URI = /s3a?:\/\/[^\s,"'=]+/g;

/** `s3://` URIs in each entry of a map (a Glue job's arguments), however the value embeds them. */
function s3Uris(values: Record<string, unknown> | undefined, prefix: string): Reference[] {
  return Object.entries(values ?? {}).flatMap(([key, value]) =>
    typeof value !== "string"
      ? []
      : [...value.matchAll(S3_URI)].map(([uri]) => ({
          kind: "bucket" as const,
          field: `${prefix}.${key}`,
          value: uri.replace(/^s3a:/, "s3:"),
        })),
  );
}

/** The KMS keys an EMR security configuration's JSON names. */
function emrConfigurationKeys(props: Props): Reference[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(props.configuration));
  } catch {
    return []; // emr-security-configuration-encrypted reports invalid JSON
  }
  const atRest = "EncryptionConfiguration.AtRestEncryptionConfiguration";
  return at(
    "kmsKey",
    `${atRest}.S3EncryptionConfiguration.AwsKmsKey`,
    `${atRest}.S3EncryptionConfiguration.Overrides.AwsKmsKey`,
    `${atRest}.LocalDiskEncryptionConfiguration.AwsKmsKey`,
  )(parsed as Props).map((r) => ({ ...r, field: `configuration ${r.field.split(".").pop()}` }));
}

const arnParts = (arn: string) => arn.split(":");

/** The resources an identity policy grants on that name a bucket, a key or a role (no wildcards). */
export function identityPolicyReferences(document: unknown, label: string): Reference[] {
  return (parsePolicyDocument(document).statements ?? []).filter(isAllow).flatMap((statement) =>
    asList(statement.Resource)
      .filter((resource) => resource.startsWith("arn:") && !/[*?]/.test(resource.split("/")[0]))
      .flatMap((resource): Reference[] => {
        const [, , service, , , ...rest] = arnParts(resource);
        const name = rest.join(":");
        if (service === "s3" && name !== "") {
          return [{ kind: "bucket", field: label, value: resource }];
        }
        if (service === "kms" && /^(key|alias)\//.test(name) && !/[*?]/.test(name)) {
          return [{ kind: "kmsKey", field: label, value: resource }];
        }
        if (service === "iam" && name.startsWith("role/") && !/[*?]/.test(name)) {
          return [{ kind: "role", field: label, value: resource }];
        }
        return [];
      }),
  );
}

/** Identity policies are read through stackDocuments; these are the resources' own properties. */
export const REFERENCE_SITES: readonly ReferenceSite[] = [
  {
    resourceClass: ALL_BUCKET_COMPANIONS,
    references: (p) => [
      ...at("bucket", "bucket", "targetBucket")(p),
      ...at("kmsKey", "rules.applyServerSideEncryptionByDefault.kmsMasterKeyId")(p),
    ],
  },
  {
    // Replication copies every object to its destination: a bucket of someone else is an exfiltration path.
    resourceClass: aws.s3.BucketReplicationConfig,
    references: (p) => [
      ...at("bucket", "rules.destination.bucket")(p),
      ...at("kmsKey", "rules.destination.encryptionConfiguration.replicaKmsKeyId")(p),
      ...at("role", "role")(p),
    ],
  },
  {
    resourceClass: [aws.s3.BucketObject, aws.s3.BucketObjectv2],
    references: (p) => [...at("bucket", "bucket")(p), ...at("kmsKey", "kmsKeyId")(p)],
  },
  {
    resourceClass: aws.glue.Job,
    references: (p) => [
      ...at("role", "roleArn")(p),
      ...at("glueSecurityConfiguration", "securityConfiguration")(p),
      ...at("bucket", "command.scriptLocation")(p),
      ...s3Uris(p.defaultArguments as Props | undefined, "defaultArguments"),
      ...s3Uris(p.nonOverridableArguments as Props | undefined, "nonOverridableArguments"),
    ],
  },
  {
    resourceClass: aws.glue.Crawler,
    references: (p) => [
      ...at("role", "role")(p),
      ...at("glueSecurityConfiguration", "securityConfiguration")(p),
    ],
  },
  {
    resourceClass: aws.glue.SecurityConfiguration,
    references: at(
      "kmsKey",
      "encryptionConfiguration.s3Encryption.kmsKeyArn",
      "encryptionConfiguration.cloudwatchEncryption.kmsKeyArn",
      "encryptionConfiguration.jobBookmarksEncryption.kmsKeyArn",
    ),
  },
  {
    resourceClass: aws.glue.DataCatalogEncryptionSettings,
    references: at(
      "kmsKey",
      "dataCatalogEncryptionSettings.encryptionAtRest.sseAwsKmsKeyId",
      "dataCatalogEncryptionSettings.connectionPasswordEncryption.awsKmsKeyId",
    ),
  },
  { resourceClass: aws.glue.CatalogDatabase, references: at("bucket", "locationUri") },
  { resourceClass: aws.glue.CatalogTable, references: at("bucket", "storageDescriptor.location") },
  { resourceClass: IcebergTableDynamicResourceMarker, references: at("bucket", "location") },
  {
    resourceClass: aws.athena.Workgroup,
    references: (p) => [
      ...at("bucket", "configuration.resultConfiguration.outputLocation")(p),
      ...at("kmsKey", "configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn")(p),
    ],
  },
  {
    resourceClass: aws.cloudtrail.Trail,
    references: (p) => [
      ...at("bucket", "s3BucketName")(p),
      ...at("kmsKey", "kmsKeyId")(p),
      ...at("logGroup", "cloudWatchLogsGroupArn")(p),
      ...at("role", "cloudWatchLogsRoleArn")(p),
    ],
  },
  { resourceClass: aws.cloudwatch.LogGroup, references: at("kmsKey", "kmsKeyId") },
  {
    resourceClass: aws.sfn.StateMachine,
    references: (p) => [
      ...at("role", "roleArn")(p),
      ...at("logGroup", "loggingConfiguration.logDestination")(p),
      ...at("kmsKey", "encryptionConfiguration.kmsKeyId")(p),
    ],
  },
  { resourceClass: [aws.sns.Topic, aws.sqs.Queue], references: at("kmsKey", "kmsMasterKeyId") },
  {
    resourceClass: aws.emr.Cluster,
    references: (p) => [
      ...at("role", "serviceRole", "autoscalingRole", "ec2Attributes.instanceProfile")(p),
      ...at("emrSecurityConfiguration", "securityConfiguration")(p),
      ...at("bucket", "logUri")(p),
      ...s3Uris({ configurationsJson: p.configurationsJson }, "cluster"),
      ...at("kmsKey", "logEncryptionKmsKeyId")(p),
    ],
  },
  { resourceClass: aws.emr.SecurityConfiguration, references: emrConfigurationKeys },
  {
    resourceClass: [aws.iam.RolePolicy, aws.iam.RolePolicyAttachment, aws.iam.InstanceProfile],
    references: at("role", "role"),
  },
  { resourceClass: aws.iam.PolicyAttachment, references: at("role", "roles") },
  { resourceClass: aws.scheduler.Schedule, references: at("role", "target.roleArn") },
];

/** A bucket reference's bucket name: from `s3://b/...`, `arn:...:s3:::b/...`, or the name itself. */
export function bucketNameOf(value: string): string {
  if (value.startsWith("s3://")) {
    return parseS3Uri(value)?.bucket ?? value;
  }
  return value.startsWith("arn:") ? arnParts(value).slice(5).join(":").split("/")[0] : value;
}
