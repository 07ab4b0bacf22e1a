// Prints the offline plan of a stack: the program run in-process under mocks (no AWS, no Pulumi CLI).
import { readStackConfigFile } from "../config/load";
import { renderPlanTree } from "../offline/plan-tree";
import { ResourceRecord } from "../offline/resource-graph";
import { captureStackFileGraph, graphCounts } from "../offline/stack-graph";

/** The plan as printed: a header, the resource tree grouped by component, and the counts. */
export function offlinePlanLines(
  stack: string,
  region: string,
  records: readonly ResourceRecord[],
): string[] {
  const { resources, components } = graphCounts(records);
  return [
    `Offline plan of stack "${stack}" (${region}): the program run under mocks; nothing is deployed.`,
    ...renderPlanTree(records),
    "",
    `${resources} resources in ${components} components. Deploy with: pulumi up --stack ${stack}`,
  ];
}

async function main(stack: string): Promise<void> {
  const config = readStackConfigFile(stack);
  const records = await captureStackFileGraph(stack);
  console.log(offlinePlanLines(stack, config.region, records).join("\n"));
}

if (require.main === module) {
  main(process.argv[2] ?? "dev").catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
