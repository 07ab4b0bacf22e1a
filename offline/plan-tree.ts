import { ResourceRecord } from "./resource-graph";

/**
 * The offline plan as text: the resource tree grouped by component, each resource with its type,
 * logical name, the settings worth checking at a glance, and its protection flags.
 */

type Inputs = Record<string, unknown>;
const get = (value: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, key) => (v as Inputs | undefined)?.[key], value);

const KEY_SETTINGS: Record<string, (i: Inputs) => string> = {
  "aws:kms/key:Key": (i) => `rotation=${i.enableKeyRotation} deletionWindow=${i.deletionWindowInDays}d`,
  "aws:s3/bucket:Bucket": (i) => `forceDestroy=${i.forceDestroy}`,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (i) =>
    `rules=${((i.rules as Inputs[]) ?? []).map((r) => r.id).join(",")}`,
  "aws:glue/catalogDatabase:CatalogDatabase": (i) => `name=${i.name}`,
  "aws:glue/job:Job": (i) =>
    `glue=${i.glueVersion} workers=${i.numberOfWorkers}x${i.workerType} timeout=${i.timeout}m`,
  "aws:athena/workgroup:Workgroup": (i) =>
    `engine="${get(i, "configuration.engineVersion.selectedEngineVersion")}" cutoff=${get(i, "configuration.bytesScannedCutoffPerQuery")}B enforced=${get(i, "configuration.enforceWorkgroupConfiguration")}`,
  "aws:sfn/stateMachine:StateMachine": (i) =>
    `logging=${get(i, "loggingConfiguration.level")} tracing=${get(i, "tracingConfiguration.enabled")}`,
  "aws:scheduler/schedule:Schedule": (i) =>
    `${i.scheduleExpression} ${i.scheduleExpressionTimezone} ${i.state}`,
  "aws:emr/cluster:Cluster": (i) =>
    `${i.releaseLabel} ${get(i, "masterInstanceGroup.instanceType")}+${get(i, "coreInstanceGroup.instanceType")} idle=${get(i, "autoTerminationPolicy.idleTimeout")}s`,
  "awsx:ec2:Vpc": (i) =>
    `${i.cidrBlock} azs=${i.numberOfAvailabilityZones} nat=${get(i, "natGateways.strategy")}`,
  "pulumi-nodejs:dynamic/lakehouse:IcebergTable": (i) =>
    `${i.database}.${i.name} ${(i.columns as unknown[]).length} columns at ${i.location} deletionPolicy=${i.deletionPolicy}`,
  "aws:cloudtrail/trail:Trail": (i) =>
    `multiRegion=${i.isMultiRegionTrail} validation=${i.enableLogFileValidation}`,
};

function label(record: ResourceRecord): string {
  const settings = KEY_SETTINGS[record.type]?.(record.inputs);
  const flags = [record.protect ? "protect" : "", record.retainOnDelete ? "retain" : ""].filter(Boolean);
  const type = record.custom ? record.type : record.type.split(":").pop();
  return [`${type} ${record.name}`, settings, flags.length > 0 ? `[${flags.join(", ")}]` : ""]
    .filter(Boolean)
    .join("  ");
}

export function renderPlanTree(records: readonly ResourceRecord[]): string[] {
  const children = new Map<string, ResourceRecord[]>();
  for (const r of records) {
    const key = r.parent ?? "";
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string, indent: string) => {
    const kids = children.get(parent) ?? [];
    kids.forEach((record, index) => {
      const last = index === kids.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${label(record)}`);
      walk(record.urn, `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk("", "");
  return lines;
}
