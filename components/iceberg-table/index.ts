// The IcebergTable component and the pieces users call directly (the planner above all).
export {
  IcebergTable,
  IcebergTableArgs,
  icebergTableArgsFromDefinition,
  ICEBERG_TABLE_TYPE,
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
  DeletionPolicy,
  ICEBERG_TABLE_DEFAULTS,
  IcebergTableSpec,
  IcebergTableSpecError,
  isIcebergTableSpecError,
  icebergTableSpecProblems,
  specFromDefinition,
  validateIcebergTableSpec,
} from "./spec";
export { parseAthenaType, renderType } from "./athena-type";
export { renderCreateTable } from "./athena-ddl";
export { icebergTableProvider, IcebergTableProviderOptions } from "./provider";
