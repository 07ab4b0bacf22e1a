import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/**
 * Glue's managed table maintenance (`aws.glue.CatalogTableOptimizer`) under the floors the maintenance
 * job keeps: orphan files younger than 3 days can belong to writes in flight, and snapshot expiry
 * must say how much history it keeps rather than take AWS's defaults (or the table's own properties,
 * which the stack does not see).
 */

/** Orphan files younger than this are never deleted (the same floor as the job and the stack config). */
export const MIN_ORPHAN_FILE_RETENTION_DAYS = 3;

export const TABLE_OPTIMIZER_TYPES: readonly string[] = ["compaction", "retention", "orphan_file_deletion"];

/** The part of an optimizer's properties the floors read. */
interface OptimizerProps {
  readonly type?: string;
  readonly configuration?: {
    readonly retentionConfiguration?: {
      readonly icebergConfiguration?: {
        readonly snapshotRetentionPeriodInDays?: number;
        readonly numberOfSnapshotsToRetain?: number;
      };
    };
    readonly orphanFileDeletionConfiguration?: {
      readonly icebergConfiguration?: {
        readonly orphanFileRetentionPeriodInDays?: number;
        readonly location?: string;
      };
    };
  };
}

/** The problems of one optimizer against the floors, as messages. */
export function optimizerFloorProblems(label: string, optimizer: OptimizerProps): string[] {
  switch (optimizer.type) {
    case "compaction":
      return [];
    case "retention": {
      const retention = optimizer.configuration?.retentionConfiguration?.icebergConfiguration;
      return [
        atLeast(label, "snapshotRetentionPeriodInDays", retention?.snapshotRetentionPeriodInDays, 1),
        atLeast(label, "numberOfSnapshotsToRetain", retention?.numberOfSnapshotsToRetain, 1),
      ].flat();
    }
    case "orphan_file_deletion": {
      const orphans = optimizer.configuration?.orphanFileDeletionConfiguration?.icebergConfiguration;
      const days = orphans?.orphanFileRetentionPeriodInDays;
      const location = orphans?.location;
      return [
        ...(days === undefined
          ? [
              `${label} leaves orphanFileRetentionPeriodInDays to AWS's default; set it (>= ${MIN_ORPHAN_FILE_RETENTION_DAYS})`,
            ]
          : days < MIN_ORPHAN_FILE_RETENTION_DAYS
            ? [
                `${label} deletes orphan files once they are ${days} day${days === 1 ? "" : "s"} old; at least ` +
                  `${MIN_ORPHAN_FILE_RETENTION_DAYS} days are required: younger files can belong to writes in flight`,
              ]
            : []),
        ...(location === undefined || location === ""
          ? []
          : [
              `${label} looks for orphan files in "${location}"; leave location unset so only the table's own ` +
                "folder is searched (another folder can hold other tables' files)",
            ]),
      ];
    }
    default:
      return [`${label} has type "${String(optimizer.type)}"; accepted: ${TABLE_OPTIMIZER_TYPES.join(", ")}`];
  }
}

function atLeast(label: string, key: string, value: number | undefined, minimum: number): string[] {
  if (value === undefined) {
    return [`${label} leaves ${key} to AWS's default; set it (>= ${minimum})`];
  }
  return value < minimum ? [`${label} has ${key} ${value}; at least ${minimum} is required`] : [];
}

export const glueTableOptimizerSafetyFloors: ResourceValidationPolicy = {
  name: "glue-table-optimizer-safety-floors",
  description:
    "Glue table optimizers keep the maintenance job's safety floors: orphan file deletion keeps files younger " +
    "than 3 days and searches only the table's own folder; snapshot retention sets its retention days and " +
    "snapshots to keep (at least 1 each) instead of AWS's defaults.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set orphanFileRetentionPeriodInDays (>= 3) without a location, and snapshotRetentionPeriodInDays and " +
    "numberOfSnapshotsToRetain; ManagedTableMaintenance sets them from the stack's maintenance settings.",
  validateResource: validateResourceOfType(
    aws.glue.CatalogTableOptimizer,
    (optimizer, args, reportViolation) => {
      const label = `table optimizer "${args.name}" (${String(optimizer.type)} of ${String(optimizer.tableName)})`;
      for (const problem of optimizerFloorProblems(label, optimizer)) {
        reportViolation(problem);
      }
    },
  ),
};

export const TABLE_OPTIMIZER_POLICIES = [glueTableOptimizerSafetyFloors];
