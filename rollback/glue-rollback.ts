import { GetJobRunCommand, GlueClient, JobRun, StartJobRunCommand } from "@aws-sdk/client-glue";
import { failedError } from "../cli/exit-codes";
import { RollbackTarget, rollbackJobArguments } from "./rollback-command";

/**
 * A rollback on AWS: one run of the stack's maintenance Glue job in rollback mode (the job code that
 * runs on the local Spark in the tests and the demo), started through the AWS SDK, waited for and
 * reported. Glue has no SDK waiter for job runs, so the wait is a GetJobRun poll; each call rides the
 * SDK's own retry.
 */

/** Glue's terminal job run states (JobRunState). */
const FINISHED = new Set(["SUCCEEDED", "FAILED", "ERROR", "TIMEOUT", "STOPPED", "EXPIRED"]);

export interface RollbackWait {
  /** Between two GetJobRun calls. @default 15 s (a Glue job starts in tens of seconds) */
  readonly pollMilliseconds?: number;
  /** Give up waiting (the run goes on) after this long. @default 2 h, above the job's timeout */
  readonly maxWaitMilliseconds?: number;
  readonly print?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RollbackRun {
  readonly jobName: string;
  readonly jobRunId: string;
  readonly state: string;
  readonly arguments: Readonly<Record<string, string>>;
  readonly executionSeconds?: number;
}

const sleeping = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts the rollback run, waits until it ends and returns it when it SUCCEEDED; any other end is an
 * operation error naming the run, its state and Glue's error message (the job's summary, which names a
 * missing target and what exists, is in the job's CloudWatch log: the message says where).
 */
export async function rollbackOnGlue(
  glue: GlueClient,
  jobName: string,
  target: RollbackTarget,
  wait: RollbackWait = {},
): Promise<RollbackRun> {
  const print = wait.print ?? (() => undefined);
  const sleep = wait.sleep ?? sleeping;
  const poll = wait.pollMilliseconds ?? 15_000;
  const limit = wait.maxWaitMilliseconds ?? 2 * 60 * 60 * 1000;
  const args = rollbackJobArguments(target);
  let jobRunId: string;
  try {
    jobRunId = (await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: args }))).JobRunId!;
  } catch (error) {
    // Nothing started: a job the account does not have, a run already going (one at a time), access.
    const { name, message } = error as Error;
    throw failedError(`could not start ${jobName}: ${name}: ${message}; nothing was rolled back`);
  }
  print(`started ${jobName} run ${jobRunId} with ${JSON.stringify(args)}`);
  let run: JobRun | undefined;
  let waited = 0;
  for (;;) {
    run = (await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: jobRunId }))).JobRun;
    const state = run?.JobRunState ?? "UNKNOWN";
    if (FINISHED.has(state)) {
      break;
    }
    if (waited >= limit) {
      throw failedError(
        `${jobName} run ${jobRunId} is still ${state} after ${Math.round(waited / 60000)} min; ` +
          "it goes on: follow it in the Glue console or with aws glue get-job-run",
      );
    }
    print(`${jobName} run ${jobRunId}: ${state}`);
    await sleep(poll);
    waited += poll;
  }
  const result: RollbackRun = {
    jobName,
    jobRunId,
    state: run!.JobRunState!,
    arguments: args,
    ...(run!.ExecutionTime === undefined ? {} : { executionSeconds: run!.ExecutionTime }),
  };
  if (result.state !== "SUCCEEDED") {
    throw failedError(
      `${jobName} run ${jobRunId} ended ${result.state}: ${run!.ErrorMessage ?? "no error message"}. ` +
        `The job's summary is in its CloudWatch log (${run!.LogGroupName ?? "/aws-glue/jobs"}, run ${jobRunId}); ` +
        "a rollback checks its target before it changes anything",
    );
  }
  print(`${jobName} run ${jobRunId}: SUCCEEDED; the rolled-back tables and row counts are in its summary`);
  return result;
}
