import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { referencedResources, resourcesOf } from "./lib/stack-resources";
import {
  isGlueTask,
  isSnsPublish,
  nestedDefinitions,
  parseDefinition,
  StateMachineDefinition,
  StateMachineState,
} from "./lib/state-machine";

/** Step Functions rules of docs/security-baseline.md. */

export const stateMachineLogging: StackValidationPolicy = {
  name: "sfn-logging-all-encrypted",
  description:
    "Every Step Functions state machine logs level ALL with execution data to a CloudWatch log group; a log " +
    "group of the stack must be KMS-encrypted (Checkov CKV_AWS_285; AWS FSBP StepFunctions.1).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set loggingConfiguration { level: "ALL", includeExecutionData: true, logDestination: "<log group arn>:*" } ' +
    "and give the log group kmsKeyId (LakehousePipeline does).",
  validateStack: (args, reportViolation) => {
    const machines = resourcesOf(args.resources, aws.sfn.StateMachine);
    if (machines.length === 0) {
      args.notApplicable("Policy only applies to stacks with state machines");
    }
    const logGroups = resourcesOf(args.resources, aws.cloudwatch.LogGroup);
    for (const machine of machines) {
      const logging = machine.asType(aws.sfn.StateMachine)?.loggingConfiguration;
      if (logging?.level !== "ALL" || logging.includeExecutionData !== true) {
        reportViolation(
          `state machine "${machine.name}" logs level "${logging?.level ?? "OFF"}"` +
            `${logging?.includeExecutionData === true ? "" : " without execution data"}; level ALL with execution data is required`,
          machine.urn,
        );
      }
      if ((logging?.logDestination ?? "") === "") {
        reportViolation(`state machine "${machine.name}" has no log destination`, machine.urn);
      }
      for (const group of referencedResources(machine, "loggingConfiguration", logGroups)) {
        if ((group.props.kmsKeyId ?? "") === "") {
          reportViolation(
            `log group "${group.name}" of state machine "${machine.name}" is not KMS-encrypted`,
            group.urn,
          );
        }
      }
    }
  },
};

export const stateMachineTracing: ResourceValidationPolicy = {
  name: "sfn-xray-tracing",
  description: "Every Step Functions state machine traces executions with X-Ray (Checkov CKV_AWS_284).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set tracingConfiguration { enabled: true }.",
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
    if (machine.tracingConfiguration?.enabled !== true) {
      reportViolation(`state machine "${args.name}" does not trace with X-Ray`);
    }
  }),
};

/**
 * Where a failure caught by `rule` leads: "alerts" when the path publishes to one of `topicArns` and then
 * ends in a Fail state; otherwise why not (pure).
 */
function failurePath(
  states: Record<string, StateMachineState>,
  start: string | undefined,
  topicArns: readonly string[],
): "alerts" | string {
  let alerted = false;
  const seen = new Set<string>();
  for (let name = start; name !== undefined; name = states[name]?.Next) {
    const state = states[name];
    if (state === undefined || seen.has(name)) {
      return `its failure path reaches "${name}", which ${state === undefined ? "does not exist" : "loops"}`;
    }
    seen.add(name);
    if (isSnsPublish(state)) {
      const topic = state.Parameters?.TopicArn ?? state.Arguments?.TopicArn;
      alerted ||= typeof topic === "string" && topicArns.includes(topic);
    }
    if (state.Type === "Fail") {
      return alerted ? "alerts" : `its failure path ("${start}") publishes to no SNS topic of the stack`;
    }
    if (state.Type === "Succeed" || state.End === true || state.Type === "Choice") {
      return alerted
        ? `its failure path ends in "${name}", not in a Fail state: the execution would not show as failed`
        : `its failure path ("${start}") publishes to no SNS topic of the stack`;
    }
  }
  return `its failure path ("${start}") publishes to no SNS topic of the stack`;
}

/** Why each Glue task of `definition` would fail silently (none: every failure alerts). */
function silentFailures(
  definition: StateMachineDefinition,
  topicArns: readonly string[],
  coveredByParent: boolean,
): [string, string][] {
  const states = definition.States ?? {};
  return Object.entries(states).flatMap(([name, state]) => {
    const caught = (state.Catch ?? []).find((rule) => (rule.ErrorEquals ?? []).includes("States.ALL"));
    const path = caught === undefined ? undefined : failurePath(states, caught.Next, topicArns);
    const covered = path === "alerts" || coveredByParent;
    const own: [string, string][] =
      isGlueTask(state) && !covered
        ? [[name, path ?? "it runs a Glue job and catches no failure (a Catch on States.ALL)"]]
        : [];
    return [
      ...own,
      ...nestedDefinitions(state).flatMap((nested) => silentFailures(nested, topicArns, covered)),
    ];
  });
}

export const stateMachineFailureAlerts: StackValidationPolicy = {
  name: "sfn-failure-alerts",
  description:
    "Every Glue job a state machine runs has a failure path that alerts: a Catch on States.ALL (its own or " +
    "an enclosing Parallel or Map state's) leading to an sns:publish task on an SNS topic of the stack, then " +
    "to a Fail state. A job stopped by a quality gate, or failed any other way, stops the run and alerts.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Give each Glue task Catch [{ ErrorEquals: ["States.ALL"], Next: <alert state> }], make the alert state an ' +
    "arn:<partition>:states:::sns:publish task with the stack's alert topic as TopicArn, and end its path in " +
    "a Fail state (LakehousePipeline does).",
  validateStack: (args, reportViolation) => {
    const machines = resourcesOf(args.resources, aws.sfn.StateMachine);
    if (machines.length === 0) {
      args.notApplicable("Policy only applies to stacks with state machines");
    }
    const topicArns = resourcesOf(args.resources, aws.sns.Topic)
      .map((topic) => topic.props.arn)
      .filter((arn): arn is string => typeof arn === "string");
    for (const machine of machines) {
      const definition = parseDefinition(machine.props.definition);
      if (definition === "not JSON") {
        reportViolation(`state machine "${machine.name}" has a definition that is not JSON`, machine.urn);
      } else if (definition !== undefined) {
        for (const [state, why] of silentFailures(definition, topicArns, false)) {
          reportViolation(`state "${state}" of state machine "${machine.name}": ${why}`, machine.urn);
        }
      }
    }
  },
};

export const STEP_FUNCTIONS_POLICIES = [stateMachineLogging, stateMachineTracing, stateMachineFailureAlerts];
