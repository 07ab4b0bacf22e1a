import { failedError, usageError } from "../cli/exit-codes";
import { cliErrorDetail, requireBackendLogin } from "../cli/pulumi-cli";
import type { AccountClaim } from "../config/account-ownership";
import { deploymentProblems } from "../config/deployment-readiness";
import type { LakehouseConfig } from "../config/stack-config";
import {
  checkRecordedProvider,
  checkSecretsProviderOption,
  recordedSecretsProvider,
  secretsProviderFor,
} from "../cli/secrets-provider";

/** The slice of a Pulumi backend the command uses (a LocalWorkspace in `local-backend.ts`, a fake in tests). */
export interface StackBackend {
  /** `pulumi whoami`: the user and the backend's URL; fails when there is no login. */
  whoAmI(): Promise<{ readonly user: string; readonly url?: string }>;
  /** Selects the stack; false when the backend has no such stack. */
  selectStack(stackName: string): Promise<boolean>;
  /** `pulumi stack init`, with a secrets provider other than the backend's default when given. */
  createStack(stackName: string, secretsProvider: string | undefined): Promise<void>;
}

/** Everything the command reads or touches outside its logic; tests pass fakes. */
export interface StackSetupContext {
  /** The backend; fails with a prerequisite error when there is no usable Pulumi CLI. */
  readonly openBackend: () => Promise<StackBackend>;
  /** The stack's validated configuration (throws StackConfigError) and its stack file as YAML. */
  readonly stackFile: (stack: string) => {
    readonly config: LakehouseConfig;
    readonly file: Record<string, unknown>;
  };
  /** Account claims of the project's other stacks (for the one-owner-per-account check). */
  readonly otherClaims: (stack: string) => AccountClaim[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly print: (line: string) => void;
}

export interface StackSetupCommand {
  readonly stacks: readonly string[];
  /** Pulumi Cloud organization: stacks are created as `<org>/<stack>`. @default the login's default */
  readonly org?: string;
  /** `--secrets-provider` for stacks that do not exist yet. @default recorded in the stack file, else the service's */
  readonly secretsProvider?: string;
}

/**
 * Creates the stacks that do not exist and selects those that do, each with its secrets provider;
 * safe to re-run. Everything that can be checked without the backend is checked first, for every
 * stack (configuration, deployment readiness, secrets provider): a failure changes nothing.
 */
export async function setUpStacks(context: StackSetupContext, command: StackSetupCommand): Promise<void> {
  checkSecretsProviderOption(command.secretsProvider);
  const recorded = new Map<string, string | undefined>();
  const notReady: string[] = [];
  for (const stack of command.stacks) {
    const { config, file } = context.stackFile(stack);
    recorded.set(stack, recordedSecretsProvider(file));
    checkRecordedProvider(stack, recorded.get(stack), command.secretsProvider);
    const problems = deploymentProblems({ stack, config }, context.otherClaims(stack));
    notReady.push(...problems.map((problem) => `  Pulumi.${stack}.yaml: ${problem}`));
  }
  if (notReady.length > 0) {
    throw usageError(
      `Not ready to deploy (README, "Before the first deployment"); nothing was changed:\n${notReady.join("\n")}`,
    );
  }

  const backend = await context.openBackend();
  const backendUrl = (await requireBackendLogin(() => backend.whoAmI())).url;

  const qualified = (stack: string) => (command.org === undefined ? stack : `${command.org}/${stack}`);
  const missing: string[] = [];
  for (const stack of command.stacks) {
    if (await pulumi(`select stack ${qualified(stack)}`, () => backend.selectStack(qualified(stack)))) {
      if (recorded.get(stack) === "passphrase") {
        secretsProviderFor(stack, { recorded: "passphrase" }, context.env);
      }
      context.print(`${qualified(stack)}: exists, selected`);
    } else {
      missing.push(stack);
    }
  }
  const providers = missing.map((stack) =>
    secretsProviderFor(
      stack,
      { requested: command.secretsProvider, recorded: recorded.get(stack), backendUrl },
      context.env,
    ),
  );
  for (const [i, stack] of missing.entries()) {
    const provider = providers[i];
    await pulumi(`create stack ${qualified(stack)}`, () =>
      backend.createStack(qualified(stack), provider === "default" ? undefined : provider),
    );
    const newlyRecorded = provider !== "default" && recorded.get(stack) === undefined;
    context.print(
      `${qualified(stack)}: created (secrets provider: ${provider})` +
        (newlyRecorded ? `; Pulumi.${stack}.yaml now records it: commit it` : ""),
    );
  }
}

/** One backend call; a failure is an operation failure (exit 1) with the CLI's own cause. */
async function pulumi<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw failedError(`Could not ${what}: ${cliErrorDetail(error)}`);
  }
}
