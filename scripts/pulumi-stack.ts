// The everyday Pulumi commands per stack: `npm run preview:dev`, `npm run up:prod -- --yes`, ... run
// `pulumi <command> --stack <stack>` (with the project's policy pack where it applies) after the checks
// every tool of the project makes. Exit codes: cli/exit-codes.ts.
import { spawnSync } from "child_process";
import * as path from "path";
import { EXIT_CODES, ExitCode, runAsScript, runCommand, usageError } from "../cli/exit-codes";
import { findPulumiCli, requireBackendLogin } from "../cli/pulumi-cli";
import { committedStacks, PROJECT_DIR, readStackConfigFile } from "../config/load";

/** What each script runs, after `pulumi`; the stack and any further options are added. */
export const STACK_COMMANDS: Readonly<
  Record<string, { readonly args: readonly string[]; readonly about: string }>
> = {
  preview: {
    args: ["preview", "--policy-pack", "policy"],
    about: "what an update would change, checked by the policy pack",
  },
  up: {
    args: ["up", "--policy-pack", "policy"],
    about: "update the stack; the policy pack runs on every resource",
  },
  refresh: { args: ["refresh"], about: "read the stack's resources from AWS and record drift in the state" },
  outputs: { args: ["stack", "output"], about: "the stack's outputs (buckets, database, workgroup, ...)" },
};

export function stackCommandUsage(stacks: readonly string[]): string {
  const lines = Object.entries(STACK_COMMANDS).map(
    ([name, { args, about }]) =>
      `  ${`${name}:<stack>`.padEnd(16)} pulumi ${args.join(" ")} --stack <stack>: ${about}`,
  );
  return `Usage: npm run <command>:<stack> [-- <pulumi options>]   (stacks: ${stacks.join(", ")})

The everyday Pulumi commands on a stack of this project, with the Pulumi CLI and a backend login
(npm run stacks creates the stacks). Further options go to pulumi, e.g. npm run up:dev -- --yes.

${lines.join("\n")}

Checked first: the stack file (nothing runs when it is invalid), the Pulumi CLI, the backend login.
Exit codes: 0 done, 1 the Pulumi command failed (its own message above), 2 usage error or invalid stack
file, 4 a prerequisite is missing (Pulumi CLI, login).`;
}

export interface StackCommandOptions {
  readonly projectDir?: string;
  /** A Pulumi install whose `bin/pulumi` to use. @default `pulumi` on PATH */
  readonly pulumiRoot?: string;
  readonly print?: (line: string) => void;
  readonly printError?: (text: string) => void;
}

/** `<command> <stack> [pulumi options...]`, as the npm scripts pass them. */
export function runStackCommand(
  argv: readonly string[],
  options: StackCommandOptions = {},
): Promise<ExitCode> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const stacks = committedStacks(projectDir);
  const usage = stackCommandUsage(stacks);
  return runCommand(
    async () => {
      const [command, stack, ...passed] = argv;
      if (argv.includes("--help") || argv.includes("-h")) {
        (options.print ?? console.log)(usage);
        return EXIT_CODES.ok;
      }
      const known = command === undefined ? undefined : STACK_COMMANDS[command];
      if (known === undefined) {
        throw usageError(
          `[command] ${JSON.stringify(command ?? "")} is not one of: ${Object.keys(STACK_COMMANDS).join(", ")}\n\n${usage}`,
        );
      }
      if (stack === undefined || !stacks.includes(stack)) {
        throw usageError(
          `[stack] ${JSON.stringify(stack ?? "")} has no stack file here; stacks: ${stacks.join(", ")}`,
        );
      }
      readStackConfigFile(stack, projectDir);
      const cli = await findPulumiCli(options.pulumiRoot);
      const run = (args: readonly string[], stdio: "inherit" | "pipe") =>
        spawnSync(cli.command, [...args], { cwd: projectDir, stdio, encoding: "utf8" });
      await requireBackendLogin(async () => {
        const whoami = run(["whoami", "--non-interactive"], "pipe");
        if (whoami.status !== 0) {
          throw new Error(whoami.stderr || whoami.error?.message || `exit ${whoami.status}`);
        }
      });
      const done = run([...known.args, "--stack", stack, ...passed], "inherit");
      return done.status === 0 ? EXIT_CODES.ok : EXIT_CODES.failed;
    },
    options.printError ?? ((text) => console.error(text)),
  );
}

/** The npm scripts this file serves: `<command>:<stack>` for every command and committed stack. */
export function stackCommandScripts(stacks: readonly string[]): Record<string, string> {
  const script = path.join("scripts", "pulumi-stack.ts");
  return Object.fromEntries(
    stacks.flatMap((stack) =>
      Object.keys(STACK_COMMANDS).map((command) => [
        `${command}:${stack}`,
        `ts-node --transpile-only ${script} ${command} ${stack}`,
      ]),
    ),
  );
}

if (require.main === module) {
  runAsScript((argv) => runStackCommand(argv));
}
