// `npm run plan -- [<stack>]`: the offline plan of a stack, the program run in-process under mocks (no AWS,
// no Pulumi CLI). Exit codes: cli/exit-codes.ts.
import { readArguments, refuseExtraArguments } from "../cli/arguments";
import { ExitCode, runAsScript, runCommand } from "../cli/exit-codes";
import { PROJECT_DIR, readStackConfigFile } from "../config/load";
import { renderPlanTree } from "../offline/plan-tree";
import { graphCounts, graphCountsText, ResourceRecord } from "../offline/resource-graph";
import { captureStackFileGraph } from "../offline/stack-graph";

export const PLAN_USAGE = `Usage: npm run plan -- [<stack>]

The offline plan of a stack: the Pulumi program (index.ts) run in-process under mocks with the stack
file's settings, printed as a resource tree grouped by component. No AWS account, no Pulumi CLI; nothing
is deployed. <stack> names a stack file Pulumi.<stack>.yaml (default: dev).

Exit codes: 0 done, 1 failed, 2 usage error or invalid stack file.`;

/** The plan as printed: a header, the resource tree grouped by component, and the counts. */
export function offlinePlanLines(
  stack: string,
  region: string,
  records: readonly ResourceRecord[],
): string[] {
  return [
    `Offline plan of stack "${stack}" (${region}): the program run under mocks; nothing is deployed.`,
    ...renderPlanTree(records),
    "",
    `${graphCountsText(graphCounts(records))}. Deploy with: pulumi up --stack ${stack}`,
  ];
}

export function runPlanCommand(
  argv: readonly string[],
  options: { readonly projectDir?: string; readonly print?: (line: string) => void } = {},
  printError: (text: string) => void = (text) => console.error(text),
): Promise<ExitCode> {
  const print = options.print ?? ((line: string) => console.log(line));
  return runCommand(async () => {
    const { positionals, help } = readArguments(argv, {}, PLAN_USAGE);
    if (help) {
      print(PLAN_USAGE);
      return;
    }
    refuseExtraArguments(positionals, 1, PLAN_USAGE);
    const stack = positionals[0] ?? "dev";
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const config = readStackConfigFile(stack, projectDir);
    const records = await captureStackFileGraph(stack, projectDir);
    offlinePlanLines(stack, config.region, records).forEach((line) => print(line));
  }, printError);
}

if (require.main === module) {
  runAsScript((argv) => runPlanCommand(argv));
}
