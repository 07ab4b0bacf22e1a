import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { EnforcementLevel } from "@pulumi/policy";
import { ConfiguredPolicies } from "../../../offline/policy-runtime";
import { providerUrnOf, toWire } from "../../../offline/policy-runtime-resources";
import { ResourceRecord } from "../../../offline/resource-graph";

/*
 * The real thing, for conformance tests: policy/index.ts started as its own process (the gRPC analyzer
 * server that `pulumi preview --policy-pack policy` starts), driven over gRPC the way the engine drives
 * it: Configure, Analyze for each resource with its inputs, AnalyzeStack with every resource's outputs.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const LEVELS: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const LEVEL_NAMES = Object.fromEntries(
  Object.entries(LEVELS).map(([name, value]) => [value, name]),
) as Record<number, EnforcementLevel>;

/** A diagnostic or not-applicable entry, keyed the way the engine sees it. */
export interface AnalyzerOutcome {
  readonly diagnostics: {
    policyName: string;
    urn?: string;
    message: string;
    enforcementLevel: EnforcementLevel;
  }[];
  readonly notApplicable: { policyName: string; urn?: string; reason?: string }[];
}

/** The protobuf messages used here (generated JavaScript in @pulumi/pulumi/proto, untyped). */
interface PbResource {
  setType(value: string): void;
  setUrn(value: string): void;
  setName(value: string): void;
  setProperties(value: unknown): void;
  setOptions(value: unknown): void;
  setProvider(value: unknown): void;
  setParent(value: string): void;
  setDependenciesList(value: string[]): void;
  getPropertydependenciesMap(): { set(key: string, value: unknown): void };
}
interface PbResponse {
  getDiagnosticsList(): {
    getPolicyname(): string;
    getUrn(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
  }[];
  getNotApplicableList(): { getPolicyName(): string; getReason(): string }[];
}

const struct = (values: Record<string, unknown>) => Struct.fromJavaScript(toWire(values));

export class RealPolicyPackServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: Record<
      string,
      (request: unknown, callback: (error: Error | null, response: PbResponse) => void) => void
    >,
  ) {}

  /** Starts policy/index.ts (cwd policy/, as the CLI does) and connects to the port it prints. */
  static async start(): Promise<RealPolicyPackServer> {
    const policyDir = path.join(__dirname, "..", "..", "..", "policy");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
      cwd: policyDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const port = await new Promise<string>((resolve, reject) => {
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^(\d+)\s*$/m.exec(output);
        if (match !== null) {
          resolve(match[1]);
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${output}`)));
    });
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new RealPolicyPackServer(child, client);
  }

  stop(): void {
    (this.client as unknown as { close(): void }).close();
    this.child.kill();
  }

  private call(method: string, request: unknown): Promise<PbResponse> {
    return new Promise((resolve, reject) =>
      this.client[method](request, (error, response) => (error === null ? resolve(response) : reject(error))),
    );
  }

  async configure(config: ConfiguredPolicies): Promise<void> {
    const request = new pb.ConfigureAnalyzerRequest();
    for (const [name, entry] of Object.entries(config)) {
      const policyConfig = new pb.PolicyConfig();
      policyConfig.setEnforcementlevel(LEVELS[entry.enforcementLevel ?? "advisory"]);
      policyConfig.setProperties(struct(entry.properties ?? {}));
      request.getPolicyconfigMap().set(name, policyConfig);
    }
    await this.call("configure", request);
  }

  /** Analyze on each resource (inputs), then AnalyzeStack (outputs), as one preview does. */
  async analyzeGraph(records: readonly ResourceRecord[]): Promise<AnalyzerOutcome> {
    const outcome: AnalyzerOutcome = { diagnostics: [], notApplicable: [] };
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    for (const record of records) {
      const request = describe(new pb.AnalyzeRequest(), record, "inputs", byUrn);
      // The engine attributes every diagnostic of Analyze to the analyzed resource.
      collect(await this.call("analyze", request), outcome, record.urn);
    }
    const stack = new pb.AnalyzeStackRequest();
    stack.setResourcesList(
      records.map((record) => {
        const resource = describe(new pb.AnalyzerResource(), record, "outputs", byUrn);
        resource.setParent(record.parent ?? "");
        resource.setDependenciesList([...record.dependencies]);
        for (const [key, urns] of Object.entries(record.propertyDependencies)) {
          const dependencies = new pb.AnalyzerPropertyDependencies();
          dependencies.setUrnsList([...urns]);
          resource.getPropertydependenciesMap().set(key, dependencies);
        }
        return resource;
      }),
    );
    collect(await this.call("analyzeStack", stack), outcome);
    return outcome;
  }
}

/**
 * Fills what an AnalyzeRequest (the resource's inputs, parent in the options) and a stack's
 * AnalyzerResource (its outputs, parent given separately) share.
 */
function describe(
  message: PbResource,
  record: ResourceRecord,
  properties: "inputs" | "outputs",
  byUrn: ReadonlyMap<string, ResourceRecord>,
): PbResource {
  message.setType(record.type);
  message.setUrn(record.urn);
  message.setName(record.name);
  message.setProperties(struct(record[properties]));
  message.setOptions(options(record, properties === "inputs"));
  const provider = providerOf(record, byUrn);
  if (provider !== undefined) {
    message.setProvider(provider);
  }
  return message;
}

function options(record: ResourceRecord, withParent: boolean): unknown {
  const opts = new pb.AnalyzerResourceOptions();
  opts.setProtect(record.protect);
  opts.setDeletebeforereplace(record.deleteBeforeReplace);
  opts.setDeletebeforereplacedefined(record.deleteBeforeReplace);
  if (withParent && record.parent !== undefined) {
    opts.setParent(record.parent);
  }
  return opts;
}

function providerOf(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): unknown {
  const providerUrn = providerUrnOf(record);
  const provider = providerUrn === undefined ? undefined : byUrn.get(providerUrn);
  if (provider === undefined) {
    return undefined;
  }
  const message = new pb.AnalyzerProviderResource();
  message.setType(provider.type);
  message.setUrn(provider.urn);
  message.setName(provider.name);
  message.setProperties(struct(provider.inputs));
  return message;
}

function collect(response: PbResponse, outcome: AnalyzerOutcome, analyzedUrn?: string): void {
  for (const d of response.getDiagnosticsList()) {
    const urn = analyzedUrn ?? (d.getUrn() || undefined);
    outcome.diagnostics.push({
      policyName: d.getPolicyname(),
      ...(urn === undefined ? {} : { urn }),
      message: d.getMessage(),
      enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()],
    });
  }
  for (const n of response.getNotApplicableList()) {
    outcome.notApplicable.push({
      policyName: n.getPolicyName(),
      ...(analyzedUrn === undefined ? {} : { urn: analyzedUrn }),
      reason: n.getReason(),
    });
  }
}
