import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { LakehousePipeline } from "../components/lakehouse-pipeline";
import { pipelineDefinition, TRANSIENT_GLUE_ERRORS } from "../components/pipeline-definition";
import { componentGraph, jsonInput, ofType, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts";
const job = (name: string) => ({
  jobName: pulumi.output(name),
  jobArn: pulumi.output(`arn:aws:glue:eu-west-1:123456789012:job/${name}`),
});
const names = {
  bronze: "bronze",
  silverCustomers: "silver-c",
  silverOrders: "silver-o",
  gold: "gold",
  maintenance: "maint",
};

function task(jobName: string, next: string | undefined, withCatch: boolean) {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::glue:startJobRun.sync",
    Parameters: { JobName: jobName, Arguments: { "--run-id.$": "$$.Execution.Name" } },
    Retry: [
      {
        ErrorEquals: TRANSIENT_GLUE_ERRORS,
        IntervalSeconds: 30,
        MaxAttempts: 4,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
    ],
    ...(withCatch
      ? { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyFailure" }] }
      : {}),
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

describe("pipeline definition", () => {
  it("runs bronze, silver orders, silver customers, gold, maintenance in turn; any failure alerts then fails", () => {
    expect(pipelineDefinition(names, TOPIC, "aws")).to.deep.equal({
      Comment:
        "Iceberg lakehouse daily run: bronze -> silver orders -> silver customers -> gold -> maintenance",
      StartAt: "Bronze",
      States: {
        Bronze: task("bronze", "SilverOrders", true),
        SilverOrders: task("silver-o", "SilverCustomers", true),
        SilverCustomers: task("silver-c", "Gold", true),
        Gold: task("gold", "Maintenance", true),
        Maintenance: task("maint", "Succeeded", true),
        Succeeded: { Type: "Succeed" },
        NotifyFailure: {
          Type: "Task",
          Resource: "arn:aws:states:::sns:publish",
          Parameters: {
            TopicArn: TOPIC,
            Subject: "Lakehouse pipeline failed",
            "Message.$": "States.JsonToString($.error)",
          },
          Next: "Failed",
        },
        Failed: {
          Type: "Fail",
          Error: "PipelineFailed",
          Cause: "A lakehouse job failed; see the alert and the logs",
        },
      },
    });
  });

  it("names the service integrations in the stack's partition", () => {
    const definition = pipelineDefinition(names, TOPIC, "aws-us-gov") as {
      States: Record<string, { Resource?: string }>;
    };
    expect([definition.States.Bronze.Resource, definition.States.NotifyFailure.Resource]).to.deep.equal([
      "arn:aws-us-gov:states:::glue:startJobRun.sync",
      "arn:aws-us-gov:states:::sns:publish",
    ]);
  });

  it("retries only transient Glue API errors, never the job's own failure", () => {
    expect(TRANSIENT_GLUE_ERRORS).to.deep.equal([
      "Glue.ConcurrentRunsExceededException",
      "Glue.ThrottlingException",
      "Glue.InternalServiceException",
      "Glue.OperationTimeoutException",
    ]);
  });
});

describe("LakehousePipeline", () => {
  const build = (alertEmails: string[] = ["ops@example.com"], scheduleEnabled = true) =>
    componentGraph(
      (context) =>
        new LakehousePipeline("pipeline", {
          context,
          jobs: {
            bronze: job("bronze"),
            silverCustomers: job("silver-c"),
            silverOrders: job("silver-o"),
            gold: job("gold"),
            maintenance: job("maint"),
          },
          kmsKeyArn: KEY,
          logRetentionDays: 90,
          schedule: "cron(0 3 * * ? *)",
          scheduleTimezone: "UTC",
          scheduleEnabled,
          alertEmails,
        }),
    );

  it("logs ALL with execution data to a KMS-encrypted log group and traces with X-Ray", async () => {
    const graph = await build();
    const machine = resource(graph, "aws:sfn/stateMachine:StateMachine", "pipeline");
    expect(machine.inputs.type).to.equal("STANDARD");
    expect(machine.inputs.loggingConfiguration).to.deep.equal({
      level: "ALL",
      includeExecutionData: true,
      logDestination:
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/lakehouse-pipeline-pipeline-logs:*",
    });
    expect(machine.inputs.tracingConfiguration).to.deep.equal({ enabled: true });
    expect(jsonInput(machine, "definition")).to.deep.equal(
      pipelineDefinition(names, "arn:aws:sns:eu-west-1:123456789012:pipeline-alerts", "aws"),
    );
    expect(resource(graph, "aws:cloudwatch/logGroup:LogGroup", "pipeline-logs").inputs).to.deep.equal({
      namePrefix: "/aws/vendedlogs/states/lakehouse-pipeline-",
      kmsKeyId: KEY,
      retentionInDays: 90,
    });
  });

  it("publishes failures to a KMS-encrypted topic with one email subscription per address", async () => {
    const graph = await build(["a@example.com", "b@example.com"]);
    expect(resource(graph, "aws:sns/topic:Topic", "pipeline-alerts").inputs).to.deep.equal({
      kmsMasterKeyId: KEY,
    });
    expect(ofType(graph, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs)).to.deep.equal([
      {
        topic: "arn:aws:sns:eu-west-1:123456789012:pipeline-alerts",
        protocol: "email",
        endpoint: "a@example.com",
      },
      {
        topic: "arn:aws:sns:eu-west-1:123456789012:pipeline-alerts",
        protocol: "email",
        endpoint: "b@example.com",
      },
    ]);
  });

  it("starts on the configured schedule, through a role that may only start this state machine", async () => {
    const graph = await build([], false);
    expect(resource(graph, "aws:scheduler/schedule:Schedule", "pipeline-schedule").inputs).to.deep.equal({
      description: "Scheduled lakehouse pipeline run (bronze, silver, gold, maintenance)",
      scheduleExpression: "cron(0 3 * * ? *)",
      scheduleExpressionTimezone: "UTC",
      state: "DISABLED",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: "arn:aws:states:eu-west-1:123456789012:stateMachine:pipeline",
        roleArn: "arn:aws:iam::123456789012:role/pipeline-scheduler-role",
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
    expect(
      jsonInput(resource(graph, "aws:iam/rolePolicy:RolePolicy", "pipeline-scheduler-access"), "policy"),
    ).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StartPipeline",
          Effect: "Allow",
          Action: "states:StartExecution",
          Resource: "arn:aws:states:eu-west-1:123456789012:stateMachine:pipeline",
        },
      ],
    });
  });

  it("lets the state machine run exactly the five jobs and publish to its topic", async () => {
    const policy = jsonInput<{ Statement: { Sid: string; Resource: unknown }[] }>(
      resource(await build(), "aws:iam/rolePolicy:RolePolicy", "pipeline-access"),
      "policy",
    );
    expect(policy.Statement.slice(0, 3).map((s) => [s.Sid, s.Resource])).to.deep.equal([
      [
        "RunLakehouseJobs",
        ["bronze", "silver-c", "silver-o", "gold", "maint"].map(
          (n) => `arn:aws:glue:eu-west-1:123456789012:job/${n}`,
        ),
      ],
      ["PublishFailures", "arn:aws:sns:eu-west-1:123456789012:pipeline-alerts"],
      ["EncryptFailureMessages", KEY],
    ]);
  });
});
