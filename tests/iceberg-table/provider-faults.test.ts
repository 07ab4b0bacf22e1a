import { expect } from "chai";
import { renderCreateTable } from "../../components/iceberg-table/athena-ddl";
import { icebergTableProvider, IcebergTableProviderOptions } from "../../components/iceberg-table/provider";
import {
  ATHENA_THROTTLED,
  athenaQueryState,
  InjectedFault,
  jsonApiAnswer,
  ProxiedRequest,
} from "../helpers/fault-proxy";
import { seedLiveTable } from "../helpers/iceberg-fixture";
import { recordedSql } from "../helpers/moto-athena";
import { PROVIDER_FORMS } from "../helpers/serialized-provider";
import {
  ALTER_ORDERS,
  FAST_POLLING,
  IcebergProvider,
  inputsOf,
  markerOfOwner,
  ORDERS,
  shapeOf,
  WORKGROUP,
} from "./orders-fixture";
import { useMotoSuite } from "./moto-suite";

const START = "AmazonAthena.StartQueryExecution";
const GET = "AmazonAthena.GetQueryExecution";

/**
 * The Athena paths the provider depends on, with failures injected over HTTP by a proxy in front of
 * moto (the providers find it through AWS_ENDPOINT_URL, as they would in the engine's provider
 * process): a FAILED statement, throttled starts retried by the SDK, throttling that outlasts the
 * attempts, a query that outlives the timeout. Each runs on the provider as written and as serialized.
 */
