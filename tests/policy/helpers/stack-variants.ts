import { PROJECT_NAME, readStackConfigFile } from "../../../config/load";
import { derivePreviewConfig } from "../../../automation/preview-config";
import { captureResourceGraph, ResourceRecord } from "../../../offline/resource-graph";
import { buildLakehouseVariant, PlantedDefect } from "./lakehouse-variant";
import { GUARDRAIL_DEFECTS } from "./planted-guardrail-defects";
import { SERVICE_DEFECTS } from "./planted-service-defects";
import { STORAGE_AND_IAM_DEFECTS } from "./planted-storage-defects";
import { TABLE_DEFECTS } from "./planted-table-defects";

/** The two stack variants policy tests evaluate besides dev and prod, each built once per test run. */

export const PLANTED_DEFECTS: readonly PlantedDefect[] = [
  ...STORAGE_AND_IAM_DEFECTS,
  ...SERVICE_DEFECTS,
  ...TABLE_DEFECTS,
  ...GUARDRAIL_DEFECTS,
];

const graphs = new Map<string, Promise<ResourceRecord[]>>();

function once(key: string, build: () => Promise<ResourceRecord[]>): Promise<ResourceRecord[]> {
  const graph = graphs.get(key) ?? build();
  graphs.set(key, graph);
  return graph;
}

/**
 * The prod stack with every planted defect (its real Iceberg tables included), raw_orders maintained by
 * Glue's table optimizers so that their rule has a real optimizer to judge.
 */
export function insecureProdGraph(): Promise<ResourceRecord[]> {
  return once("insecure-prod", () => {
    const committed = readStackConfigFile("prod");
    const prod = {
      ...committed,
      maintenance: { ...committed.maintenance, tables: { raw_orders: "managed" as const } },
    };
    return captureResourceGraph({ project: PROJECT_NAME, stack: "prod", region: prod.region }, () =>
      buildLakehouseVariant(prod, PLANTED_DEFECTS),
    );
  });
}

/**
 * Pull request 42's preview environment, configured as the preview tool derives it from dev
 * (forceDestroy on, no protection, Environment "preview", tables with deletionPolicy "drop").
 */
export function previewGraph(): Promise<ResourceRecord[]> {
  return once("preview", () => {
    const preview = derivePreviewConfig(readStackConfigFile("dev"), {
      pullRequest: 42,
      expiresAt: "2030-01-31T00:00:00Z",
    });
    return captureResourceGraph({ project: PROJECT_NAME, stack: "pr-42", region: preview.region }, () =>
      buildLakehouseVariant(preview, []),
    );
  });
}
