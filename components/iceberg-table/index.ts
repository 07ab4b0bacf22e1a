// The IcebergTable component and the pieces users call directly (the planner above all).
export {
  IcebergTable,
  IcebergTableArgs,
  icebergTableArgsFromDefinition,
  ICEBERG_TABLE_COMPONENT_TYPE,
  ICEBERG_TABLE_DYNAMIC_RESOURCE_TYPE,
} from "./iceberg-table";
export { createLakehouseTables, LakehouseTablesArgs } from "./lakehouse-tables";
export {
  formatRefusal,
  planTableChange,
  PlannedStatement,
  PlanOptions,
  TablePlan,
} from "./evolution-planner";
export { planReport, PlanReport } from "./plan-report";
export { LayoutChange, planLayoutChange } from "./layout-planner";
export { glueIcebergUpdateRequest } from "./glue-iceberg-update";
export { LiveTable, liveTableFromSpec } from "./live-table";
export { liveTableFromIcebergMetadata } from "./iceberg-metadata";
export {
  ICEBERG_TABLE_DEFAULTS,
  IcebergTableSpec,
  IcebergTableSpecError,
  isIcebergTableSpecError,
  icebergTableSpecProblems,
  specFromDefinition,
  validateIcebergTableSpec,
} from "./spec";
export { DeletionPolicy } from "../../tables/deletion-policy";
export { renderCreateTable } from "./athena-ddl";
export { icebergTableProvider, IcebergTableProviderOptions } from "./provider";
