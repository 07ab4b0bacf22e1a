/** AWS as the preview environment sweep sees it (automation/sweep.ts): the interface, and what it deletes. */

/** What the sweep deletes, in this order (buckets before the key that encrypts them). */
export const SWEPT_TYPES = [
  "s3:bucket",
  "glue:job",
  "athena:workgroup",
  "logs:log-group",
  "kms:key",
] as const;
export type SweptType = (typeof SWEPT_TYPES)[number];

export interface TaggedResource {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** AWS, as the sweep needs it (sweep-aws.ts; moto in tests). */
export interface AwsSweeper {
  /** Every resource tagged `Project=<project>` and `Environment=preview` (Resource Groups Tagging API). */
  findPreviewResources(project: string): Promise<TaggedResource[]>;
  /** Deletes one resource of a swept type (a KMS key: scheduled for deletion after 7 days). */
  deleteResource(resource: TaggedResource, type: SweptType): Promise<string>;
}
