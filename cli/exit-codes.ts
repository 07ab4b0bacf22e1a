import { StackConfigError } from "../config/stack-config";

/**
 * The exit codes every command of the project uses (`npm run plan`, `policy:check`, `pr-env`, `stacks`,
 * `plan-table-change`, the everyday Pulumi scripts, and the demo's own in Python): what a CI job or a
 * shell script may branch on. README, "Tools and exit codes".
 */
export const EXIT_CODES = {
  /** Done. */
  ok: 0,
  /** Something failed while running: a Pulumi operation, an AWS call, a step of the demo, an unexpected error. */
  failed: 1,
  /** The command line or an input file is wrong (unknown option, missing file, invalid stack file). Nothing was changed. */
  usage: 2,
  /**
   * Refused: a mandatory policy, the table planner, or a safety rule (a stack the tool did not create)
   * said no. The message says whether anything had changed before.
   */
  refused: 3,
  /** Something the command needs is missing: the Pulumi CLI, a login, credentials, a secrets passphrase. Nothing was changed. */
  prerequisiteMissing: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** An error a command reports as one clear message and a specific exit code (no stack trace). */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

export const usageError = (message: string) => new ToolError(message, EXIT_CODES.usage);
export const refusedError = (message: string) => new ToolError(message, EXIT_CODES.refused);
export const prerequisiteError = (message: string) => new ToolError(message, EXIT_CODES.prerequisiteMissing);
export const failedError = (message: string) => new ToolError(message, EXIT_CODES.failed);

/**
 * The one mapping from an error to what the user sees and the exit code: a ToolError's own message and
 * code; an invalid stack file, a usage error; anything else, a failure shown with its stack trace.
 */
export function exitCodeOf(error: unknown, printError: (text: string) => void): ExitCode {
  if (error instanceof ToolError) {
    printError(error.message);
    return error.exitCode;
  }
  if (error instanceof StackConfigError) {
    printError(`${error.message}\nNothing was changed.`);
    return EXIT_CODES.usage;
  }
  printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT_CODES.failed;
}

/** Runs a command's body; every outcome, thrown or returned, becomes an exit code. */
export async function runCommand(
  body: () => Promise<ExitCode | void> | ExitCode | void,
  printError: (text: string) => void,
): Promise<ExitCode> {
  try {
    return (await body()) ?? EXIT_CODES.ok;
  } catch (error) {
    return exitCodeOf(error, printError);
  }
}

/**
 * For a script's `require.main === module` block: runs the command on the process's arguments and exits
 * with its code (explicitly: the in-process Pulumi runtime of the offline tools keeps handles open).
 */
export function runAsScript(run: (argv: readonly string[]) => Promise<ExitCode>): void {
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}
