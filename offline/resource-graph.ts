import * as pulumi from "@pulumi/pulumi";
import { LakehouseMocks } from "./mocks";

// Internal runtime modules of @pulumi/pulumi (pinned version): the monitor the mocks install, the RPC
// queue to drain, and property deserialization. The public mocks API shows a resource's inputs but
// not its options (protect, retainOnDelete, parent), which the policy pack and the tests must see.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc");

/** One registered resource with its inputs and the options the engine received. */
export interface ResourceRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly provider?: string;
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly dependencies: readonly string[];
  /** For each input property, the URNs of the resources its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /**
   * The resource's state after registration: the mocks' outputs of a custom resource (inputs plus
   * computed ARNs and names), the registered outputs of a component. The policy pack's stack policies
   * see these, as `pulumi preview`'s stack analysis sees a resource's outputs.
   */
  readonly outputs: Record<string, unknown>;
  /** The version of the package the resource's SDK belongs to (names its default provider). */
  readonly packageVersion?: string;
}

export interface CaptureOptions {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  /** The stack configuration the program reads (`pulumi.Config`), as the CLI passes it. @default none */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Run the program as `pulumi preview` runs it (`pulumi.runtime.isDryRun()`), as the offline plan and
   * policy check do; `false` runs it as `pulumi up` (what only `up` refuses then throws). @default true
   */
  readonly preview?: boolean;
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getObject(): unknown;
  getVersion(): string;
}

interface MockMonitorState {
  getRegisteredResources(): Map<string, { state: unknown }>;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `build` (a program, e.g. `() => createLakehouse(config)`) under mocks and returns every resource
 * it registered, in registration order. Captures run one at a time in a process.
 */
export function captureResourceGraph(
  options: CaptureOptions,
  build: () => unknown,
): Promise<ResourceRecord[]> {
  const run = queue.then(() => capture(options, build));
  queue = run.catch(() => undefined);
  return run;
}

async function capture(options: CaptureOptions, build: () => unknown): Promise<ResourceRecord[]> {
  await pulumi.runtime.setMocks(
    new LakehouseMocks(options.region),
    options.project,
    options.stack,
    options.preview ?? true,
  );
  const monitor = settings.getMonitor();
  const records: Omit<ResourceRecord, "outputs">[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: RegisterResourceRequest, callback: unknown) => {
    records.push(toRecord(monitor, request));
    return register(request, callback);
  };
  // A failure inside an Output callback (an apply, a serialization) surfaces as a rejection nobody
  // awaits; under `pulumi up` it fails the deployment, so here it fails the capture.
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  pulumi.runtime.setAllConfig({ ...(options.settings ?? {}) });
  try {
    build();
    await settings.waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
    pulumi.runtime.setAllConfig({});
  }
  if (failures.length > 0) {
    throw failures[0];
  }
  const states = (monitor as MockMonitorState).getRegisteredResources();
  return records.map((record) => ({ ...record, outputs: outputsOf(states.get(record.urn)?.state) }));
}

/** The mock monitor keeps a custom resource's state as plain serialized values, a component's as a Struct. */
function outputsOf(state: unknown): Record<string, unknown> {
  if (state === undefined || state === null) {
    return {};
  }
  const struct =
    typeof (state as { toJavaScript?: unknown }).toJavaScript === "function"
      ? state
      : { toJavaScript: () => state };
  return rpc.deserializeProperties(struct);
}

function toRecord(
  monitor: { newUrn(parent: string, type: string, name: string): string },
  request: RegisterResourceRequest,
): Omit<ResourceRecord, "outputs"> {
  const parent = request.getParent();
  const provider = request.getProvider();
  const version = request.getVersion();
  const propertyDependencies: Record<string, string[]> = {};
  request.getPropertydependenciesMap().forEach((value, key) => {
    propertyDependencies[key] = value.getUrnsList();
  });
  return {
    urn: monitor.newUrn(parent, request.getType(), request.getName()),
    type: request.getType(),
    name: request.getName(),
    custom: request.getCustom(),
    ...(parent === "" ? {} : { parent }),
    ...(provider === "" ? {} : { provider }),
    inputs: rpc.deserializeProperties(request.getObject()),
    protect: request.getProtect() ?? false,
    retainOnDelete: request.getRetainondelete() ?? false,
    deleteBeforeReplace: request.getDeletebeforereplace(),
    dependencies: request.getDependenciesList(),
    propertyDependencies,
    ...(version === "" ? {} : { packageVersion: version }),
  };
}

/**
 * How big a graph is, counted one way by every tool (the offline plan, the policy check, the demo, the
 * diagrams): resources are what the engine creates or reads through a provider (custom resources,
 * providers included), components only group them.
 */
export function graphCounts(records: readonly ResourceRecord[]): { resources: number; components: number } {
  const resources = records.filter((r) => r.custom).length;
  return { resources, components: records.length - resources };
}

/** `77 resources in 24 components`. */
export function graphCountsText(counts: { readonly resources: number; readonly components: number }): string {
  return `${counts.resources} resources in ${counts.components} components`;
}
