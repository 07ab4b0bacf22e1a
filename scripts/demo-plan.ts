// Step 1 of the demo (`bash scripts/demo.sh`): the offline plan of a stack as a resource tree, the policy
// check's summary, and the component diagram written to docs/<stack>-stack.md. The program runs once,
// in-process under mocks (no AWS, no Pulumi CLI); nothing is deployed.
// Usage: demo-plan.ts <stack> [summary.json]   (the summary is what the demo's final report quotes)
// Exit codes (cli/exit-codes.ts): 0; 3 when the policy pack finds a mandatory violation (the full report is
// printed); 2 for an invalid stack file; 1 on any other error.
import * as fs from "fs";
import * as path from "path";
import { EXIT_CODES, ExitCode, exitCodeOf } from "../cli/exit-codes";
import { PROJECT_DIR, readStackConfigFile } from "../config/load";
import { checkGraph, lakehousePolicyPack } from "../offline/policy-evaluation";
import { reconcilePolicyConfig } from "../offline/policy-config";
import { renderPolicyReport, summaryCounts } from "../offline/policy-report";
import { graphCounts } from "../offline/resource-graph";
import { captureStackFileGraph } from "../offline/stack-graph";
import { renderStackDiagramDoc, stackDiagramFile } from "../offline/stack-diagram-doc";
import { offlinePlanLines } from "./offline-plan";

async function main(stack: string, summaryFile: string | undefined): Promise<ExitCode> {
  const config = readStackConfigFile(stack);
  const records = await captureStackFileGraph(stack);
  console.log(offlinePlanLines(stack, config.region, records).join("\n"));

  const pack = lakehousePolicyPack();
  const policy = await checkGraph(pack, reconcilePolicyConfig(pack), records);
  const report = renderPolicyReport(stack, policy);
  // The header and the summary line; every line when a mandatory policy fails, to show what and why.
  const shown = policy.mandatoryViolations > 0 ? report : [report[0], report[report.length - 1]];
  console.log(`\n${shown.join("\n")}`);

  const diagram = stackDiagramFile(stack);
  fs.mkdirSync(path.dirname(diagram), { recursive: true });
  fs.writeFileSync(diagram, renderStackDiagramDoc(stack, records));
  console.log(`\nComponent diagram (Mermaid): ${path.relative(PROJECT_DIR, diagram)}`);

  if (summaryFile !== undefined) {
    const summary = {
      stack,
      region: config.region,
      database: config.catalog.databaseName,
      ...graphCounts(records),
      policy: {
        pack: `${policy.pack.name}@${policy.pack.version}`,
        policies: policy.policies.length,
        ...summaryCounts(policy),
        mandatoryViolations: policy.mandatoryViolations,
        advisoryViolations: policy.advisoryViolations,
        summary: report[report.length - 1],
      },
      diagram: path.relative(PROJECT_DIR, diagram),
    };
    fs.mkdirSync(path.dirname(path.resolve(summaryFile)), { recursive: true });
    fs.writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  }
  return policy.mandatoryViolations > 0 ? EXIT_CODES.refused : EXIT_CODES.ok;
}

main(process.argv[2] ?? "dev", process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(exitCodeOf(error, (text) => console.error(text))),
);
