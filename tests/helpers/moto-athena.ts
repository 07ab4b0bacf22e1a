import { AthenaClient, GetQueryExecutionCommand, ListQueryExecutionsCommand } from "@aws-sdk/client-athena";

/**
 * moto's own control API (`/moto-api/...`) for the IcebergTable tests: forget every resource between
 * tests, and make Athena query executions step QUEUED -> RUNNING -> SUCCEEDED, one step per
 * GetQueryExecution (by default moto reports SUCCEEDED at once). And what moto's Athena recorded.
 */

async function post(url: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
}

export function resetMoto(endpoint: string): Promise<void> {
  return post(`${endpoint}/moto-api/reset`);
}

export function stepThroughAthenaQueryStates(endpoint: string): Promise<void> {
  return post(`${endpoint}/moto-api/state-manager/set-transition`, {
    model_name: "athena::execution",
    transition: { progression: "manual", times: 1 },
  });
}

/** One statement moto recorded (it runs none), with the workgroup and database it was sent to. */
export interface RecordedQuery {
  readonly sql: string;
  readonly workgroup: string;
  readonly database: string;
}

/** Every statement the workgroup was asked to run, oldest first. */
export async function recordedQueries(athena: AthenaClient, workgroup: string): Promise<RecordedQuery[]> {
  const { QueryExecutionIds = [] } = await athena.send(
    new ListQueryExecutionsCommand({ WorkGroup: workgroup }),
  );
  const runs = await Promise.all(
    QueryExecutionIds.map((id) => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))),
  );
  return runs.map(({ QueryExecution: q }) => ({
    sql: q?.Query ?? "",
    workgroup: q?.WorkGroup ?? "",
    database: q?.QueryExecutionContext?.Database ?? "",
  }));
}

/** The text of every statement the workgroup was asked to run, oldest first. */
export async function recordedSql(athena: AthenaClient, workgroup: string): Promise<string[]> {
  return (await recordedQueries(athena, workgroup)).map((q) => q.sql);
}
