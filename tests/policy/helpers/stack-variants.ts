import { PROJECT_NAME, readStackConfigFile } from "../../../config/load";
import { derivePreviewConfig } from "../../../automation/preview-config";
import { captureResourceGraph, ResourceRecord } from "../../../offline/resource-graph";
import { buildLakehouseVariant, FixtureTableSpec, PlantedDefect } from "./lakehouse-variant";
import { SERVICE_DEFECTS } from "./planted-service-defects";
import { STORAGE_AND_IAM_DEFECTS } from "./planted-storage-defects";

/** The two stack variants policy tests evaluate besides dev and prod, each built once per test run. */

export const PLANTED_DEFECTS: readonly PlantedDefect[] = [...STORAGE_AND_IAM_DEFECTS, ...SERVICE_DEFECTS];

/** Fixture tables next to the lakehouse, one compliant and four each with one planted defect. */
export const INSECURE_TABLES: readonly FixtureTableSpec[] = [
  { name: "raw_orders", prefix: "raw/orders/", deletionPolicy: "retain", protect: true },
  { name: "raw_customers", prefix: "raw/customers/", deletionPolicy: "drop", protect: true },
  { name: "curated_orders", prefix: "curated/orders/", deletionPolicy: "retain", protect: false },
  { name: "raw_order_items", prefix: "raw/orders/items/", deletionPolicy: "retain", protect: true },
  {
    name: "agg_daily_metrics",
    prefix: "aggregated/daily_metrics/",
    deletionPolicy: "retain",
    protect: true,
    deleteBeforeReplace: true,
  },
];

export const TABLE_DEFECT_VIOLATIONS = [
  {
    policy: "iceberg-table-retains-data",
    resource: "raw_customers",
    message: 'table "raw_customers" has deletionPolicy "drop" in environment "prod"',
  },
  {
    policy: "prod-stateful-resources-protected",
    resource: "curated_orders",
    message: 'Iceberg table "curated_orders" is not protected in production',
  },
  {
    policy: "iceberg-table-own-location",
    resource: "raw_order_items",
    message:
      'table "raw_order_items" at "s3://lakehouse-data/raw/orders/items/" overlaps the location of table "raw_orders" ("s3://lakehouse-data/raw/orders/")',
  },
  {
    policy: "stateful-no-delete-before-replace",
    resource: "agg_daily_metrics",
    message:
      'Iceberg table "agg_daily_metrics" is set to be deleted before its replacement is created (deleteBeforeReplace)',
  },
];

const graphs = new Map<string, Promise<ResourceRecord[]>>();

function once(key: string, build: () => Promise<ResourceRecord[]>): Promise<ResourceRecord[]> {
  const graph = graphs.get(key) ?? build();
  graphs.set(key, graph);
  return graph;
}

/** The prod stack with every planted defect and the insecure fixture tables. */
export function insecureProdGraph(): Promise<ResourceRecord[]> {
  return once("insecure-prod", () => {
    const prod = readStackConfigFile("prod");
    return captureResourceGraph({ project: PROJECT_NAME, stack: "prod", region: prod.region }, () =>
      buildLakehouseVariant(prod, PLANTED_DEFECTS, INSECURE_TABLES),
    );
  });
}

/**
 * Pull request 42's preview environment, configured as the preview tool derives it from dev
 * (forceDestroy on, no protection, Environment "preview"), with two tables that drop their data.
 */
export function previewGraph(): Promise<ResourceRecord[]> {
  return once("preview", () => {
    const preview = derivePreviewConfig(readStackConfigFile("dev"), {
      pullRequest: 42,
      expiresAt: "2030-01-31T00:00:00Z",
    });
    const tables: FixtureTableSpec[] = [
      { name: "raw_orders", prefix: "raw/orders/", deletionPolicy: "drop", protect: false },
      { name: "curated_orders", prefix: "curated/orders/", deletionPolicy: "drop", protect: false },
    ];
    return captureResourceGraph({ project: PROJECT_NAME, stack: "pr-42", region: preview.region }, () =>
      buildLakehouseVariant(preview, [], tables),
    );
  });
}
