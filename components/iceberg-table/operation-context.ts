import { QueryTiming } from "./athena-query-runner";
import { AwsClients } from "./aws-clients";
import { IcebergTableSpec } from "./spec";

/** What every operation of the provider against AWS works with: the clients, the log, the query timing. */

export interface ProviderLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface OperationContext {
  readonly clients: AwsClients;
  readonly log: ProviderLog;
  readonly timing: QueryTiming;
}

/** How the log and errors name a table. */
export function tableLabel(spec: Pick<IcebergTableSpec, "database" | "name">): string {
  return `IcebergTable ${spec.database}.${spec.name}`;
}
