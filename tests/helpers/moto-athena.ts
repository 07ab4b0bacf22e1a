/**
 * moto's own control API (`/moto-api/...`) for the IcebergTable tests: forget every resource between
 * tests, and make Athena query executions step QUEUED -> RUNNING -> SUCCEEDED, one step per
 * GetQueryExecution (by default moto reports SUCCEEDED at once).
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
