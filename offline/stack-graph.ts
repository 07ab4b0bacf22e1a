import { createLakehouse } from "../components/lakehouse";
import { PROJECT_NAME } from "../config/load";
import { LakehouseConfig } from "../config/stack-config";
import { captureResourceGraph, ResourceRecord } from "./resource-graph";

/** Every resource the program registers for a stack's configuration, run in-process under mocks. */
export function captureStackGraph(stack: string, config: LakehouseConfig): Promise<ResourceRecord[]> {
  return captureResourceGraph({ project: PROJECT_NAME, stack, region: config.region }, () =>
    createLakehouse(config),
  );
}

/** How many cloud resources and how many components (grouping) a graph holds. */
export function graphCounts(records: readonly ResourceRecord[]): { resources: number; components: number } {
  const resources = records.filter((r) => r.custom).length;
  return { resources, components: records.length - resources };
}
