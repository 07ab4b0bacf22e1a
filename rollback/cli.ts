// Rolls back a pipeline run or one table on AWS: `npm run rollback -- <stack> ...` (README, "Rollback").
import { GlueClient } from "@aws-sdk/client-glue";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { EXIT_CODES, ExitCode, prerequisiteError, runAsScript, runCommand } from "../cli/exit-codes";
import { awsSdkClientConfig, awsSdkConnection, loadCredentialFactories } from "../components/aws-sdk-config";
import { MAINTENANCE_JOB } from "../components/job-definitions";
import { committedStacks, PROJECT_DIR, readStackConfigFile } from "../config/load";
import { rollbackOnGlue, RollbackWait } from "./glue-rollback";
import { parseRollbackCommandLine, RollbackCommand, USAGE } from "./rollback-command";

export interface RollbackContext {
  readonly stacks: readonly string[];
  /** The stack's outputs (`pulumi stack output`); only read when --job-name is not given. */
  readonly stackOutputs: (stack: string) => Promise<Record<string, unknown>>;
  /** A Glue client for the stack (its AWS settings, or the region given). */
  readonly glueClient: (command: RollbackCommand) => Promise<GlueClient>;
  readonly print: (line: string) => void;
  readonly wait?: RollbackWait;
}

/** The maintenance Glue job of the stack, from its `glueJobNames` output. */
export async function maintenanceJobName(
  command: RollbackCommand,
  context: RollbackContext,
): Promise<string> {
  if (command.jobName !== undefined) {
    return command.jobName;
  }
  let outputs: Record<string, unknown>;
  try {
    outputs = await context.stackOutputs(command.stack);
  } catch (error) {
    throw prerequisiteError(
      `[stack] could not read the outputs of stack ${command.stack} (${(error as Error).message.split("\n")[0]}); ` +
        "log in to its backend, or give the job with --job-name",
    );
  }
  const names = outputs.glueJobNames as Record<string, string> | undefined;
  const name = names?.[MAINTENANCE_JOB];
  if (typeof name !== "string") {
    throw prerequisiteError(
      `stack ${command.stack} has no maintenance job (glueJobNames: ${JSON.stringify(names ?? {})}): when Glue's ` +
        "table optimizers maintain every table there is none, and no rollback job on AWS. Deploy the stack, " +
        "or give the job with --job-name",
    );
  }
  return name;
}

/** Runs the command; every outcome is an exit code and, on failure, one message on `printError`. */
export function runRollbackCli(
  argv: readonly string[],
  context: RollbackContext,
  printError: (text: string) => void,
): Promise<ExitCode> {
  return runCommand(async () => {
    const command = parseRollbackCommandLine(argv, context.stacks);
    if (command === "help") {
      context.print(USAGE);
      return EXIT_CODES.ok;
    }
    const jobName = await maintenanceJobName(command, context);
    const glue = await context.glueClient(command);
    try {
      await rollbackOnGlue(glue, jobName, command.target, { print: context.print, ...context.wait });
    } finally {
      glue.destroy();
    }
    return EXIT_CODES.ok;
  }, printError);
}

/** The real context: the project's stacks, Pulumi's stack outputs, the stack's AWS settings. */
export function defaultRollbackContext(): RollbackContext {
  return {
    stacks: committedStacks(),
    stackOutputs: async (stack) => {
      const workspace = await LocalWorkspace.create({ workDir: PROJECT_DIR });
      const outputs = await workspace.stackOutputs(stack);
      return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
    },
    glueClient: async (command) => {
      const config = readStackConfigFile(command.stack);
      const connection = awsSdkConnection({ ...config, region: command.region ?? config.region });
      return new GlueClient(awsSdkClientConfig(connection, "glue", await loadCredentialFactories()));
    },
    print: (line) => console.log(line),
  };
}

if (require.main === module) {
  runAsScript((argv) => runRollbackCli(argv, defaultRollbackContext(), (text) => console.error(text)));
}
