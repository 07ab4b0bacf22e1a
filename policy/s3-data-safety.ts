import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { lakehouseLocations } from "./lib/lakehouse-locations";
import { prefixesOverlap } from "./lib/s3-paths";
import { BUCKET_CLASSES, S3_COMPANIONS, validateEveryBucket } from "./lib/s3-types";
import { PREVIEW, providerEnvironment } from "./lib/stack-environment";
import { companionsOf, resourcesOf } from "./lib/stack-resources";

/**
 * Data-safety rules of docs/security-baseline.md for S3: no lifecycle touches live tables, no
 * forceDestroy.
 */

/**
 * The storage classes live table files may move to: instantly readable and stored across availability
 * zones. Anything else is refused: GLACIER and DEEP_ARCHIVE need a restore before a query can read a
 * file, ONEZONE_IA and REDUCED_REDUNDANCY lose data with one zone.
 */
export const LIVE_DATA_STORAGE_CLASSES: readonly string[] = [
  "STANDARD_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
];

/**
 * Folders of a lakehouse data bucket that hold live Iceberg tables even when the tables are not
 * resources of the stack (created by Spark, or by the table component before it existed): the
 * project's layout. In-stack tables' locations and the catalog database's location are added.
 */
export const DEFAULT_LIVE_TABLE_PREFIXES: readonly string[] = [
  "raw/",
  "curated/",
  "aggregated/",
  "quarantine/",
  "warehouse/",
];

function describeEnvironment(environment: string | undefined): string {
  return environment === undefined ? "no Environment tag" : `Environment "${environment}"`;
}

/** Reports `forceDestroy` on a resource whose provider does not say "preview". */
function forceDestroyOnlyInPreviewFor(label: string) {
  return (
    props: { forceDestroy?: boolean },
    args: ResourceValidationArgs,
    reportViolation: ReportViolation,
  ) => {
    const environment = providerEnvironment(args.provider);
    if (props.forceDestroy === true && environment !== PREVIEW) {
      reportViolation(
        `${label} "${args.name}" sets forceDestroy outside a preview environment (${describeEnvironment(environment)})`,
      );
    }
  };
}

export const forceDestroyOnlyInPreview: ResourceValidationPolicy = {
  name: "force-destroy-only-in-preview",
  description:
    "Only preview environments may set forceDestroy (S3 buckets delete every object, Athena workgroups " +
    "their saved queries and history); the environment is the Environment default tag of the AWS provider.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Leave forceDestroy false (storage.forceDestroy in the stack config is accepted only when environment " +
    'is "preview"); empty a bucket deliberately before deleting it.',
  validateResource: [
    ...validateEveryBucket(forceDestroyOnlyInPreviewFor("bucket")),
    validateResourceOfType(aws.athena.Workgroup, forceDestroyOnlyInPreviewFor("workgroup")),
  ],
};

interface LiveDataConfig {
  readonly liveTablePrefixes?: string[];
}

/** Live Iceberg prefixes per data bucket: tables' folders, the catalog's warehouse, the configured folders. */
function livePrefixesByBucket(
  resources: readonly PolicyResource[],
  configured: readonly string[],
): Map<PolicyResource, string[]> {
  const live = new Map<PolicyResource, string[]>();
  for (const { bucket, prefix } of lakehouseLocations(resources)) {
    live.set(bucket, [...new Set([...(live.get(bucket) ?? configured), prefix])]);
  }
  return live;
}

/** The key prefix a lifecycle or tiering rule applies to ("" is the whole bucket). */
function rulePrefix(rule: Record<string, unknown>): string {
  const filter = (rule.filter ?? {}) as { prefix?: string; and?: { prefix?: string } };
  return filter.and?.prefix ?? filter.prefix ?? (rule.prefix as string | undefined) ?? "";
}

