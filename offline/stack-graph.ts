import { PROJECT_DIR, PROJECT_NAME, programSettings, readStackSettings } from "../config/load";
import { LakehouseConfig } from "../config/stack-config";
import { withDefaultProviders } from "./default-providers";
import { PROGRAM_ENTRY, runProgram } from "./program";
import { captureResourceGraph, ResourceRecord } from "./resource-graph";

/**
 * Every resource the program (index.ts and all it declares) registers for a stack's settings, run
 * in-process under mocks, with the default providers the engine would add: what `pulumi up` runs.
 */
export async function captureProgramGraph(
  stack: string,
  settings: Readonly<Record<string, string>>,
  entry: string = PROGRAM_ENTRY,
): Promise<ResourceRecord[]> {
  const region = settings["aws:region"] ?? "";
  const records = await captureResourceGraph({ project: PROJECT_NAME, stack, region, settings }, () =>
    runProgram(entry),
  );
  return withDefaultProviders(records, { project: PROJECT_NAME, stack, settings });
}

/** The program run with a stack file's settings (`Pulumi.<stack>.yaml`), as `pulumi up --stack` runs it. */
export function captureStackFileGraph(
  stack: string,
  projectDir: string = PROJECT_DIR,
): Promise<ResourceRecord[]> {
  return captureProgramGraph(stack, readStackSettings(stack, projectDir));
}

/** The program run with a validated configuration (e.g. one the preview tool derives). */
export function captureStackGraph(stack: string, config: LakehouseConfig): Promise<ResourceRecord[]> {
  return captureProgramGraph(stack, programSettings(config));
}
