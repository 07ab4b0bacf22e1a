import type { AthenaClient, QueryExecution } from "@aws-sdk/client-athena";
import { randomUUID } from "crypto";
import { hasErrorName, namedError, NamedError } from "../../tables/named-error";

/**
 * Runs one DDL statement in Athena and waits for its end: StartQueryExecution (with a ClientRequestToken,
 * so the SDK's retry of a throttled start cannot start it twice) in the configured workgroup, then
 * GetQueryExecution with growing pauses until SUCCEEDED, FAILED or CANCELLED, within an overall limit.
 * The SDK has no waiter for query executions, hence the polling loop here.
 */

export interface QueryTiming {
  /** First pause before asking for the state. @default 250 */
  readonly initialPollDelayMs: number;
  /** Pauses double up to this. @default 5000 */
  readonly maxPollDelayMs: number;
  /** After this long the query is stopped and the run fails. @default 600000 (10 minutes) */
  readonly timeoutMs: number;
}

export const QUERY_TIMING_DEFAULTS: QueryTiming = {
  initialPollDelayMs: 250,
  maxPollDelayMs: 5000,
  timeoutMs: 600000,
};

export interface QueryTarget {
  readonly workgroup: string;
  readonly database: string;
}

const ERROR_CATEGORIES: Readonly<Record<number, string>> = { 1: "SYSTEM", 2: "USER", 3: "OTHER" };

/** What Athena said about a statement that did not succeed. */
export interface AthenaQueryDetails {
  readonly queryExecutionId?: string;
  readonly state?: string;
  readonly errorCategory?: number;
  readonly errorType?: number;
  readonly retryable?: boolean;
}

/**
 * A statement Athena failed, cancelled, refused or did not finish in time; carries what Athena said
 * (a named error: see tables/named-error.ts).
 */
export type AthenaQueryError = NamedError<
  "AthenaQueryError",
  { readonly statement: string; readonly details: AthenaQueryDetails }
>;

function athenaQueryError(
  message: string,
  statement: string,
  details: AthenaQueryDetails = {},
): AthenaQueryError {
  return namedError("AthenaQueryError", `${message}\n  statement: ${statement}`, { statement, details });
}

export function isAthenaQueryError(error: unknown): error is AthenaQueryError {
  return hasErrorName(error, "AthenaQueryError");
}

function failure(execution: QueryExecution, id: string, statement: string): AthenaQueryError {
  const status = execution.Status ?? {};
  const state = status.State ?? "UNKNOWN";
  const error = status.AthenaError;
  if (state === "CANCELLED" || error === undefined) {
    return athenaQueryError(
      `Athena query ${id} ${state}: ${status.StateChangeReason ?? "no reason given"}`,
      statement,
      { queryExecutionId: id, state },
    );
  }
  const category =
    error.ErrorCategory === undefined
      ? "UNKNOWN"
      : (ERROR_CATEGORIES[error.ErrorCategory] ?? String(error.ErrorCategory));
  const retry = error.Retryable === true ? " (Athena marks it retryable)" : "";
  return athenaQueryError(
    `Athena query ${id} ${state}: ${category} error, type ${error.ErrorType ?? "unknown"}${retry}: ${error.ErrorMessage ?? status.StateChangeReason ?? "no message"}`,
    statement,
    {
      queryExecutionId: id,
      state,
      errorCategory: error.ErrorCategory,
      errorType: error.ErrorType,
      retryable: error.Retryable,
    },
  );
}

/** Asks Athena to stop a query; says whether it was asked, or why asking failed. */
async function stopQuery(
  client: AthenaClient,
  id: string,
  StopQueryExecutionCommand: typeof import("@aws-sdk/client-athena").StopQueryExecutionCommand,
): Promise<string> {
  try {
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    return "it was asked to stop";
  } catch (error) {
    const { name, message } = error as Error;
    return `asking it to stop failed too (StopQueryExecution: ${name}: ${message})`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `statement` to completion; resolves with the query execution id, rejects with AthenaQueryError. */
export async function runAthenaStatement(
  client: AthenaClient,
  statement: string,
  target: QueryTarget,
  timing: QueryTiming = QUERY_TIMING_DEFAULTS,
): Promise<string> {
  const { StartQueryExecutionCommand, GetQueryExecutionCommand, StopQueryExecutionCommand } =
    await import("@aws-sdk/client-athena");
  const started = Date.now();
  let id: string | undefined;
  try {
    const start = await client.send(
      new StartQueryExecutionCommand({
        QueryString: statement,
        ClientRequestToken: randomUUID(),
        WorkGroup: target.workgroup,
        QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: target.database },
      }),
    );
    id = start.QueryExecutionId;
  } catch (error) {
    const { name, message } = error as Error;
    throw athenaQueryError(
      `Athena refused to start the query in workgroup "${target.workgroup}": ${name}: ${message}`,
      statement,
    );
  }
  if (id === undefined) {
    throw athenaQueryError("Athena returned no QueryExecutionId", statement);
  }
  let delay = timing.initialPollDelayMs;
  let state = "QUEUED";
  while (Date.now() - started < timing.timeoutMs) {
    await sleep(Math.min(delay, Math.max(0, timing.timeoutMs - (Date.now() - started))));
    delay = Math.min(delay * 2, timing.maxPollDelayMs);
    let execution: QueryExecution | undefined;
    try {
      ({ QueryExecution: execution } = await client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      ));
    } catch (error) {
      // The SDK's retries are spent: the query may still run, so it is stopped rather than left behind.
      const { name, message } = error as Error;
      const stopped = await stopQuery(client, id, StopQueryExecutionCommand);
      throw athenaQueryError(
        `Athena query ${id}: asking for its state failed (GetQueryExecution: ${name}: ${message}); ${stopped}; it may still take effect, and the next update re-reads the live table and plans from there`,
        statement,
        { queryExecutionId: id, state },
      );
    }
    state = execution?.Status?.State ?? "UNKNOWN";
    if (state === "SUCCEEDED") {
      return id;
    }
    if (state === "FAILED" || state === "CANCELLED") {
      throw failure(execution ?? {}, id, statement);
    }
    // QUEUED and RUNNING (a RUNNING query can go back to QUEUED on a transient error): keep waiting.
  }
  const stopped = await stopQuery(client, id, StopQueryExecutionCommand);
  throw athenaQueryError(
    `Athena query ${id} did not finish within ${timing.timeoutMs} ms (last state ${state}); ${stopped}; it may still take effect, and the next update re-reads the live table and plans from there`,
    statement,
    { queryExecutionId: id, state },
  );
}
