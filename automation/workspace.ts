import type { Deployment, EngineEvent } from "@pulumi/pulumi/automation";

/**
 * The slice of the Pulumi Automation API the preview environment tool uses, so its logic runs against a
 * fake in tests. `local-workspace.ts` implements it with a LocalWorkspace on the project directory; the
 * names and shapes follow the Automation API's own.
 */
export interface PreviewWorkspace {
  /** `pulumi whoami`: the user and the backend's URL; fails when there is no Pulumi backend login. */
  whoAmI(): Promise<{ readonly user: string; readonly url?: string }>;
  /** Stacks of this project (`pulumi stack ls --json`). */
  listStacks(): Promise<readonly StackSummary[]>;
  /** Stack tags (`pulumi stack tag ls --json`); kept by the backend, not in a local file. */
  listTags(stackName: string): Promise<Readonly<Record<string, string>>>;
  setTag(stackName: string, key: string, value: string): Promise<void>;
  removeTag(stackName: string, key: string): Promise<void>;
  /** Selects the stack, or creates it (`pulumi stack init`, with `secretsProvider` when given). */
  createOrSelectStack(stackName: string, secretsProvider?: string): Promise<PreviewStack>;
  selectStack(stackName: string): Promise<PreviewStack>;
  /** `pulumi stack rm`: refuses while the stack still has resources. */
  removeStack(stackName: string): Promise<void>;
}

/** The stack is locked or being updated: the adapter's form of the Automation API's ConcurrentUpdateError. */
export class StackLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackLockedError";
  }
}

export interface StackSummary {
  readonly name: string;
  /** When the last update (of any kind) finished, as the backend reports it. */
  readonly lastUpdate?: string;
  readonly updateInProgress?: boolean;
  readonly resourceCount?: number;
}

/** How every operation reports progress: engine events, plain text (no color codes). */
export interface OperationOptions {
  readonly onEvent: (event: EngineEvent) => void;
  readonly color: "never";
}

export interface DeployOptions extends OperationOptions {
  /** Folders of policy packs the engine runs on every resource. */
  readonly policyPacks: readonly string[];
}

export interface StackOutput {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface PreviewStack {
  readonly name: string;
  /** Sets the stack's config: program settings as config/load.ts `programSettings` builds them (plain text). */
  setAllConfig(settings: Readonly<Record<string, string>>): Promise<void>;
  preview(options: DeployOptions): Promise<unknown>;
  up(options: DeployOptions): Promise<{ readonly outputs: Readonly<Record<string, StackOutput>> }>;
  destroy(options: OperationOptions): Promise<unknown>;
  /** `pulumi stack export`: the state, readable while the stack is locked; secrets stay encrypted. */
  exportStack(): Promise<Deployment>;
  /** `pulumi stack import`: Pulumi drops the pending operations of the state it imports. */
  importStack(state: Deployment): Promise<void>;
  /** `pulumi cancel`: ends the update a killed run left open (Pulumi Cloud) or removes its lock (self-managed). */
  cancel(): Promise<void>;
}
