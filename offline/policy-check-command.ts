import * as fs from "fs";
import * as path from "path";
import { readArguments, refuseExtraArguments } from "../cli/arguments";
import { EXIT_CODES, ExitCode, runCommand, usageError } from "../cli/exit-codes";
import { readInputFile } from "../cli/input-files";
import { PROJECT_DIR, readStackConfigFile } from "../config/load";
import { checkGraph, lakehousePolicyPack } from "./policy-evaluation";
import { parsePolicyConfig, PolicyConfigError, reconcilePolicyConfig } from "./policy-config";
import { policyReportJson, renderPolicyReport } from "./policy-report";
import { ConfiguredPolicies, PolicyPackUnderTest } from "./policy-runtime";
import { captureStackFileGraph } from "./stack-graph";

export const POLICY_CHECK_USAGE = `Usage: npm run policy:check -- <stack> [--policy-pack-config <file.json>]

The policy pack (policy/) evaluated on a stack offline: the Pulumi program run in-process under mocks with
the stack file's settings, every policy run as \`pulumi preview --policy-pack policy\` would. Prints one
line per policy and writes build/policy-report-<stack>.json.

  --policy-pack-config <file.json>  enforcement levels and policy settings, as the CLI's option of that name

Exit codes: 0 no mandatory violation, 1 failed, 2 usage error or invalid stack file or policy config,
3 refused: a mandatory policy is violated.`;

export interface PolicyCheckCommandOptions {
  /** Holds Pulumi.yaml and the stack files. @default the project folder */
  readonly projectDir?: string;
  /** Where `policy-report-<stack>.json` goes. @default `<project>/build` */
  readonly reportDir?: string;
  /** Receives the report, line by line. @default console.log */
  readonly print?: (line: string) => void;
  /** Receives the error message of a check that could not run. @default console.error */
  readonly printError?: (text: string) => void;
}

/** `{ stack, configFile }`, or "help". */
export function parsePolicyCheckArguments(
  argv: readonly string[],
): { readonly stack: string; readonly configFile?: string } | "help" {
  const { values, positionals, help } = readArguments(
    argv,
    { "policy-pack-config": { type: "string" } },
    POLICY_CHECK_USAGE,
  );
  if (help) {
    return "help";
  }
  refuseExtraArguments(positionals, 1, POLICY_CHECK_USAGE);
  const [stack] = positionals;
  if (stack === undefined) {
    throw usageError(`[stack] is required: the stack to check, e.g. dev\n\n${POLICY_CHECK_USAGE}`);
  }
  const configFile = values["policy-pack-config"];
  return configFile === undefined ? { stack } : { stack, configFile };
}

/** The pack's policies configured by the `--policy-pack-config` file; every problem is a usage error naming the option. */
function configuredPolicies(pack: PolicyPackUnderTest, configFile: string | undefined): ConfiguredPolicies {
  try {
    const userConfig =
      configFile === undefined ? {} : parsePolicyConfig(readInputFile("--policy-pack-config", configFile));
    return reconcilePolicyConfig(pack, userConfig);
  } catch (error) {
    if (error instanceof PolicyConfigError) {
      throw usageError(`[--policy-pack-config] ${configFile ?? "(no file)"}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * `npm run policy:check -- <stack>`: the stack's program run under mocks (no AWS, no Pulumi CLI), every
 * policy of policy/ evaluated as `pulumi preview --policy-pack policy` would, a readable report printed
 * and `policy-report-<stack>.json` written. Bad arguments, stack config or policy config stop it (exit 2)
 * before the program runs.
 */
export function runPolicyCheckCommand(
  argv: readonly string[],
  options: PolicyCheckCommandOptions = {},
): Promise<ExitCode> {
  const print = options.print ?? ((line: string) => console.log(line));
  return runCommand(
    async () => {
      const parsed = parsePolicyCheckArguments(argv);
      if (parsed === "help") {
        print(POLICY_CHECK_USAGE);
        return EXIT_CODES.ok;
      }
      const { stack, configFile } = parsed;
      const pack = lakehousePolicyPack();
      const config = configuredPolicies(pack, configFile);
      const projectDir = options.projectDir ?? PROJECT_DIR;
      // Validated first, so a bad stack file fails before the program runs (exit 2, the key named).
      readStackConfigFile(stack, projectDir);
      const records = await captureStackFileGraph(stack, projectDir);
      const result = await checkGraph(pack, config, records);
      const reportFile = path.join(
        options.reportDir ?? path.join(projectDir, "build"),
        `policy-report-${stack}.json`,
      );
      fs.mkdirSync(path.dirname(reportFile), { recursive: true });
      fs.writeFileSync(reportFile, `${JSON.stringify(policyReportJson(stack, result), null, 2)}\n`);
      const lines = [
        ...renderPolicyReport(stack, result),
        `JSON report: ${path.relative(process.cwd(), reportFile)}`,
      ];
      lines.forEach((line) => print(line));
      return result.mandatoryViolations > 0 ? EXIT_CODES.refused : EXIT_CODES.ok;
    },
    options.printError ?? ((text) => console.error(text)),
  );
}
