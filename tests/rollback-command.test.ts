import { CreateJobCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { EXIT_CODES } from "../cli/exit-codes";
import { RollbackContext, runRollbackCli } from "../rollback/cli";
import { rollbackDataTables } from "../rollback/rollback-command";
import { MOTO_CREDENTIALS, MotoServer, startMoto } from "./helpers/moto-server";

/**
 * `npm run rollback`: argument errors refused before anything starts, the maintenance job's rollback
 * run started through the AWS SDK against moto (the Glue API emulator), waited for and reported; a run
 * that ends FAILED (a stubbed SDK client: moto's job runs always succeed) is reported with Glue's error.
 */

const STACKS = ["dev", "prod"];
const FAST = { pollMilliseconds: 1, sleep: async () => undefined };

interface Outcome {
  code: number;
  printed: string[];
  errors: string[];
  started: number;
}

async function rollback(argv: string[], overrides: Partial<RollbackContext> = {}): Promise<Outcome> {
  const outcome: Outcome = { code: -1, printed: [], errors: [], started: 0 };
  const context: RollbackContext = {
    stacks: STACKS,
    stackOutputs: async () => {
      throw new Error("no backend in this test");
    },
    glueClient: async () => {
      outcome.started++;
      throw new Error("must not reach AWS");
    },
    print: (line) => outcome.printed.push(line),
    wait: FAST,
    ...overrides,
  };
  outcome.code = await runRollbackCli(argv, context, (text) => outcome.errors.push(text));
  return outcome;
}

describe("npm run rollback: arguments", () => {
  it("accepts the data tables a pipeline run publishes, never their bookkeeping or evidence", () => {
    expect(rollbackDataTables()).to.deep.equal([
      "agg_daily_metrics",
      "curated_customers",
      "curated_orders",
      "customer_counted_orders",
      "raw_customers",
      "raw_orders",
      "raw_products",
    ]);
  });

  const refused: [string[], string][] = [
    [["dev"], "[--run, --table] give exactly one"],
    [["dev", "--run", "r1", "--table", "raw_orders"], "[--run, --table] give exactly one"],
    [["dev", "--run", "r1", "--to-tag", "t"], "[--to-tag] only with --table"],
    [["dev", "--run", "bad id!"], `[--run] must be a pipeline run id (letters, digits, '_', '.', '-'); got "bad id!"`],
    [
      ["dev", "--table", "job_progress", "--to-tag", "t"],
      '[--table] must be one of agg_daily_metrics, curated_customers, curated_orders, customer_counted_orders, raw_customers, raw_orders, raw_products; got "job_progress"',
    ],
    [["dev", "--table", "raw_orders"], "[--to-snapshot, --to-timestamp, --to-tag] give exactly one with --table; got 0"],
    [
      ["dev", "--table", "raw_orders", "--to-tag", "t", "--to-snapshot", "1"],
      "[--to-snapshot, --to-timestamp, --to-tag] give exactly one with --table; got 2",
    ],
    [["dev", "--table", "raw_orders", "--to-snapshot", "12a"], '[--to-snapshot] must be a snapshot id (a whole number); got "12a"'],
    [
      ["dev", "--table", "raw_orders", "--to-timestamp", "2024-03-01 03:00"],
      '[--to-timestamp] must be an ISO-8601 UTC time such as 2024-03-01T03:00:00Z; got "2024-03-01 03:00"',
    ],
    [
      ["dev", "--table", "raw_orders", "--to-timestamp", "2024-03-01T03:00:00+02:00"],
      '[--to-timestamp] must be an ISO-8601 UTC time such as 2024-03-01T03:00:00Z; got "2024-03-01T03:00:00+02:00"',
    ],
    [["dev", "--table", "raw_orders", "--to-tag", "pre run"], `[--to-tag] must be a tag name (letters, digits, '_', '.', '-'); got "pre run"`],
    [["staging", "--run", "r1"], '[stack] give one stack with a stack file (dev, prod); got ["staging"]'],
  ]; // prettier-ignore
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(" ")} (exit 2), starting nothing`, async () => {
      const outcome = await rollback(argv);
      expect(outcome.code).to.equal(EXIT_CODES.usage);
      expect(outcome.errors).to.have.length(1);
      expect(outcome.errors[0].split("\n")[0]).to.equal(message);
      expect(outcome.started).to.equal(0);
    });
  }

  it("refuses an unknown flag with the usage", async () => {
    const outcome = await rollback(["dev", "--run", "r1", "--to-snapshots", "1"]);
    expect(outcome.code).to.equal(EXIT_CODES.usage);
    expect(outcome.errors[0]).to.contain("Unknown option '--to-snapshots'");
    expect(outcome.errors[0]).to.contain("Usage: npm run rollback");
  });

  it("needs the stack's maintenance job: none when the optimizers maintain every table (exit 4)", async () => {
    const outcome = await rollback(["prod", "--run", "r1"], {
      stackOutputs: async () => ({ glueJobNames: { bronze_ingest: "bronze-1a2b" } }),
    });
    expect(outcome.code).to.equal(EXIT_CODES.prerequisiteMissing);
    expect(outcome.errors).to.deep.equal([
      'stack prod has no maintenance job (glueJobNames: {"bronze_ingest":"bronze-1a2b"}): when Glue\'s table ' +
        "optimizers maintain every table there is none, and no rollback job on AWS. Deploy the stack, or give " +
        "the job with --job-name",
    ]);
    expect(outcome.started).to.equal(0);
  });
});

describe("npm run rollback: the maintenance job's rollback run through the AWS SDK (moto)", () => {
  let moto: MotoServer;
  const glueOn = (endpoint: string) =>
    new GlueClient({ region: "eu-west-1", endpoint, credentials: MOTO_CREDENTIALS });

  before(async () => {
    moto = await startMoto();
    // Job runs move STARTING -> RUNNING -> SUCCEEDED, one step per GetJobRun (moto's state manager).
    const transition = { model_name: "glue::job_run", transition: { progression: "manual", times: 1 } };
    await fetch(`${moto.endpoint}/moto-api/state-manager/set-transition`, {
      method: "POST",
      body: JSON.stringify(transition),
    });
    const glue = glueOn(moto.endpoint);
    await glue.send(
      new CreateJobCommand({
        Name: "lakehouse-dev-maintenance-1a2b",
        Role: "arn:aws:iam::123456789012:role/maintenance",
        Command: { Name: "glueetl", ScriptLocation: "s3://artifacts/jobs/maintenance.py" },
      }),
    );
    glue.destroy();
  });
  after(async () => moto.stop());

  it("starts the job from the stack's outputs with the rollback arguments, waits until it ends, reports", async () => {
    const outcome = await rollback(["dev", "--run", "exec-2024-03-01"], {
      stackOutputs: async (stack) => ({
        glueJobNames: { maintenance: `lakehouse-${stack}-maintenance-1a2b` },
      }),
      glueClient: async () => glueOn(moto.endpoint),
    });
    expect(outcome.errors).to.deep.equal([]);
    expect(outcome.code).to.equal(EXIT_CODES.ok);
    const runId = /run (jr_[0-9a-f]+)/.exec(outcome.printed[0])![1];
    expect(outcome.printed).to.deep.equal([
      `started lakehouse-dev-maintenance-1a2b run ${runId} with {"--mode":"rollback","--rollback-run":"exec-2024-03-01"}`,
      `lakehouse-dev-maintenance-1a2b run ${runId}: RUNNING`,
      `lakehouse-dev-maintenance-1a2b run ${runId}: SUCCEEDED; the rolled-back tables and row counts are in its summary`,
    ]);
    const glue = glueOn(moto.endpoint);
    const run = await glue.send(
      new GetJobRunCommand({ JobName: "lakehouse-dev-maintenance-1a2b", RunId: runId }),
    );
    glue.destroy();
    expect(run.JobRun?.Arguments).to.deep.equal({
      "--mode": "rollback",
      "--rollback-run": "exec-2024-03-01",
    });
  });

  it("rolls back one table to a time with --job-name, without reading the stack's outputs", async () => {
    const outcome = await rollback(
      ["dev", "--table", "curated_orders", "--to-timestamp", "2024-03-01T03:00:00Z", "--job-name", "lakehouse-dev-maintenance-1a2b"],
      { glueClient: async () => glueOn(moto.endpoint) },
    ); // prettier-ignore
    expect(outcome.code).to.equal(EXIT_CODES.ok);
    expect(outcome.printed[0]).to.match(
      /^started lakehouse-dev-maintenance-1a2b run jr_[0-9a-f]+ with \{"--mode":"rollback","--rollback-table":"curated_orders","--to-timestamp":"2024-03-01T03:00:00Z"\}$/,
    );
  });

  it("reports a job the account does not have as a failed operation (exit 1)", async () => {
    const outcome = await rollback(["dev", "--run", "r1", "--job-name", "nope"], {
      glueClient: async () => glueOn(moto.endpoint),
    });
    expect(outcome.code).to.equal(EXIT_CODES.failed);
    expect(outcome.errors).to.have.length(1);
    expect(outcome.errors[0]).to.match(
      /^could not start nope: EntityNotFoundException: .*; nothing was rolled back$/,
    );
  });
});

describe("npm run rollback: a rollback run that fails (stubbed SDK client)", () => {
  it("reports the run, its state and Glue's error message, and where the summary is (exit 1)", async () => {
    const glue = mockClient(GlueClient);
    try {
      glue.on(StartJobRunCommand).resolves({ JobRunId: "jr_1" });
      glue
        .on(GetJobRunCommand)
        .resolvesOnce({ JobRun: { JobRunState: "RUNNING" } })
        .resolves({
          JobRun: {
            JobRunState: "FAILED",
            ErrorMessage:
              "RollbackRefused: [--to-tag] glue_catalog.sales.curated_orders has no tag pre-run-x",
            LogGroupName: "/aws-glue/jobs",
          },
        });
      const outcome = await rollback(["dev", "--table", "curated_orders", "--to-tag", "pre-run-x", "--job-name", "m"], {
        glueClient: async () => new GlueClient({ region: "eu-west-1", credentials: MOTO_CREDENTIALS }),
      }); // prettier-ignore
      expect(outcome.code).to.equal(EXIT_CODES.failed);
      expect(outcome.errors).to.deep.equal([
        "m run jr_1 ended FAILED: RollbackRefused: [--to-tag] glue_catalog.sales.curated_orders has no tag " +
          "pre-run-x. The job's summary is in its CloudWatch log (/aws-glue/jobs, run jr_1); a rollback checks " +
          "its target before it changes anything",
      ]);
      expect(glue.commandCalls(StartJobRunCommand)[0].args[0].input).to.deep.equal({
        JobName: "m",
        Arguments: { "--mode": "rollback", "--rollback-table": "curated_orders", "--to-tag": "pre-run-x" },
      });
    } finally {
      glue.restore();
    }
  });
});