function lifecycleProblems(rule: Record<string, unknown>, bucket: string, live: readonly string[]): string[] {
  const prefix = rulePrefix(rule);
  const overlapped = live.find((p) => prefixesOverlap(prefix, p));
  if (rule.status !== "Enabled" || overlapped === undefined) {
    return [];
  }
  const where = `objects under "${prefix}" of bucket "${bucket}", which holds live Iceberg data ("${overlapped}")`;
  const problems: string[] = [];
  const expiration = rule.expiration as { days?: number; date?: string } | undefined;
  if ((expiration?.days ?? 0) > 0 || (expiration?.date ?? "") !== "") {
    problems.push(`lifecycle rule "${String(rule.id)}" expires ${where}`);
  }
  for (const transition of (rule.transitions ?? []) as { storageClass?: string }[]) {
    if (!LIVE_DATA_STORAGE_CLASSES.includes(transition.storageClass ?? "")) {
      problems.push(`lifecycle rule "${String(rule.id)}" moves to ${transition.storageClass} ${where}`);
    }
  }
  return problems;
}

export const noLifecycleOnLiveIcebergData: StackValidationPolicy = {
  name: "no-lifecycle-on-live-iceberg-data",
  description:
    "No S3 lifecycle rule expires objects under a live Iceberg table prefix or moves them to a class other than " +
    "STANDARD_IA, INTELLIGENT_TIERING or GLACIER_IR (GLACIER, DEEP_ARCHIVE, ONEZONE_IA, ...), and no " +
    "intelligent-tiering configuration archives them: queries would fail, data would be " +
    "lost. Live prefixes: in-stack tables' locations, the Glue database's location and the configured folders.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Let Iceberg remove its own files (expire_snapshots, remove_orphan_files); move table data only to " +
    "instantly readable classes (STANDARD_IA, INTELLIGENT_TIERING without archive tiers, GLACIER_IR), and " +
    "expire deleted versions with a noncurrent-version rule.",
  configSchema: {
    properties: {
      liveTablePrefixes: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_LIVE_TABLE_PREFIXES],
        description: "Folders of a lakehouse data bucket that hold live Iceberg tables.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const configured = args.getConfig<LiveDataConfig>().liveTablePrefixes ?? DEFAULT_LIVE_TABLE_PREFIXES;
    const live = livePrefixesByBucket(args.resources, configured);
    if (live.size === 0) {
      args.notApplicable(
        "Policy only applies to stacks with an Iceberg data bucket (a table or catalog database location)",
      );
    }
    const buckets = resourcesOf(args.resources, BUCKET_CLASSES);
    for (const [bucket, prefixes] of live) {
      for (const lifecycle of companionsOf(
        bucket,
        resourcesOf(args.resources, S3_COMPANIONS.lifecycle),
        buckets,
      )) {
        for (const rule of (lifecycle.props.rules ?? []) as Record<string, unknown>[]) {
          lifecycleProblems(rule, bucket.name, prefixes).forEach((problem) =>
            reportViolation(problem, lifecycle.urn),
          );
        }
      }
      for (const tiering of companionsOf(
        bucket,
        resourcesOf(args.resources, S3_COMPANIONS.tiering),
        buckets,
      )) {
        const prefix = rulePrefix(tiering.props);
        const overlapped = prefixes.find((p) => prefixesOverlap(prefix, p));
        const tierings = (tiering.props.tierings ?? []) as { accessTier?: string }[];
        if (tiering.props.status !== "Disabled" && overlapped !== undefined && tierings.length > 0) {
          reportViolation(
            `intelligent-tiering configuration "${tiering.name}" archives (${tierings.map((t) => t.accessTier).join(", ")}) ` +
              `objects under "${prefix}" of bucket "${bucket.name}", which holds live Iceberg data ("${overlapped}")`,
            tiering.urn,
          );
        }
      }
    }
  },
};

export const S3_DATA_SAFETY_POLICIES = [forceDestroyOnlyInPreview, noLifecycleOnLiveIcebergData];
