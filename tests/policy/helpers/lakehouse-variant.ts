import * as pulumi from "@pulumi/pulumi";
import { createLakehouse } from "../../../components/lakehouse";
import { LakehouseConfig } from "../../../config/stack-config";

/**
 * Variants of the real stack built by test code: the program of a stack config with defects planted
 * (a transformation of one resource's inputs or options). The insecure variant must make the pack
 * report exactly one violation per planted defect.
 */

export type Props = Record<string, unknown>;

export interface PlantedDefect {
  readonly what: string;
  /** The resource the defect is planted in: type token and logical name. */
  readonly type: string;
  readonly name: string;
  readonly props?: (props: Props) => Props;
  readonly opts?: (opts: pulumi.ResourceOptions) => pulumi.ResourceOptions;
  /** The one violation the pack must report for it. */
  readonly expected: { readonly policy: string; readonly resource: string; readonly message: string };
}

export type PolicyDocument = { Statement: Props[] } & Props;

/** Edits a JSON document input (an Output<string> in the program) once it resolves. */
export function editJson<T = PolicyDocument>(
  value: unknown,
  edit: (document: T) => void,
): pulumi.Output<string> {
  return pulumi.output(value as pulumi.Input<string>).apply((json) => {
    const document = JSON.parse(json) as T;
    edit(document);
    return JSON.stringify(document);
  });
}

/** Edits a structured input (an object holding Outputs) once it resolves. */
export function editInput<T = Props>(value: unknown, edit: (input: T) => T): pulumi.Output<T> {
  return pulumi.output(value as pulumi.Input<T>).apply((input) => edit(input as T));
}

export const set = (patch: Props) => (props: Props) => ({ ...props, ...patch });

export const appendStatement = (statement: Props) => (props: Props) => ({
  ...props,
  policy: editJson(props.policy, (d: PolicyDocument) => d.Statement.push(statement)),
});

/** One transformation that plants every defect aimed at the resource it sees. */
function plantDefects(defects: readonly PlantedDefect[]): pulumi.ResourceTransformation {
  return (args) => {
    const aimed = defects.filter((d) => d.type === args.type && d.name === args.name);
    if (aimed.length === 0) {
      return undefined;
    }
    return aimed.reduce(
      (result, d) => ({
        props: d.props?.(result.props) ?? result.props,
        opts: d.opts?.(result.opts) ?? result.opts,
      }),
      { props: args.props as Props, opts: args.opts },
    );
  };
}

/** The lakehouse of `config` with `defects` planted. */
export function buildLakehouseVariant(config: LakehouseConfig, defects: readonly PlantedDefect[]): void {
  createLakehouse(config, { transformations: [plantDefects(defects)] });
}
