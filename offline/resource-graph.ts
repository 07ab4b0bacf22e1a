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
}

export interface CaptureOptions {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
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
  getObject(): unknown;
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
  await pulumi.runtime.setMocks(new LakehouseMocks(options.region), options.project, options.stack, false);
  const monitor = settings.getMonitor();
  const records: ResourceRecord[] = [];
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
  try {
    build();
    await settings.waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (failures.length > 0) {
    throw failures[0];
  }
  return records;
}

function toRecord(
  monitor: { newUrn(parent: string, type: string, name: string): string },
  request: RegisterResourceRequest,
): ResourceRecord {
  const parent = request.getParent();
  const provider = request.getProvider();
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
  };
}
