import {
  AthenaClient,
  GetQueryExecutionCommand,
  QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import {
  AthenaQueryError,
  isAthenaQueryError,
  runAthenaStatement,
} from "../../components/iceberg-table/athena-query-runner";
import {
  createAwsClients,
  destroyAwsClients,
  SDK_MAX_ATTEMPTS,
} from "../../components/iceberg-table/aws-clients";

const STATEMENT = "ALTER TABLE `sales`.`orders` ADD COLUMNS (`channel` string)";
const TARGET = { workgroup: "lakehouse-athena", database: "sales" };
const FAST = { initialPollDelayMs: 1, maxPollDelayMs: 4, timeoutMs: 5000 };
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

const state = (State: QueryExecutionState, extra: Record<string, unknown> = {}) => ({
  QueryExecution: { QueryExecutionId: "q-1", Status: { State, ...extra } },
});

async function rejection(run: Promise<unknown>): Promise<AthenaQueryError> {
  try {
    await run;
  } catch (error) {
    expect(isAthenaQueryError(error)).to.equal(true);
    return error as AthenaQueryError;
  }
  throw new Error("expected the statement to fail");
}

describe("Athena query runner (injected responses)", () => {
  // Mocked from this suite's start to its end only: other suites' providers use the real client.
  let athena: AwsClientStub<AthenaClient>;
  const client = new AthenaClient({ region: "eu-west-1", credentials });

  before(() => {
    athena = mockClient(AthenaClient);
  });
  beforeEach(() => {
    athena.reset();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
  });
  after(() => athena.restore());

  it("starts in the workgroup with a request token and waits through a RUNNING -> QUEUED bounce", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state("QUEUED"))
      .resolvesOnce(state("RUNNING"))
      .resolvesOnce(state("QUEUED"))
      .resolvesOnce(state("RUNNING"))
      .resolves(state("SUCCEEDED"));
    expect(await runAthenaStatement(client, STATEMENT, TARGET, FAST)).to.equal("q-1");
    const [start] = athena.commandCalls(StartQueryExecutionCommand);
    const { ClientRequestToken, ...input } = start.args[0].input;
    expect(input).to.deep.equal({
      QueryString: STATEMENT,
      WorkGroup: "lakehouse-athena",
      QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: "sales" },
    });
    expect(ClientRequestToken).to.match(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(athena.commandCalls(GetQueryExecutionCommand).length).to.equal(5);
  });

  it("fails with Athena's category, type and message plus the statement", async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      state("FAILED", {
        StateChangeReason: "line 1:8: mismatched input",
        AthenaError: {
          ErrorCategory: 2,
          ErrorType: 1006,
          Retryable: false,
          ErrorMessage: "line 1:8: mismatched input 'ADD'",
        },
      }),
    );
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, FAST));
    expect(error.message).to.equal(
      `Athena query q-1 FAILED: USER error, type 1006: line 1:8: mismatched input 'ADD'\n  statement: ${STATEMENT}`,
    );
    expect(error.details).to.deep.equal({
      queryExecutionId: "q-1",
      state: "FAILED",
      errorCategory: 2,
      errorType: 1006,
      retryable: false,
    });
  });

  it("says when Athena marks a failure retryable", async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      state("FAILED", {
        AthenaError: { ErrorCategory: 1, ErrorType: 401, Retryable: true, ErrorMessage: "internal error" },
      }),
    );
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, FAST));
    expect(error.message).to.equal(
      `Athena query q-1 FAILED: SYSTEM error, type 401 (Athena marks it retryable): internal error\n  statement: ${STATEMENT}`,
    );
  });

  it("reports a cancelled query with its reason", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves(state("CANCELLED", { StateChangeReason: "Query cancelled by user" }));
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, FAST));
    expect(error.message).to.equal(
      `Athena query q-1 CANCELLED: Query cancelled by user\n  statement: ${STATEMENT}`,
    );
  });

  it("stops a query that outlives the timeout and says the next run re-plans", async () => {
    athena.on(GetQueryExecutionCommand).resolves(state("RUNNING"));
    athena.on(StopQueryExecutionCommand).resolves({});
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, { ...FAST, timeoutMs: 30 }));
    expect(error.message).to.equal(
      `Athena query q-1 did not finish within 30 ms (last state RUNNING); it was asked to stop; it may still take effect, and the next update re-reads the live table and plans from there\n  statement: ${STATEMENT}`,
    );
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).to.deep.equal([
      { QueryExecutionId: "q-1" },
    ]);
  });

  it("stops the query when asking for its state fails, naming the query and the statement", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state("RUNNING"))
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    athena.on(StopQueryExecutionCommand).resolves({});
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, FAST));
    expect(error.message).to.equal(
      `Athena query q-1: asking for its state failed (GetQueryExecution: AccessDeniedException: not authorized); it was asked to stop; it may still take effect, and the next update re-reads the live table and plans from there\n  statement: ${STATEMENT}`,
    );
    expect(error.details).to.deep.equal({ queryExecutionId: "q-1", state: "RUNNING" });
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).to.deep.equal([
      { QueryExecutionId: "q-1" },
    ]);
  });

  it("says so when stopping the query fails too", async () => {
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    athena.on(GetQueryExecutionCommand).rejects(denied);
    athena.on(StopQueryExecutionCommand).rejects(denied);
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, FAST));
    expect(error.message).to.equal(
      `Athena query q-1: asking for its state failed (GetQueryExecution: AccessDeniedException: not authorized); asking it to stop failed too (StopQueryExecution: AccessDeniedException: not authorized); it may still take effect, and the next update re-reads the live table and plans from there\n  statement: ${STATEMENT}`,
    );
  });

  it("reports a start Athena refuses, naming the workgroup", async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(Object.assign(new Error("WorkGroup is not found."), { name: "InvalidRequestException" }));
    const error = await rejection(runAthenaStatement(client, STATEMENT, TARGET, FAST));
    expect(error.message).to.equal(
      `Athena refused to start the query in workgroup "lakehouse-athena": InvalidRequestException: WorkGroup is not found.\n  statement: ${STATEMENT}`,
    );
  });
});

describe("Athena clients' retry strategy", () => {
  // Throttling through that strategy is proven over HTTP in provider-faults.test.ts.
  it("uses the standard retry strategy with 8 attempts", async () => {
    const clients = await createAwsClients({ region: "eu-west-1" });
    expect([
      SDK_MAX_ATTEMPTS,
      await clients.athena.config.maxAttempts(),
      clients.athena.config.retryMode,
    ]).to.deep.equal([8, 8, "standard"]);
    destroyAwsClients(clients);
  });
});
