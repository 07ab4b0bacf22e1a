import { ResourceRecord } from "../../../offline/resource-graph";

/**
 * Hand-built resource graphs for policy tests: records shaped exactly as the offline capture produces
 * them (URNs as the engine forms them, provider references, property dependencies, outputs), so the
 * same evaluation that checks a real stack checks a fixture.
 */

export interface FixtureOptions {
  readonly parent?: ResourceRecord;
  readonly provider?: ResourceRecord;
  readonly protect?: boolean;
  readonly deleteBeforeReplace?: boolean;
  readonly custom?: boolean;
  /** Inputs whose value comes from another resource (recorded as property dependencies). */
  readonly refs?: Readonly<Record<string, ResourceRecord>>;
  /** Outputs beyond the inputs and the computed id/ARN (e.g. an awsx VPC's subnet ids). */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

const qualifiedType = (urn: string) => urn.split("::")[2];

export class FixtureStack {
  readonly records: ResourceRecord[] = [];

  constructor(
    readonly stack = "fixture",
    readonly project = "iceberg-lakehouse",
  ) {}

  add(
    type: string,
    name: string,
    inputs: Record<string, unknown> = {},
    options: FixtureOptions = {},
  ): ResourceRecord {
    const qualified = options.parent === undefined ? type : `${qualifiedType(options.parent.urn)}$${type}`;
    const refs = options.refs ?? {};
    const dependencies = [...new Set(Object.values(refs).map((r) => r.urn))];
    const record: ResourceRecord = {
      urn: `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`,
      type,
      name,
      custom: options.custom ?? true,
      ...(options.parent === undefined ? {} : { parent: options.parent.urn }),
      ...(options.provider === undefined
        ? {}
        : { provider: `${options.provider.urn}::${options.provider.name}-id` }),
      inputs,
      protect: options.protect ?? false,
      retainOnDelete: false,
      deleteBeforeReplace: options.deleteBeforeReplace ?? false,
      dependencies,
      propertyDependencies: Object.fromEntries(Object.entries(refs).map(([key, r]) => [key, [r.urn]])),
      outputs: { ...inputs, ...computedOutputs(type, name), ...(options.outputs ?? {}) },
    };
    this.records.push(record);
    return record;
  }

  /** An explicit AWS provider whose default tags carry `Environment` (omitted when undefined). */
  awsProvider(environment: string | undefined, name = "aws"): ResourceRecord {
    const tags = {
      Project: this.project,
      ...(environment === undefined ? {} : { Environment: environment }),
    };
    return this.add("pulumi:providers:aws", name, {
      region: "eu-west-1",
      defaultTags: JSON.stringify({ tags }),
    });
  }
}

/** The outputs AWS computes that policies read: ids, bucket names, ARNs. */
function computedOutputs(type: string, name: string): Record<string, unknown> {
  if (type === "aws:s3/bucket:Bucket" || type === "aws:s3/bucketV2:BucketV2") {
    return { id: name, bucket: name, arn: `arn:aws:s3:::${name}` };
  }
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  return { id: name, arn: `arn:aws:${service}:eu-west-1:123456789012:${name}` };
}
