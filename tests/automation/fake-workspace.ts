import type { Deployment, EngineEvent } from "@pulumi/pulumi/automation";
import { readStackConfigFile } from "../../config/load";
import type { PreviewToolContext } from "../../automation/context";
import type {
  DeployOptions,
  OperationOptions,
  PreviewStack,
  PreviewWorkspace,
  StackOutput,
  StackSummary,
} from "../../automation/workspace";

/** What one engine operation of the fake does: events to emit, then succeed or throw. */
export interface FakeOperation {
  readonly events?: readonly EngineEvent[];
  readonly error?: Error;
}

/**
 * A workspace that records every call, in order, in `calls` (shared with the fake context), keeps
 * stacks and tags in memory, and plays scripted engine operations.
 */
export class FakeWorkspace implements PreviewWorkspace {
  readonly calls: string[] = [];
  readonly configs = new Map<string, Record<string, string>>();
  readonly tags = new Map<string, Record<string, string>>();
  stacks: StackSummary[] = [];
  /** Each stack's state as `stack export` gives it. @default no resources, no secrets provider recorded */
  readonly states = new Map<string, Deployment>();
  /** The backend's URL. @default none (Pulumi Cloud's whoami gives one; the tool reads none as a service) */
  backendUrl?: string;
  whoAmIError?: Error;
  preview: FakeOperation = {};
  up: FakeOperation = {};
  destroy: Record<string, FakeOperation | FakeOperation[]> = {};
  outputs: Record<string, StackOutput> = {};
  listTagsErrors: Record<string, Error> = {};
  removeStackError?: Error;

  /** A stack the fake backend already has, with its tags. */
  withStack(summary: StackSummary, tags: Record<string, string> = {}): this {
    this.stacks.push(summary);
    this.tags.set(summary.name, tags);
    return this;
  }

  async whoAmI() {
    this.calls.push("whoAmI");
    if (this.whoAmIError !== undefined) {
      throw this.whoAmIError;
    }
    return { user: "ci", ...(this.backendUrl === undefined ? {} : { url: this.backendUrl }) };
  }

  async listStacks() {
    this.calls.push("listStacks");
    return [...this.stacks];
  }

  async listTags(stackName: string) {
    this.calls.push(`listTags ${stackName}`);
    if (this.listTagsErrors[stackName] !== undefined) {
      throw this.listTagsErrors[stackName];
    }
    return { ...(this.tags.get(stackName) ?? {}) };
  }

  async setTag(stackName: string, key: string, value: string) {
    this.calls.push(`setTag ${stackName} ${key}=${value}`);
    this.tags.set(stackName, { ...(this.tags.get(stackName) ?? {}), [key]: value });
  }

  async removeTag(stackName: string, key: string) {
    this.calls.push(`removeTag ${stackName} ${key}`);
    const tags = { ...(this.tags.get(stackName) ?? {}) };
    delete tags[key];
    this.tags.set(stackName, tags);
  }

  async createOrSelectStack(stackName: string, secretsProvider?: string) {
    this.calls.push(
      `createOrSelectStack ${stackName}${secretsProvider === undefined ? "" : ` --secrets-provider ${secretsProvider}`}`,
    );
    if (!this.stacks.some((s) => s.name === stackName)) {
      this.stacks.push({ name: stackName });
    }
    return this.stack(stackName);
  }

  async selectStack(stackName: string) {
    this.calls.push(`selectStack ${stackName}`);
    return this.stack(stackName);
  }

  async removeStack(stackName: string) {
    this.calls.push(`removeStack ${stackName}`);
    if (this.removeStackError !== undefined) {
      throw this.removeStackError;
    }
    this.stacks = this.stacks.filter((s) => s.name !== stackName);
  }

