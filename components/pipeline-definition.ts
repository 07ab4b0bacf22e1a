/**
 * The Step Functions definition (Amazon States Language) of the daily run:
 * bronze -> silver orders -> silver customers -> gold -> maintenance, any failure -> alert topic. A job
 * whose quality checks fail publishes nothing and fails, so the run stops there and alerts.
 * silver_customers counts the orders silver_orders accepted (curated_orders), so it runs after it.
 * There is no maintenance step when Glue's table optimizers maintain every table.
 * Pure, so tests read the exact state graph.
 */

export interface PipelineJobNames {
  readonly bronze: string;
  readonly silverCustomers: string;
  readonly silverOrders: string;
  readonly gold: string;
  /** Absent when Glue's optimizers maintain every table (`maintenance.tables`). */
  readonly maintenance?: string;
}

/**
 * Transient Glue API errors are retried here; a job's own failure is not (the Glue job retries itself
 * `maxRetries` times, and retrying it twice over would only double the cost of a real bug).
 */
export const TRANSIENT_GLUE_ERRORS = [
  "Glue.ConcurrentRunsExceededException",
  "Glue.ThrottlingException",
  "Glue.InternalServiceException",
  "Glue.OperationTimeoutException",
];

const FAILURE_STATE = "NotifyFailure";

/**
 * Every job of one execution gets the execution's name as its run id (`--run-id`): the name of its audit
 * branches and of the pre-run tag on each table it publishes, which a rollback of the run goes back to.
 */
export const RUN_ID_ARGUMENTS = { "--run-id.$": "$$.Execution.Name" };

function glueTaskIn(
  partition: string,
  jobName: string,
  next: string | undefined,
  catchFailures: boolean,
): Record<string, unknown> {
  return {
    Type: "Task",
    Resource: `arn:${partition}:states:::glue:startJobRun.sync`,
    Parameters: { JobName: jobName, Arguments: RUN_ID_ARGUMENTS },
    Retry: [
      {
        ErrorEquals: TRANSIENT_GLUE_ERRORS,
        IntervalSeconds: 30,
        MaxAttempts: 4,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
    ],
    ...(catchFailures
      ? { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: FAILURE_STATE }] }
      : {}),
    ...(next === undefined ? { End: true } : { Next: next }),
  };
}

/** `partition` names the service integrations' ARNs (`aws`, `aws-us-gov`). */
export function pipelineDefinition(
  jobs: PipelineJobNames,
  alertTopicArn: string,
  partition: string,
): Record<string, unknown> {
  const glueTask = (jobName: string, next: string | undefined, catchFailures: boolean) =>
    glueTaskIn(partition, jobName, next, catchFailures);
  const maintenance =
    jobs.maintenance === undefined ? {} : { Maintenance: glueTask(jobs.maintenance, "Succeeded", true) };
  return {
    Comment:
      jobs.maintenance === undefined
        ? "Iceberg lakehouse daily run: bronze -> silver orders -> silver customers -> gold"
        : "Iceberg lakehouse daily run: bronze -> silver orders -> silver customers -> gold -> maintenance",
    StartAt: "Bronze",
    States: {
      Bronze: glueTask(jobs.bronze, "SilverOrders", true),
      SilverOrders: glueTask(jobs.silverOrders, "SilverCustomers", true),
      SilverCustomers: glueTask(jobs.silverCustomers, "Gold", true),
      Gold: glueTask(jobs.gold, jobs.maintenance === undefined ? "Succeeded" : "Maintenance", true),
      ...maintenance,
      Succeeded: { Type: "Succeed" },
      [FAILURE_STATE]: {
        Type: "Task",
        Resource: `arn:${partition}:states:::sns:publish`,
        Parameters: {
          TopicArn: alertTopicArn,
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
  };
}
