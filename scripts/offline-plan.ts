// Prints the offline plan of a stack: the program run in-process under mocks (no AWS, no Pulumi CLI).
import { createLakehouse } from "../components/lakehouse";
import { PROJECT_NAME, readStackConfigFile } from "../config/load";
import { renderPlanTree } from "../offline/plan-tree";
import { captureResourceGraph } from "../offline/resource-graph";

async function main(stack: string): Promise<void> {
  const config = readStackConfigFile(stack);
  const records = await captureResourceGraph({ project: PROJECT_NAME, stack, region: config.region }, () =>
    createLakehouse(config),
  );
  console.log(
    `Offline plan of stack "${stack}" (${config.region}): the program run under mocks; nothing is deployed.`,
  );
  console.log(renderPlanTree(records).join("\n"));
  const custom = records.filter((r) => r.custom).length;
  console.log(
    `\n${custom} resources in ${records.length - custom} components. Deploy with: pulumi up --stack ${stack}`,
  );
}

main(process.argv[2] ?? "dev").catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
