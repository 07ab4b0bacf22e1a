import * as aws from "@pulumi/aws";
import { PolicyResource } from "@pulumi/policy";
import { BUCKET_CLASSES } from "./s3-types";
import { ResourceClass, resourcesOf } from "./stack-resources";

/**
 * Every IAM-style policy document of the stack, with what kind it is and how messages name it:
 * identity policies (what a principal may do), trust policies (who may assume a role), key policies
 * and the other resource-based policies (who may use a bucket, topic, queue, catalog, log group).
 */
export type DocumentKind = "identity" | "trust" | "key" | "resource";

export interface StackDocument {
  readonly resource: PolicyResource;
  readonly kind: DocumentKind;
  /** e.g. `role policy "job-access"`, `policy of bucket "data"`. */
  readonly label: string;
  readonly document: unknown;
}

interface DocumentSite {
  readonly resourceClass: ResourceClass | readonly ResourceClass[];
  readonly kind: DocumentKind;
  readonly documents: (resource: PolicyResource) => { readonly label: string; readonly document: unknown }[];
}

/** A site whose document is one property, named `<what> "<resource name>"`. */
const single =
  (property: string, what: string) =>
  (resource: PolicyResource): { label: string; document: unknown }[] =>
    resource.props[property] === undefined
      ? []
      : [{ label: `${what} "${resource.name}"`, document: resource.props[property] }];

const SITES: readonly DocumentSite[] = [
  { resourceClass: aws.iam.RolePolicy, kind: "identity", documents: single("policy", "role policy") },
  { resourceClass: aws.iam.Policy, kind: "identity", documents: single("policy", "policy") },
  { resourceClass: aws.iam.UserPolicy, kind: "identity", documents: single("policy", "user policy") },
  { resourceClass: aws.iam.GroupPolicy, kind: "identity", documents: single("policy", "group policy") },
  {
    resourceClass: aws.iam.Role,
    kind: "identity",
    documents: (role) =>
      ((role.props.inlinePolicies ?? []) as { name?: string; policy?: unknown }[]).map((inline) => ({
        label: `inline policy "${inline.name ?? ""}" of role "${role.name}"`,
        document: inline.policy,
      })),
  },
  {
    resourceClass: aws.iam.Role,
    kind: "trust",
    documents: single("assumeRolePolicy", "trust policy of role"),
  },
  { resourceClass: aws.kms.Key, kind: "key", documents: single("policy", "policy of KMS key") },
  { resourceClass: aws.kms.KeyPolicy, kind: "key", documents: single("policy", "key policy") },
  { resourceClass: aws.s3.BucketPolicy, kind: "resource", documents: single("policy", "bucket policy") },
  { resourceClass: BUCKET_CLASSES, kind: "resource", documents: single("policy", "inline policy of bucket") },
  {
    resourceClass: aws.s3.AccessPoint,
    kind: "resource",
    documents: single("policy", "policy of access point"),
  },
  {
    resourceClass: aws.s3control.AccessPointPolicy,
    kind: "resource",
    documents: single("policy", "access point policy"),
  },
  { resourceClass: aws.sns.Topic, kind: "resource", documents: single("policy", "policy of topic") },
  { resourceClass: aws.sns.TopicPolicy, kind: "resource", documents: single("policy", "topic policy") },
  { resourceClass: aws.sqs.Queue, kind: "resource", documents: single("policy", "policy of queue") },
  { resourceClass: aws.sqs.QueuePolicy, kind: "resource", documents: single("policy", "queue policy") },
  {
    resourceClass: aws.glue.ResourcePolicy,
    kind: "resource",
    documents: single("policy", "Glue catalog policy"),
  },
  {
    resourceClass: aws.cloudwatch.LogResourcePolicy,
    kind: "resource",
    documents: single("policyDocument", "log resource policy"),
  },
];

/** The stack's policy documents, site by site, in stack order within each site. */
export function stackDocuments(
  resources: readonly PolicyResource[],
  kinds?: readonly DocumentKind[],
): StackDocument[] {
  return SITES.filter((site) => kinds === undefined || kinds.includes(site.kind)).flatMap((site) =>
    resourcesOf(resources, site.resourceClass).flatMap((resource) =>
      site.documents(resource).map(({ label, document }) => ({ resource, kind: site.kind, label, document })),
    ),
  );
}