  private stack(name: string): PreviewStack {
    const play = async (label: string, operation: FakeOperation, options: OperationOptions) => {
      const packs = (options as Partial<DeployOptions>).policyPacks;
      this.calls.push(`${label} ${name}${packs === undefined ? "" : ` policyPacks=${packs.join(",")}`}`);
      for (const event of operation.events ?? []) {
        options.onEvent(event);
      }
      if (operation.error !== undefined) {
        throw operation.error;
      }
    };
    return {
      name,
      setAllConfig: async (config) => {
        this.calls.push(`setAllConfig ${name}`);
        this.configs.set(name, { ...config });
      },
      preview: (options) => play("preview", this.preview, options),
      up: async (options) => {
        await play("up", this.up, options);
        return { outputs: this.outputs };
      },
      destroy: async (options) => {
        const scripted = this.destroy[name];
        // A list plays one operation per call (a first destroy refused, the retry succeeding).
        const operation = Array.isArray(scripted) ? (scripted.shift() ?? {}) : (scripted ?? {});
        await play("destroy", operation, options);
        return {};
      },
      exportStack: async () => {
        this.calls.push(`exportStack ${name}`);
        return this.states.get(name) ?? { version: 3, deployment: { resources: [] } };
      },
      importStack: async (state) => {
        this.calls.push(`importStack ${name}`);
        // As `pulumi stack import` does: the pending operations are dropped.
        const deployment = { ...(state.deployment as Record<string, unknown>) };
        delete deployment.pending_operations;
        this.states.set(name, { ...state, deployment });
      },
      cancel: async () => {
        this.calls.push(`cancel ${name}`);
      },
    };
  }
}

export const NOW = new Date("2025-11-26T10:00:00Z");

export interface FakeContext extends PreviewToolContext {
  readonly printed: string[];
  readonly written: Map<string, string>;
}

/** A context over the fake workspace: dev's real stack file, a fixed clock, a policy pack at /repo/policy. */
export function fakeContext(
  workspace: FakeWorkspace,
  overrides: Partial<PreviewToolContext> = {},
): FakeContext {
  const printed: string[] = [];
  const written = new Map<string, string>();
  return {
    openWorkspace: async () => {
      workspace.calls.push("openWorkspace");
      return workspace;
    },
    devConfig: () => readStackConfigFile("dev"),
    checkAwsCredentials: async () => {
      workspace.calls.push("checkAwsCredentials");
    },
    now: () => NOW,
    print: (line) => printed.push(line),
    fileExists: (path) => ["/repo/policy/PulumiPolicy.yaml", "/repo", "/tmp"].includes(path),
    writeFile: (path, text) => written.set(path, text),
    env: {},
    awsSweeper: () => {
      throw new Error("no AWS in this test");
    },
    printed,
    written,
    ...overrides,
  };
}

/** Engine events as the CLI sends them (only the fields the tool reads). */
export const events = {
  step(
    kind: "resourcePreEvent" | "resOutputsEvent",
    op: string,
    type: string,
    name: string,
    planning?: boolean,
  ): EngineEvent {
    const metadata = { op, type, urn: `urn:pulumi:pr-12::iceberg-lakehouse::${type}::${name}`, provider: "" };
    return {
      sequence: 0,
      timestamp: 0,
      [kind]: { metadata, ...(planning === undefined ? {} : { planning }) },
    };
  },
  failed(op: string, type: string, name: string): EngineEvent {
    const metadata = { op, type, urn: `urn:pulumi:pr-12::iceberg-lakehouse::${type}::${name}`, provider: "" };
    return { sequence: 0, timestamp: 0, resOpFailedEvent: { metadata, status: 1, steps: 1 } } as EngineEvent;
  },
  policy(level: "mandatory" | "warning", policyName: string, name: string, message: string): EngineEvent {
    return {
      sequence: 0,
      timestamp: 0,
      policyEvent: {
        resourceUrn: `urn:pulumi:pr-12::iceberg-lakehouse::aws:s3/bucket:Bucket::${name}`,
        message,
        color: "never",
        policyName,
        policyPackName: "lakehouse-policies",
        policyPackVersion: "0.1.0",
        policyPackVersionTag: "0.1.0",
        enforcementLevel: level,
      },
    };
  },
};
