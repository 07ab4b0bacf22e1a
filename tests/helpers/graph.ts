import * as pulumi from "@pulumi/pulumi";
import { resolveAwsContext, AwsContext } from "../../components/aws-context";
import { PROJECT_NAME } from "../../config/load";
import { captureResourceGraph, ResourceRecord } from "../../offline/resource-graph";
import { captureStackFileGraph } from "../../offline/stack-graph";

export const TEST_REGION = "eu-west-1";

const stackGraphs = new Map<string, Promise<ResourceRecord[]>>();

/** Every resource of a stack (`Pulumi.<stack>.yaml`), built once per test run. */
export function stackGraph(stack: string): Promise<ResourceRecord[]> {
  let graph = stackGraphs.get(stack);
  if (graph === undefined) {
    graph = captureStackFileGraph(stack);
    stackGraphs.set(stack, graph);
  }
  return graph;
}

/** Resources registered by `build`, which receives the mocked account context. */
export function componentGraph(build: (context: AwsContext) => unknown): Promise<ResourceRecord[]> {
  return captureResourceGraph({ project: PROJECT_NAME, stack: "unit", region: TEST_REGION }, () =>
    build(resolveAwsContext(TEST_REGION, {})),
  );
}

/**
 * Runs `program` under mocks as stack `stack` with `config` as its Pulumi config, as `pulumi up` hands
 * it to index.ts; the resources it registered and the error it threw (the config is cleared after).
 */
export async function captureWithPulumiConfig(
  stack: string,
  config: Record<string, string>,
  program: () => unknown,
  preview: boolean = true,
): Promise<{ graph: ResourceRecord[]; error?: unknown }> {
  let error: unknown;
  const options = { project: PROJECT_NAME, stack, region: TEST_REGION, preview };
  const graph = await captureResourceGraph(options, () => {
    pulumi.runtime.setAllConfig(config);
    try {
      program();
    } catch (caught) {
      error = caught;
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
  return error === undefined ? { graph } : { graph, error };
}

export function ofType(records: readonly ResourceRecord[], type: string): ResourceRecord[] {
  return records.filter((r) => r.type === type);
}

/** The one resource of a type and logical name; fails loudly when absent or ambiguous. */
export function resource(records: readonly ResourceRecord[], type: string, name: string): ResourceRecord {
  const found = records.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = ofType(records, type).map((r) => r.name);
    throw new Error(`expected one ${type} named ${name}, found ${found.length}; names: ${names.join(", ")}`);
  }
  return found[0];
}

/** A JSON-string input (policy, definition) parsed back. */
export function jsonInput<T = Record<string, unknown>>(record: ResourceRecord, key: string): T {
  return JSON.parse(record.inputs[key] as string) as T;
}

/** `{ type: count }` of a graph, sorted by type, for inventory assertions. */
export function inventory(records: readonly ResourceRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of [...records].sort((a, b) => a.type.localeCompare(b.type))) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return counts;
}

export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
