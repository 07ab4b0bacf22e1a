// The preview environment tool's command line: `npm run pr-env -- <command>` (see automation/README.md).
import * as fs from "fs";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { ExitCode, runAsScript, runCommand } from "../cli/exit-codes";
import { awsSdkConnection } from "../components/aws-sdk-config";
import { PROJECT_DIR, readStackConfigFile } from "../config/load";
import { checkAwsCredentials } from "./aws-credentials";
import { parseCommandLine, USAGE } from "./cli-args";
import type { PreviewToolContext } from "./context";
import { listPreviews } from "./list";
import { openLocalWorkspace } from "./local-workspace";
import { awsSweeper } from "./sweep-aws";
import { sweepLeftovers } from "./sweep";
import { destroyPreview, gcPreviews } from "./teardown";
import { upPreview } from "./up";

/** Runs one command; every outcome is an exit code (cli/exit-codes.ts) and a message on `printError`. */
export function runCli(
  argv: readonly string[],
  context: PreviewToolContext,
  printError: (text: string) => void,
): Promise<ExitCode> {
  return runCommand(async () => {
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
      case "sweep":
        await sweepLeftovers(context, command);
        break;
    }
  }, printError);
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
    env: process.env,
    awsSweeper: () => {
      const connection = awsSdkConnection(readStackConfigFile("dev"));
      return awsSweeper(connection, { fromNodeProviderChain, fromTemporaryCredentials });
    },
  };
}

if (require.main === module) {
  runAsScript((argv) => runCli(argv, processContext(), (text) => console.error(text)));
}
