/** Reading a Step Functions definition (Amazon States Language) as the policies need it. */

export interface CatchRule {
  ErrorEquals?: string[];
  Next?: string;
}

export interface StateMachineState {
  Type?: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Catch?: CatchRule[];
  Parameters?: { Arguments?: Record<string, unknown>; TopicArn?: unknown };
  Arguments?: { Arguments?: Record<string, unknown>; TopicArn?: unknown };
  Branches?: StateMachineDefinition[];
  Iterator?: StateMachineDefinition;
  ItemProcessor?: StateMachineDefinition;
}

export interface StateMachineDefinition {
  StartAt?: string;
  States?: Record<string, StateMachineState>;
}

/** The definition of a state machine, or undefined when it is not known yet (a preview's unknown output). */
export function parseDefinition(definition: unknown): StateMachineDefinition | "not JSON" | undefined {
  if (typeof definition !== "string") {
    return undefined;
  }
  try {
    return JSON.parse(definition) as StateMachineDefinition;
  } catch {
    return "not JSON";
  }
}

/** The state machines nested in a state (Parallel branches, Map iterators). */
export function nestedDefinitions(state: StateMachineState): StateMachineDefinition[] {
  return [
    ...(state.Branches ?? []),
    ...(state.Iterator === undefined ? [] : [state.Iterator]),
    ...(state.ItemProcessor === undefined ? [] : [state.ItemProcessor]),
  ];
}

/** A Task that starts a Glue job run (`arn:<partition>:states:::glue:startJobRun[.sync]`). */
export const isGlueTask = (state: StateMachineState) => /:glue:startJobRun/.test(state.Resource ?? "");

/** A Task that publishes to SNS (`arn:<partition>:states:::sns:publish`). */
export const isSnsPublish = (state: StateMachineState) => /:states:::sns:publish$/.test(state.Resource ?? "");
