import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { createServiceRole } from "./service-role";
import { pipelineDefinition, PipelineJobNames } from "./pipeline-definition";

export interface LakehousePipelineArgs {
  readonly context: AwsContext;
  readonly jobs: {
    readonly [K in keyof PipelineJobNames]: { jobName: pulumi.Output<string>; jobArn: pulumi.Output<string> };
  };
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  /** EventBridge Scheduler expression, e.g. `cron(0 3 * * ? *)`. */
  readonly schedule: string;
  readonly scheduleTimezone: string;
  readonly scheduleEnabled: boolean;
  /** Addresses subscribed to the failure topic (each must confirm by email). */
  readonly alertEmails: readonly string[];
}

/**
 * Runs the Glue jobs in order on a schedule: Step Functions with retries on transient Glue errors,
 * failures published to a KMS-encrypted SNS topic, full execution logging to a KMS-encrypted log group,
 * X-Ray tracing, and an EventBridge Scheduler schedule.
 */
export class LakehousePipeline extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly alertTopicArn: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;

  constructor(name: string, args: LakehousePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:orchestration:LakehousePipeline", name, {}, opts);
    const parent = { parent: this };
    const { accountId } = args.context;

    const topic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: args.kmsKeyArn }, parent);
    args.alertEmails.forEach((email, index) => {
      new aws.sns.TopicSubscription(
        `${name}-alert-email-${index}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        parent,
      );
    });

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        // The vendedlogs prefix keeps CloudWatch's resource policy for Step Functions small.
        namePrefix: "/aws/vendedlogs/states/lakehouse-pipeline-",
        kmsKeyId: args.kmsKeyArn,
        retentionInDays: args.logRetentionDays,
      },
      parent,
    );

    const jobs = Object.values(args.jobs).filter((job) => job !== undefined);
    const role = createServiceRole(
      name,
      {
        service: "states.amazonaws.com",
        sourceAccount: accountId,
        description: `${name} state machine`,
        statements: [
          {
            Sid: "RunLakehouseJobs",
            Effect: "Allow",
            Action: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
            Resource: jobs.map((job) => job.jobArn),
          },
          { Sid: "PublishFailures", Effect: "Allow", Action: "sns:Publish", Resource: topic.arn },
          {
            Sid: "EncryptFailureMessages",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: args.kmsKeyArn,
          },
          {
            Sid: "DeliverExecutionLogs",
            Effect: "Allow",
            // CloudWatch Logs delivery actions support no resource-level scoping.
            Action: [
              "logs:CreateLogDelivery",
              "logs:GetLogDelivery",
              "logs:UpdateLogDelivery",
              "logs:DeleteLogDelivery",
              "logs:ListLogDeliveries",
              "logs:PutResourcePolicy",
              "logs:DescribeResourcePolicies",
              "logs:DescribeLogGroups",
            ],
            Resource: "*",
          },
          {
            Sid: "SendTraces",
            Effect: "Allow",
            // X-Ray actions support no resource-level scoping.
            Action: [
              "xray:PutTraceSegments",
              "xray:PutTelemetryRecords",
              "xray:GetSamplingRules",
              "xray:GetSamplingTargets",
            ],
            Resource: "*",
          },
        ],
      },
      parent,
    );

    // Listed by name, not mapped, so the type checker holds the pipeline's steps to PipelineJobNames.
    const jobNames: pulumi.Output<PipelineJobNames> = pulumi.output({
      bronze: args.jobs.bronze.jobName,
      silverCustomers: args.jobs.silverCustomers.jobName,
      silverOrders: args.jobs.silverOrders.jobName,
      gold: args.jobs.gold.jobName,
      ...(args.jobs.maintenance === undefined ? {} : { maintenance: args.jobs.maintenance.jobName }),
    });
    const stateMachine = new aws.sfn.StateMachine(
      name,
      {
        type: "STANDARD",
        roleArn: role.arn,
        definition: pulumi
          .all([jobNames, topic.arn, args.context.partition])
          .apply(([names, topicArn, partition]) =>
            JSON.stringify(pipelineDefinition(names, topicArn, partition)),
          ),
        loggingConfiguration: {
          level: "ALL",
          includeExecutionData: true,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      parent,
    );

    const schedulerRole = createServiceRole(
      `${name}-scheduler`,
      {
        service: "scheduler.amazonaws.com",
        sourceAccount: accountId,
        description: `${name} schedule`,
        statements: [
          {
            Sid: "StartPipeline",
            Effect: "Allow",
            Action: "states:StartExecution",
            Resource: stateMachine.arn,
          },
        ],
      },
      parent,
    );
    const schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        description: "Scheduled lakehouse pipeline run (bronze, silver, gold, maintenance)",
        scheduleExpression: args.schedule,
        scheduleExpressionTimezone: args.scheduleTimezone,
        state: args.scheduleEnabled ? "ENABLED" : "DISABLED",
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          arn: stateMachine.arn,
          roleArn: schedulerRole.arn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      },
      parent,
    );

    this.stateMachineArn = stateMachine.arn;
    this.alertTopicArn = topic.arn;
    this.scheduleName = schedule.name;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      alertTopicArn: this.alertTopicArn,
      scheduleName: this.scheduleName,
    });
  }
}
