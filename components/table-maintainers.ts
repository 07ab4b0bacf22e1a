import { TableMaintenance } from "../config/defaults";
import { LakehouseConfig } from "../config/stack-config";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";

/** The settings that say who maintains each table. */
export type MaintenanceAssignment = Pick<LakehouseConfig, "maintenance">;

/** Who maintains a table in this stack (`maintenance.tables`; the job unless the table is named there). */
export function tableMaintenance(config: MaintenanceAssignment, table: string): TableMaintenance {
  return config.maintenance.tables[table] ?? "job";
}

/** The declared tables one maintainer keeps, in name order (the order the maintenance job runs them). */
export function tablesMaintainedBy(config: MaintenanceAssignment, maintainer: TableMaintenance): string[] {
  return LAKEHOUSE_TABLES.map((t) => t.name)
    .filter((table) => tableMaintenance(config, table) === maintainer)
    .sort();
}
