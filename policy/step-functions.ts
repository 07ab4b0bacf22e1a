import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { referencedResources, resourcesOf } from "./lib/stack-resources";

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

export const STEP_FUNCTIONS_POLICIES = [stateMachineLogging, stateMachineTracing];
