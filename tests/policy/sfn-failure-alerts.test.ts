import { expect } from "chai";
import { pipelineDefinition } from "../../components/pipeline-definition";
import { stateMachineFailureAlerts } from "../../policy/step-functions";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"; // the fixture topic's ARN
const JOBS = { bronze: "bronze", silverOrders: "silver-o", silverCustomers: "silver-c", gold: "gold" };
const GLUE = "arn:aws:states:::glue:startJobRun.sync";
const ALERT = { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: TOPIC } };

/** A stack with the alert topic and one state machine of `definition`. */
function pipeline(definition: unknown): FixtureStack {
  const f = new FixtureStack();
  const topic = f.add("aws:sns/topic:Topic", "alerts", { kmsMasterKeyId: "alias/k" });
  f.add(
    "aws:sfn/stateMachine:StateMachine",
    "pipeline",
    { definition: JSON.stringify(definition) },
    {
      refs: { definition: topic },
    },
  );
  return f;
}

const job = (next: string, catchTo?: string) => ({
  Type: "Task",
  Resource: GLUE,
  Parameters: { JobName: "j" },
  ...(catchTo === undefined ? {} : { Catch: [{ ErrorEquals: ["States.ALL"], Next: catchTo }] }),
  Next: next,
});

describe("policy: sfn-failure-alerts (the pipeline's failure path alerts)", () => {
  it("passes the stack's own pipeline: every job's failure publishes to the alert topic, then fails", async () => {
    expect(
      await violationsOf(stateMachineFailureAlerts, pipeline(pipelineDefinition(JOBS, TOPIC, "aws")).records),
    ).to.deep.equal([]);
  });

  it("passes a job in a Parallel branch whose enclosing state catches and alerts", async () => {
    const definition = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [{ StartAt: "A", States: { A: { ...job("x"), Next: undefined, End: true } } }],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Alert" }],
          Next: "Done",
        },
        Alert: { ...ALERT, Next: "Failed" },
        Failed: { Type: "Fail" },
        Done: { Type: "Succeed" },
      },
    };
    expect(await violationsOf(stateMachineFailureAlerts, pipeline(definition).records)).to.deep.equal([]);
  });

  it("reports a job without a catch, a catch that swallows, an alert to no stack topic, a path that succeeds", async () => {
    const definition = {
      StartAt: "Bronze",
      States: {
        Bronze: job("Silver"),
        Silver: { ...job("Gold", "Ignore") },
        Gold: { ...job("Maintenance", "AlertElsewhere") },
        Maintenance: { ...job("Done", "AlertThenSucceed") },
        Ignore: { Type: "Pass", Next: "Done" },
        AlertElsewhere: {
          ...ALERT,
          Parameters: { TopicArn: "arn:aws:sns:eu-west-1:999999999999:other" },
          Next: "Failed",
        },
        AlertThenSucceed: { ...ALERT, Next: "Done" },
        Failed: { Type: "Fail" },
        Done: { Type: "Succeed" },
      },
    };
    const message = (state: string, why: string) => ({
      resource: "pipeline",
      message: `state "${state}" of state machine "pipeline": ${why}`,
    });
    expect(await violationsOf(stateMachineFailureAlerts, pipeline(definition).records)).to.deep.equal([
      message("Bronze", "it runs a Glue job and catches no failure (a Catch on States.ALL)"),
      message("Silver", 'its failure path ("Ignore") publishes to no SNS topic of the stack'),
      message("Gold", 'its failure path ("AlertElsewhere") publishes to no SNS topic of the stack'),
      message(
        "Maintenance",
        'its failure path ends in "Done", not in a Fail state: the execution would not show as failed',
      ),
    ]);
  });

  it("reports a definition that is not JSON, and does not apply without state machines", async () => {
    const f = new FixtureStack();
    f.add("aws:sfn/stateMachine:StateMachine", "pipeline", { definition: "{not json" });
    expect(await violationsOf(stateMachineFailureAlerts, f.records)).to.deep.equal([
      { resource: "pipeline", message: 'state machine "pipeline" has a definition that is not JSON' },
    ]);
    expect(await notApplicableOf(stateMachineFailureAlerts, new FixtureStack().records)).to.deep.equal([
      "(stack): Policy only applies to stacks with state machines",
    ]);
  });
});
