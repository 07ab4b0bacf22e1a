// The preview tool's command line: `npm run preview -- <command>` (see automation/README.md).
import * as fs from "fs";
import { PROJECT_DIR, readStackConfigFile } from "../config/load";
import { StackConfigError } from "../config/stack-config";
import { checkAwsCredentials } from "./aws-credentials";
import { parseCommandLine, USAGE } from "./cli-args";
import type { PreviewToolContext } from "./context";
import { EXIT_CODES, ExitCode, PreviewToolError } from "./errors";
import { listPreviews } from "./list";
import { openLocalWorkspace } from "./local-workspace";
import { destroyPreview, gcPreviews } from "./teardown";
import { upPreview } from "./up";

/** Runs one command; every outcome is an exit code (errors.ts) and a message on `printError`. */
export async function runCli(
  argv: readonly string[],
  context: PreviewToolContext,
  printError: (text: string) => void,
): Promise<ExitCode> {
  try {
    const command = parseCommandLine(argv, PROJECT_DIR);
    switch (command.kind) {
      case "help":
        context.print(USAGE);
        break;
      case "up":
        await upPreview(context, command);
        break;
      case "destroy":
        await destroyPreview(context, command);
        break;
      case "list":
        await listPreviews(context);
        break;
      case "gc":
        await gcPreviews(context, command);
        break;
    }
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof PreviewToolError) {
      printError(error.message);
      return error.exitCode;
    }
    if (error instanceof StackConfigError) {
      // dev's stack file or the preview derived from it is invalid: nothing was changed.
      printError(error.message);
      return EXIT_CODES.usage;
    }
    printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return EXIT_CODES.operationFailed;
  }
}

/** The real world: the Pulumi CLI through a LocalWorkspace, the AWS SDK's credential chain, the clock. */
export function processContext(): PreviewToolContext {
  return {
    openWorkspace: () => openLocalWorkspace({ workDir: PROJECT_DIR }),
    devConfig: () => readStackConfigFile("dev"),
    checkAwsCredentials: () => checkAwsCredentials(),
    now: () => new Date(),
    print: (line) => console.log(line),
    fileExists: (path) => fs.existsSync(path),
    writeFile: (path, text) => fs.writeFileSync(path, text),
  };
}

if (require.main === module) {
  void runCli(process.argv.slice(2), processContext(), (text) => console.error(text)).then((code) => {
    process.exitCode = code;
  });
}
