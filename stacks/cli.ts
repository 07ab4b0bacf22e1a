// Creates or selects the project's stacks: `npm run stacks -- [<stack>...] [options]` (README, "Stacks").
import { readArguments } from "../cli/arguments";
import { ExitCode, runAsScript, runCommand, usageError } from "../cli/exit-codes";
import {
  committedStacks,
  PROJECT_DIR,
  readStackConfigFile,
  readStackFile,
  stackFileAccountClaim,
} from "../config/load";
import { openLocalBackend } from "./local-backend";
import { setUpStacks, StackSetupCommand, StackSetupContext } from "./stack-setup";

export const USAGE = `Usage: npm run stacks -- [<stack>...] [--org <organization>] [--secrets-provider <provider>]

Creates each stack (default: every committed stack, dev and prod) that the Pulumi backend does not
have yet, and selects those it has; safe to re-run. Each stack file is checked first (configuration,
what a deployment needs, one owner of each account's settings): nothing changes when one fails.

  --org <organization>          Pulumi Cloud organization; stacks are named <organization>/<stack>
  --secrets-provider <provider> for new stacks: default, passphrase, awskms://alias/<key>?region=<region>, ...
                                (default: the one the stack file records, else the Pulumi service's)

Exit codes: 0 done, 1 a Pulumi operation failed, 2 usage error or a stack not ready to deploy
(nothing changed), 4 a prerequisite is missing (Pulumi CLI, login, secrets provider or passphrase).`;

/** Reads the command line; stacks must have a committed stack file. */
export function parseStacksCommandLine(
  argv: readonly string[],
  stacks: readonly string[],
): StackSetupCommand | "help" {
  const parsed = readArguments(
    argv,
    { org: { type: "string" }, "secrets-provider": { type: "string" } },
    USAGE,
  );
  if (parsed.help) {
    return "help";
  }
  const unknown = parsed.positionals.filter((stack) => !stacks.includes(stack));
  if (unknown.length > 0) {
    throw usageError(`[stack] no stack file for ${unknown.join(", ")}; stacks here: ${stacks.join(", ")}`);
  }
  const { org, "secrets-provider": secretsProvider } = parsed.values;
  return {
    stacks: parsed.positionals.length > 0 ? [...new Set(parsed.positionals)] : [...stacks],
    ...(org === undefined ? {} : { org }),
    ...(secretsProvider === undefined ? {} : { secretsProvider }),
  };
}

/** Runs the command; every outcome is an exit code and, on failure, one message on `printError`. */
export function runStacksCli(
  argv: readonly string[],
  context: StackSetupContext,
  stacks: readonly string[],
  printError: (text: string) => void,
): Promise<ExitCode> {
  return runCommand(async () => {
    const command = parseStacksCommandLine(argv, stacks);
    if (command === "help") {
      context.print(USAGE);
    } else {
      await setUpStacks(context, command);
    }
  }, printError);
}

/** The real world for a project folder: its stack files, the Pulumi CLI, this process's environment. */
export function projectContext(
  projectDir: string,
  backend: { readonly pulumiRoot?: string; readonly envVars?: Readonly<Record<string, string>> } = {},
): StackSetupContext {
  return {
    openBackend: () => openLocalBackend({ workDir: projectDir, ...backend }),
    stackFile: (stack) => ({
      config: readStackConfigFile(stack, projectDir),
      file: readStackFile(stack, projectDir),
    }),
    otherClaims: (stack) =>
      committedStacks(projectDir)
        .filter((other) => other !== stack)
        .map((other) => stackFileAccountClaim(other, projectDir)),
    env: { ...process.env, ...(backend.envVars ?? {}) },
    print: (line) => console.log(line),
  };
}

if (require.main === module) {
  runAsScript((argv) =>
    runStacksCli(argv, projectContext(PROJECT_DIR), committedStacks(), (text) => console.error(text)),
  );
}
