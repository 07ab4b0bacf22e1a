import { readArguments } from "../cli/arguments";
import { usageError } from "../cli/exit-codes";
import { rollbackTables } from "../components/job-definitions";

/**
 * The rollback command line (`npm run rollback`), checked before anything is started: the same rules the
 * maintenance job applies again to its arguments (jobs/lakehouse_jobs/arguments.py), so a mistake is
 * reported here, naming the flag and what is accepted, and no Glue job run is started for it.
 */

export const USAGE = `Usage: npm run rollback -- <stack> --run <run id>
       npm run rollback -- <stack> --table <table> (--to-snapshot <id> | --to-timestamp <time> | --to-tag <tag>)

Rolls back what a pipeline run published, or one table, by starting the stack's maintenance Glue job
in rollback mode (--mode rollback), waiting for it and reporting how it ended.

  --run <run id>            every table the run published goes back to its pre-run tag (pre-run-<run id>),
                            bookkeeping included, so the next run reprocesses that input exactly once
  --table <table>           one data table, to one of:
    --to-snapshot <id>        a snapshot id of the table
    --to-timestamp <time>     the snapshot current at an ISO-8601 UTC time (2024-03-01T03:00:00Z)
    --to-tag <tag>            a tag of the table (pre-run-<run id>)
  --job-name <name>         the maintenance Glue job (default: the stack output glueJobNames.maintenance)
  --region <region>         the job's region (default: the stack file's region)

Exit codes: 0 rolled back, 1 the job run did not succeed (its error is printed), 2 usage error
(nothing was started), 4 a prerequisite is missing (the stack's outputs, a maintenance job).`;

/** Bookkeeping tables move with the data tables they describe; never rolled back alone. */
const BOOKKEEPING_TABLES = ["ingestion_log", "job_progress"];
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const REF_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const SNAPSHOT_ID = /^-?\d{1,19}$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|\+00:00)$/;

export type RollbackTarget =
  | { readonly run: string }
  | { readonly table: string; readonly toSnapshot: string }
  | { readonly table: string; readonly toTimestamp: string }
  | { readonly table: string; readonly toTag: string };

export interface RollbackCommand {
  readonly stack: string;
  readonly target: RollbackTarget;
  readonly jobName?: string;
  readonly region?: string;
}

/** The tables `--table` accepts: every table a pipeline run publishes but its bookkeeping. */
export function rollbackDataTables(): string[] {
  return rollbackTables().filter((t) => !BOOKKEEPING_TABLES.includes(t));
}

function target(values: Record<string, string | undefined>): RollbackTarget {
  const { run, table } = values;
  const to = (["to-snapshot", "to-timestamp", "to-tag"] as const).filter((f) => values[f] !== undefined);
  if ((run === undefined) === (table === undefined)) {
    throw usageError(`[--run, --table] give exactly one\n\n${USAGE}`);
  }
  if (run !== undefined) {
    if (to.length > 0) {
      throw usageError(`[${to.map((f) => `--${f}`).join(", ")}] only with --table`);
    }
    if (!RUN_ID.test(run)) {
      throw usageError(`[--run] must be a pipeline run id (letters, digits, '_', '.', '-'); got "${run}"`);
    }
    return { run };
  }
  const tables = rollbackDataTables();
  if (!tables.includes(table!)) {
    throw usageError(`[--table] must be one of ${tables.join(", ")}; got "${table}"`);
  }
  if (to.length !== 1) {
    throw usageError(
      `[--to-snapshot, --to-timestamp, --to-tag] give exactly one with --table; got ${to.length}`,
    );
  }
  const value = values[to[0]]!;
  switch (to[0]) {
    case "to-snapshot":
      if (!SNAPSHOT_ID.test(value)) {
        throw usageError(`[--to-snapshot] must be a snapshot id (a whole number); got "${value}"`);
      }
      return { table: table!, toSnapshot: value };
    case "to-tag":
      if (!REF_NAME.test(value)) {
        throw usageError(`[--to-tag] must be a tag name (letters, digits, '_', '.', '-'); got "${value}"`);
      }
      return { table: table!, toTag: value };
    default:
      if (!UTC_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw usageError(
          `[--to-timestamp] must be an ISO-8601 UTC time such as 2024-03-01T03:00:00Z; got "${value}"`,
        );
      }
      return { table: table!, toTimestamp: value };
  }
}

/** Reads the command line (pure); `stacks`: the stacks with a stack file. */
export function parseRollbackCommandLine(
  argv: readonly string[],
  stacks: readonly string[],
): RollbackCommand | "help" {
  const parsed = readArguments(
    argv,
    {
      run: { type: "string" },
      table: { type: "string" },
      "to-snapshot": { type: "string" },
      "to-timestamp": { type: "string" },
      "to-tag": { type: "string" },
      "job-name": { type: "string" },
      region: { type: "string" },
    },
    USAGE,
  );
  if (parsed.help) {
    return "help";
  }
  if (parsed.positionals.length !== 1 || !stacks.includes(parsed.positionals[0])) {
    throw usageError(
      `[stack] give one stack with a stack file (${stacks.join(", ")}); got ${JSON.stringify(parsed.positionals)}`,
    );
  }
  const { "job-name": jobName, region } = parsed.values;
  return {
    stack: parsed.positionals[0],
    target: target(parsed.values as Record<string, string | undefined>),
    ...(jobName === undefined ? {} : { jobName }),
    ...(region === undefined ? {} : { region }),
  };
}

/** The job arguments of the rollback run (the maintenance job's `--mode rollback` flags). */
export function rollbackJobArguments(rollback: RollbackTarget): Record<string, string> {
  const flags: Record<string, string> = { "--mode": "rollback" };
  if ("run" in rollback) {
    flags["--rollback-run"] = rollback.run;
  } else {
    flags["--rollback-table"] = rollback.table;
    if ("toSnapshot" in rollback) flags["--to-snapshot"] = rollback.toSnapshot;
    if ("toTimestamp" in rollback) flags["--to-timestamp"] = rollback.toTimestamp;
    if ("toTag" in rollback) flags["--to-tag"] = rollback.toTag;
  }
  return flags;
}
