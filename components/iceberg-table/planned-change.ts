import * as pulumi from "@pulumi/pulumi";
import { planTableChange } from "./evolution-planner";
import { LiveTable, liveTableFromSpec } from "./live-table";
import { planReport } from "./plan-report";
import { IcebergTableSpec, SpecProblem } from "./spec";

/**
 * The change from a resource's previous spec to its new one, planned as if the table were exactly as
 * the previous spec says, or from the live table when its partition spec or sort order changes
 * (`update` plans again from the live table). `check` refuses what cannot be
 * applied in place, so `pulumi preview` fails with the reasons before anything runs; `diff` shows the
 * plan. Refusals belong in `check` rather than `diff`: the engine also diffs during `pulumi refresh`
 * (the refreshed state against the old inputs), where a refusal would fail the refresh itself and
 * leave the drift or a half-done rename unrecorded.
 */

export interface PlannedChange {
  /** What cannot be applied in place (empty when the change can). */
  readonly refusals: readonly SpecProblem[];
  /** The plan as a reviewer reads it, when it has statements. */
  readonly text?: string;
}

/** During preview a computed input is unknown: plan with the value the state holds for it. */
export function withKnownPlacement(spec: IcebergTableSpec, previous: IcebergTableSpec): IcebergTableSpec {
  const unknown = pulumi.runtime.unknownValue;
  const pick = <K extends "database" | "location" | "workgroup" | "region">(key: K) =>
    spec[key] === unknown ? previous[key] : spec[key];
  return {
    ...spec,
    database: pick("database"),
    location: pick("location"),
    workgroup: pick("workgroup"),
    region: pick("region"),
  };
}

/**
 * `live`: the table as read from AWS when the partition spec or sort order changes (their ids come
 * from its metadata); otherwise the plan starts from the previous spec.
 */
export function plannedChange(
  previous: IcebergTableSpec,
  next: IcebergTableSpec,
  droppableColumns: readonly string[],
  live: LiveTable = liveTableFromSpec(previous),
): PlannedChange {
  const desired = withKnownPlacement(next, previous);
  if (desired.region !== previous.region) {
    return {
      refusals: [
        {
          field: "region",
          message: `${previous.region} -> ${desired.region} would be another table; declare a new table instead`,
        },
      ],
    };
  }
  const options = { previouslyManagedProperties: Object.keys(previous.properties), droppableColumns };
  const plan = planTableChange(live, desired, options);
  if (!plan.ok) {
    return { refusals: plan.refusals };
  }
  return plan.statements.length === 0 && plan.layout.length === 0
    ? { refusals: [] }
    : { refusals: [], text: planReport(live, desired, options).text };
}