describe("IcebergTable provider against injected Athena failures (fault proxy in front of moto)", function () {
  this.timeout(60000);
  let fault: (request: ProxiedRequest) => InjectedFault | undefined = () => undefined;
  const suite = useMotoSuite((request) => fault(request));

  const queryId = (request: ProxiedRequest) =>
    (JSON.parse(request.body) as { QueryExecutionId: string }).QueryExecutionId;
  const starts = () => suite.seen.filter((r) => r.target === START);
  const sqlRun = () => recordedSql(suite.aws.athena, WORKGROUP);

  beforeEach(() => {
    fault = () => undefined;
  });

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      const load = (options: IcebergTableProviderOptions = {}): Promise<IcebergProvider> =>
        form.load(icebergTableProvider({ timing: FAST_POLLING, ...options }));
      const failure = async (run: Promise<unknown>) =>
        run.then(
          () => "no error",
          (e: Error) => e.message,
        );

      it("stops at a FAILED statement with Athena's error; the next update runs only what is left", async () => {
        const provider = await load();
        await seedLiveTable(suite.aws, shapeOf(ORDERS));
        const next = {
          ...ORDERS,
          columns: [...ORDERS.columns, { name: "channel", type: "string" }],
          properties: { format: "orc", write_compression: "zstd" },
        };
        let failedId = "";
        fault = (request) => {
          if (request.target !== GET) {
            return undefined;
          }
          failedId = queryId(request);
          return athenaQueryState(failedId, "FAILED", {
            AthenaError: { ErrorCategory: 2, ErrorType: 1100, ErrorMessage: "boom" },
          });
        };
        expect(await failure(provider.update!("sales.orders", { ...ORDERS }, inputsOf(next)))).to.equal(
          `Athena query ${failedId} FAILED: USER error, type 1100: boom\n  statement: ${ALTER_ORDERS} ADD COLUMNS (\`channel\` string)`,
        );
        expect(starts()).to.have.length(1);
        // Say the ADD COLUMNS did land after all: the next run plans from what is live.
        fault = () => undefined;
        await seedLiveTable(suite.aws, shapeOf(ORDERS, next.columns));
        await provider.update!("sales.orders", { ...ORDERS }, inputsOf(next));
        expect(await sqlRun()).to.deep.equal([
          `${ALTER_ORDERS} ADD COLUMNS (\`channel\` string)`,
          `${ALTER_ORDERS} SET TBLPROPERTIES ('format'='orc')`,
        ]);
      });

      it("records the owner under the entry's VersionId, keeping its Iceberg pointer, and reads again after a concurrent commit", async () => {
        const provider = await load();
        const metadataLocation = await seedLiveTable(suite.aws, shapeOf(ORDERS));
        let conflicts = 0;
        fault = (request) =>
          request.target === "AWSGlue.UpdateTable" && conflicts++ === 0
            ? jsonApiAnswer(
                400,
                {
                  __type: "ConcurrentModificationException",
                  message: "Update table failed due to concurrent modifications",
                },
                "ConcurrentModificationException",
              )
            : undefined;
        const { outs } = await provider.create(inputsOf(ORDERS));
        const updates = suite.seen
          .filter((r) => r.target === "AWSGlue.UpdateTable")
          .map(
            (r) =>
              JSON.parse(r.body) as {
                VersionId: string;
                SkipArchive: boolean;
                TableInput: { Parameters: Record<string, string> };
              },
          );
        expect(updates.map((u) => [u.VersionId, u.SkipArchive, u.TableInput.Parameters])).to.deep.equal(
          [1, 2].map(() => [
            "1",
            true,
            {
              table_type: "ICEBERG",
              metadata_location: metadataLocation,
              ...markerOfOwner(outs!.ownerClaim as string),
            },
          ]),
        );
        expect(suite.seen.filter((r) => r.target === "AWSGlue.GetTable")).to.have.length(4);
      });

      it("rides out throttled starts: the SDK retries with the same request token and the statement runs once", async () => {
        const provider = await load();
        fault = (request) =>
          request.target === START && starts().length <= 2 ? ATHENA_THROTTLED : undefined;
        await provider.create(inputsOf(ORDERS));
        const tokens = starts().map(
          (r) => (JSON.parse(r.body) as { ClientRequestToken: string }).ClientRequestToken,
        );
        expect([tokens.length, new Set(tokens).size]).to.deep.equal([3, 1]);
        expect(await sqlRun()).to.deep.equal([renderCreateTable(ORDERS)]);
      });

      it("gives up when throttling outlasts the attempts, and says so", async () => {
        const provider = await load();
        fault = (request) => (request.target === START ? ATHENA_THROTTLED : undefined);
        // aws:maxRetries 1 in the stack file: two attempts per call.
        expect(
          await failure(provider.create(inputsOf(ORDERS, { aws: { region: "eu-west-1", maxAttempts: 2 } }))),
        ).to.equal(
          `Athena refused to start the query in workgroup "${WORKGROUP}": ThrottlingException: Rate exceeded\n  statement: ${renderCreateTable(ORDERS)}`,
        );
        expect(starts()).to.have.length(2);
        expect(await sqlRun()).to.deep.equal([]);
      });

      it("stops a query whose state it cannot read once the SDK's retries are spent, naming query and statement", async () => {
        const provider = await load();
        let pollingId = "";
        fault = (request) => {
          if (request.target !== GET) {
            return undefined;
          }
          pollingId = queryId(request);
          return ATHENA_THROTTLED;
        };
        const inputs = inputsOf(ORDERS, { aws: { region: "eu-west-1", maxAttempts: 2 } });
        expect(await failure(provider.create(inputs))).to.equal(
          `Athena query ${pollingId}: asking for its state failed (GetQueryExecution: ThrottlingException: Rate exceeded); it was asked to stop; it may still take effect, and the next update re-reads the live table and plans from there\n  statement: ${renderCreateTable(ORDERS)}`,
        );
        expect(suite.seen.filter((r) => r.target === GET)).to.have.length(2);
        expect(
          suite.seen.filter((r) => r.target === "AmazonAthena.StopQueryExecution").map(queryId),
        ).to.deep.equal([pollingId]);
      });

      it("stops a query that outlives the timeout and says the next run re-plans", async () => {
        // Long enough for the start to return and a poll to see RUNNING on a loaded machine.
        const provider = await load({ timing: { ...FAST_POLLING, timeoutMs: 2000 } });
        let runningId = "";
        fault = (request) => {
          if (request.target !== GET) {
            return undefined;
          }
          runningId = queryId(request);
          return athenaQueryState(runningId, "RUNNING");
        };
        expect(await failure(provider.create(inputsOf(ORDERS)))).to.equal(
          `Athena query ${runningId} did not finish within 2000 ms (last state RUNNING); it was asked to stop; it may still take effect, and the next update re-reads the live table and plans from there\n  statement: ${renderCreateTable(ORDERS)}`,
        );
        expect(
          suite.seen.filter((r) => r.target === "AmazonAthena.StopQueryExecution").map(queryId),
        ).to.deep.equal([runningId]);
      });
    });
  }
});
