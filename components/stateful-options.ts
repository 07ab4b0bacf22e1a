import { LakehouseConfig } from "../config/stack-config";

/**
 * How a stateful resource (bucket, key, catalog database, table) is guarded. Set only on the stateful
 * resource itself, never on a component: Pulumi children inherit `protect` from their parent, and a
 * protected bucket policy or alias would block harmless updates.
 */
export interface StatefulOptions {
  /** Pulumi refuses to delete or replace the resource. */
  readonly protect: boolean;
  /** `pulumi destroy` forgets the resource and leaves it (and its data) in the account. */
  readonly retainOnDelete: boolean;
}

/** Everything is retained on delete except in short-lived preview environments. */
export function statefulOptions(config: Pick<LakehouseConfig, "protect" | "environment">): StatefulOptions {
  return { protect: config.protect, retainOnDelete: config.environment !== "preview" };
}
