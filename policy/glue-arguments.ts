import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isGlueTask, nestedDefinitions, StateMachineState } from "./lib/state-machine";

/**
 * The safety floors of the jobs' own parameters, wherever a job gets them: its default (and
 * non-overridable) arguments, and the Arguments a Step Functions task starts it with. The stack config
 * refuses values under these floors; an argument written into a job or a state machine by hand
 * bypasses that validation, so the pack checks the values the jobs will really receive.
 */

export const DEFAULT_MINIMUM_ORPHAN_FILE_AGE_DAYS = 3;

/** Each guarded argument: the smallest (and largest) value it may take, and why. */
interface Floor {
  readonly minimum: (config: GlueArgumentsConfig) => number;
  readonly maximum?: number;
  readonly why: string;
}

interface GlueArgumentsConfig {
  readonly minimumOrphanFileAgeDays?: number;
}

const FLOORS: Record<string, Floor> = {
  "--orphan-file-min-age-days": {
    minimum: (c) => c.minimumOrphanFileAgeDays ?? DEFAULT_MINIMUM_ORPHAN_FILE_AGE_DAYS,
    why: "younger orphan files can belong to writes in flight",
  },
  "--snapshot-retention-days": { minimum: () => 1, why: "time travel and rollback need the snapshots" },
  "--snapshots-to-keep": { minimum: () => 1, why: "the current snapshot must stay" },
  "--max-bad-record-share": { minimum: () => 0, maximum: 1, why: "it is a share of the input" },
  "--run-tag-retention-days": { minimum: () => 1, why: "a rollback of a run needs its pre-run tags" },
};

/** Arguments no job may get: they override the security configuration's S3 encryption. */
const REFUSED_ARGUMENTS: readonly string[] = ["--encryption-type"];

function argumentProblems(
  values: Record<string, unknown>,
  where: string,
  config: GlueArgumentsConfig,
): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    if (REFUSED_ARGUMENTS.includes(key)) {
      return [`${where} sets ${key}, which overrides the security configuration's encryption`];
    }
    const floor = FLOORS[key];
    if (floor === undefined) {
      return [];
    }
    const number = Number(value);
    const minimum = floor.minimum(config);
    const ok =
      String(value).trim() !== "" &&
      Number.isFinite(number) &&
      number >= minimum &&
      number <= (floor.maximum ?? Infinity);
    const accepted = floor.maximum === undefined ? `>= ${minimum}` : `${minimum}-${floor.maximum}`;
    return ok ? [] : [`${where} sets ${key} to "${String(value)}"; accepted: ${accepted} (${floor.why})`];
  });
}

/** Every Glue StartJobRun task of a definition (nested in Parallel and Map states too), with its Arguments. */
function glueTaskArguments(
  states: Record<string, StateMachineState> | undefined,
): [string, Record<string, unknown>][] {
  return Object.entries(states ?? {}).flatMap(([name, state]) => [
    ...(isGlueTask(state)
      ? [
          [name, { ...(state.Parameters?.Arguments ?? {}), ...(state.Arguments?.Arguments ?? {}) }] as [
            string,
            Record<string, unknown>,
          ],
        ]
      : []),
    ...nestedDefinitions(state).flatMap((nested) => glueTaskArguments(nested.States)),
  ]);
}

const reportAll = (problems: string[], reportViolation: ReportViolation) =>
  problems.forEach((p) => reportViolation(p));

export const glueJobSafetyArguments: ResourceValidationPolicy = {
  name: "glue-job-safety-arguments",
  description:
    "No Glue job is given an argument under the jobs' safety floors, in its default arguments or in a Step " +
    "Functions task that starts it: --orphan-file-min-age-days at least the configured minimum (3 days), " +
    "snapshot retention, snapshots to keep and --run-tag-retention-days at least 1, --max-bad-record-share " +
    "within 0-1; and none gets " +
    "--encryption-type, which overrides the security configuration.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set these values in the stack file (maintenance.*, quality.maxBadRecordShare, rollback.runTagRetentionDays), " +
    "whose validation holds the " +
    "same floors, never as hand-written job or task arguments; leave S3 encryption to the security configuration.",
  configSchema: {
    properties: {
      minimumOrphanFileAgeDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MINIMUM_ORPHAN_FILE_AGE_DAYS,
        description: "Youngest orphan file (days) that maintenance may delete.",
      },
    },
  },
  validateResource: [
    validateResourceOfType(aws.glue.Job, (job, args, reportViolation) => {
      const config = args.getConfig<GlueArgumentsConfig>();
      reportAll(
        [
          ...argumentProblems(job.defaultArguments ?? {}, `Glue job "${args.name}"`, config),
          ...argumentProblems(job.nonOverridableArguments ?? {}, `Glue job "${args.name}"`, config),
        ],
        reportViolation,
      );
    }),
    validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
      let definition: { States?: Record<string, StateMachineState> };
      try {
        definition = JSON.parse(machine.definition) as typeof definition;
      } catch {
        reportViolation(`state machine "${args.name}" has a definition that is not JSON`);
        return;
      }
      const config = args.getConfig<GlueArgumentsConfig>();
      for (const [state, values] of glueTaskArguments(definition.States)) {
        reportAll(
          argumentProblems(values, `state "${state}" of state machine "${args.name}"`, config),
          reportViolation,
        );
      }
    }),
  ],
};
