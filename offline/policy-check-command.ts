import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR, readStackConfigFile } from "../config/load";
import { checkGraph, lakehousePolicyPack } from "./policy-check";
import { parsePolicyConfig, reconcilePolicyConfig } from "./policy-config";
import { policyReportJson, renderPolicyReport } from "./policy-report";
import { captureStackFileGraph } from "./stack-graph";

export const POLICY_CHECK_USAGE = "usage: npm run policy:check -- <stack> [--policy-pack-config <file.json>]";

/** Exit codes: no mandatory violation, a mandatory violation, the check could not run. */
export const EXIT = { passed: 0, violations: 1, error: 2 } as const;

export interface PolicyCheckCommandOptions {
  /** Holds Pulumi.yaml and the stack files. @default the project folder */
  readonly projectDir?: string;
  /** Where `policy-report-<stack>.json` goes. @default `<project>/build` */
  readonly reportDir?: string;
  /** Receives the report, line by line. @default console.log */
  readonly print?: (line: string) => void;
}

export function parsePolicyCheckArguments(argv: readonly string[]): { stack: string; configFile?: string } {
  const [stack, flag, configFile, ...rest] = argv;
  if (stack === undefined || stack.startsWith("-") || rest.length > 0) {
    throw new Error(POLICY_CHECK_USAGE);
  }
  if (flag === undefined) {
    return { stack };
  }
  if (flag !== "--policy-pack-config" || configFile === undefined) {
    throw new Error(`[${flag}] is not an option of the policy check; ${POLICY_CHECK_USAGE}`);
  }
  return { stack, configFile };
}

/**
 * `npm run policy:check -- <stack>`: the stack's program run under mocks (no AWS, no Pulumi CLI), every
 * policy of policy/ evaluated as `pulumi preview --policy-pack policy` would, a readable report printed
 * and `policy-report-<stack>.json` written. Bad arguments, stack config or policy config throw before
 * anything runs.
 */
export async function runPolicyCheckCommand(
  argv: readonly string[],
  options: PolicyCheckCommandOptions = {},
): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const { stack, configFile } = parsePolicyCheckArguments(argv);
  const pack = lakehousePolicyPack();
  const userConfig = configFile === undefined ? {} : parsePolicyConfig(fs.readFileSync(configFile, "utf8"));
  const config = reconcilePolicyConfig(pack, userConfig);
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
  [...renderPolicyReport(stack, result), `JSON report: ${path.relative(process.cwd(), reportFile)}`].forEach(
    print,
  );
  return result.mandatoryViolations > 0 ? EXIT.violations : EXIT.passed;
}
