import { randomUUID } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { awsConnectionOf, awsConnectionProblems } from "../aws-sdk-connection-check";
import { AwsSdkConnection } from "../aws-sdk-config";
import { stableJson } from "../stable-json";
import { QUERY_TIMING_DEFAULTS, QueryTiming } from "./athena-query-runner";
import { canonicalType } from "../../tables/athena-type";
import { createAwsClients, destroyAwsClients } from "./aws-clients";
import { columnDropsOf, declaredColumnDrops } from "./column-drops";
import { LiveTable, sameLocation } from "./live-table";
import {
  createOwnedTable,
  deleteOwnedTable,
  findRenamedTable,
  updateOwnedTable,
} from "./owned-table-operations";
import { plannedChange, withKnownPlacement } from "./planned-change";
import { samePartitioning } from "../../tables/partition-transforms";
import { claimOf, inputFields, ownerOf, ownerProblems, specFields } from "./resource-fields";
import { sameSortOrder } from "./sort-order";
import {
  formatProblem,
  IcebergTableSpec,
  icebergTableSpecProblems,
  parseIcebergTableState,
  SpecProblem,
  validateIcebergTableSpec,
} from "./spec";
import { OperationContext, ProviderLog, tableLabel } from "./operation-context";
import { findLiveTable, readTableDrift } from "./table-operations";

/**
 * The IcebergTable dynamic provider: validation in `check` (bad input fails at preview, before anything
 * runs), refusals in `diff` (a change Athena cannot make in place fails the preview; nothing is ever
 * replaced), and create/update/read/delete through Athena DDL planned from the live table, with the
 * table's owner recorded on it (./table-ownership) so a drop never hits a table another resource manages.
 */

/** Outputs beyond the spec: the qualified name, and drift lines found by the last refresh. */
export interface IcebergTableOutputs extends IcebergTableSpec {
  readonly qualifiedName: string;
  readonly drift: readonly string[];
}

/**
 * Bump when the provider's behaviour changes. The engine runs `delete` and `read` with the provider code
 * stored in the state's outputs, which only an update rewrites; a new version makes `diff` report a
 * change, so the next `up` stores the new code (running no DDL when the table already matches).
 * 2: the owner recorded on the table (a drop only by its owner), the AWS connection, columnDrops.
 */
export const ICEBERG_TABLE_PROVIDER_VERSION = "2";

/**
 * What tests may tune. The engine runs the provider serialized into the state with these values
 * captured in plain text, so they hold numbers only: never credentials, endpoints or functions (AWS
 * access comes from the resource's `aws` input and the SDK's default chain in the provider's process).
 */
export interface IcebergTableProviderOptions {
  readonly timing?: Partial<QueryTiming>;
}

/** The resource's bookkeeping carried from its inputs into its state (delete and read use it). */
interface Bookkeeping {
  readonly aws: AwsSdkConnection;
  readonly owner?: unknown;
  readonly ownerClaim?: string;
}

function bookkeeping(props: Record<string, unknown>, region: string, claim: string | undefined): Bookkeeping {
  return {
    aws: awsConnectionOf(props, region),
    ...(props.owner === undefined ? {} : { owner: props.owner }),
    ...(claim === undefined ? {} : { ownerClaim: claim }),
  };
}

function outputs(
  spec: IcebergTableSpec,
  kept: Bookkeeping,
  drift: readonly string[] = [],
): Record<string, unknown> {
  const outs: IcebergTableOutputs = { ...spec, qualifiedName: `${spec.database}.${spec.name}`, drift };
  return { ...outs, ...kept, providerVersion: ICEBERG_TABLE_PROVIDER_VERSION };
}

/** Comparable form of a spec: column types canonical, so `decimal(10, 2)` equals `decimal(10,2)`. */
function canonicalSpec(spec: IcebergTableSpec): string {
  return JSON.stringify({
    ...spec,
    columns: spec.columns.map((c) => ({ ...c, type: canonicalType(c.type) })),
    properties: Object.fromEntries(Object.entries(spec.properties).sort(([a], [b]) => a.localeCompare(b))),
  });
}

/** The spec as the live table has it, where a refresh found drift: the next preview shows the difference. */
function liveSpec(spec: IcebergTableSpec, live: LiveTable): IcebergTableSpec {
  return {
    ...spec,
    columns: live.columns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.comment === undefined ? {} : { comment: c.comment }),
    })),
    partitionBy: live.unrepresentablePartitioning === undefined ? live.partitionBy : spec.partitionBy,
    sortOrder:
      live.unrepresentableSortOrder === undefined && live.unreadableLayout === undefined
        ? (live.sortOrder ?? [])
        : spec.sortOrder,
    location: sameLocation(live.location, spec.location)
      ? spec.location
      : `${live.location.replace(/\/+$/, "")}/`,
    properties: Object.fromEntries(
      Object.keys(spec.properties).flatMap((k) => (k in live.properties ? [[k, live.properties[k]]] : [])),
    ),
  };
}

/** The previous spec of an update (from the old inputs), or undefined for a create or an older shape. */
function previousSpec(olds: Record<string, unknown>): IcebergTableSpec | undefined {
  if (Object.keys(olds).length === 0) {
    return undefined;
  }
  try {
    return parseIcebergTableState(specFields(olds));
  } catch {
    return undefined; // inputs of a shape this provider cannot read: `update` plans from the live table
  }
}

export function icebergTableProvider(
  options: IcebergTableProviderOptions = {},
): pulumi.dynamic.ResourceProvider<Record<string, unknown>, Record<string, unknown>> {
  // Statements and decisions go to Pulumi's log: in the engine's dynamic provider host that is the
  // process output, which `pulumi preview/up` shows as diagnostics.
  const log: ProviderLog = {
    info: (message) => void pulumi.log.info(message),
    warn: (message) => void pulumi.log.warn(message),
  };
  const timing: QueryTiming = { ...QUERY_TIMING_DEFAULTS, ...options.timing };

  async function withContext<T>(
    connection: AwsSdkConnection,
    work: (context: OperationContext) => Promise<T>,
  ): Promise<T> {
    const clients = await createAwsClients(connection);
    try {
      return await work({ clients, log, timing });
    } finally {
      destroyAwsClients(clients);
    }
  }

  /**
   * The table a change is planned from: a partition spec or sort order change needs the live Iceberg
   * metadata (its field, spec and sort order ids), as `update` plans it; anything else plans from the
   * state (undefined here), without calling AWS.
   */
  async function planningBase(
    previous: IcebergTableSpec,
    next: IcebergTableSpec,
    news: Record<string, unknown>,
  ): Promise<LiveTable | undefined> {
    const desired = withKnownPlacement(next, previous);
    const layoutChanges =
      !samePartitioning(previous.partitionBy, desired.partitionBy) ||
      !sameSortOrder(previous.sortOrder, desired.sortOrder);
    if (!layoutChanges || desired.region !== previous.region) {
      return undefined;
    }
    return withContext(awsConnectionOf(news, desired.region), (context) =>
      findLiveTable(context, previous, desired),
    );
  }

  return {
    async check(olds, news) {
      const fields = specFields(news);
      const problems: SpecProblem[] = [
        ...icebergTableSpecProblems(fields),
        ...awsConnectionProblems(news.aws, fields.region),
        ...ownerProblems(news.owner),
      ];
      if (problems.length > 0) {
        const table = typeof fields.name === "string" ? fields.name : "(unnamed)";
        return {
          failures: problems.map((p) => ({
            property: p.field.split(/[.[]/)[0],
            reason: formatProblem(table, p),
          })),
        };
      }
      const spec = validateIcebergTableSpec(fields);
      const previous = previousSpec(olds);
      const columnDrops = declaredColumnDrops(previous, spec);
      const refusals =
        previous === undefined
          ? []
          : plannedChange(previous, spec, columnDrops, await planningBase(previous, spec, news)).refusals;
      if (refusals.length > 0) {
        return {
          failures: refusals.map((r) => ({
            property: r.field.split(/[.[]/)[0],
            reason: `IcebergTable "${spec.name}" [${r.field}] refused, nothing was run: ${r.message}`,
          })),
        };
      }
      return { inputs: { ...news, ...spec, columnDrops } };
    },

    async diff(_id, olds, news) {
      // Shape only: `check` validated the new inputs; a refresh diffs against the old ones, never refused.
      const previous = parseIcebergTableState(specFields(olds));
      const next = parseIcebergTableState(specFields(news));
      const sameBookkeeping =
        olds.providerVersion === news.providerVersion &&
        stableJson(olds.aws) === stableJson(news.aws) &&
        stableJson(olds.owner) === stableJson(news.owner);
      if (canonicalSpec(previous) === canonicalSpec(next) && sameBookkeeping) {
        return { changes: false };
      }
      // Refused changes failed `check` already; here (and in the diff a refresh makes) only the plan shows.
      // A refresh may find the layout drifted: without the live table the plan shows from the state.
      const live = await planningBase(previous, next, news).catch(() => undefined);
      const { text } = plannedChange(previous, next, columnDropsOf(news), live);
      if (text !== undefined) {
        // The plan from the state, shown by `pulumi preview`; `update` re-plans from the live table.
        log.info(text);
      }
      // Every change is applied in place by `update`: a table holding data is never replaced.
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs) {
      const spec = validateIcebergTableSpec(specFields(inputs));
      const connection = awsConnectionOf(inputs, spec.region);
      const claim = await withContext(connection, (context) =>
        createOwnedTable(context, spec, ownerOf(inputs)),
      );
      return {
        id: `${spec.database}.${spec.name}`,
        outs: outputs(spec, bookkeeping(inputs, spec.region, claim)),
      };
    },

    async read(id, props) {
      const state = props ?? {};
      const stored = parseIcebergTableState(specFields(state));
      const claim = claimOf(state);
      const kept = bookkeeping(state, stored.region, claim);
      return withContext(kept.aws, async (context) => {
        let spec = stored;
        let found = await readTableDrift(context, spec);
        if (found === undefined) {
          const renamed = await findRenamedTable(context, spec, claim);
          if (renamed === undefined) {
            log.warn(`${tableLabel(spec)}: the table no longer exists`);
            return { id: "", props: {} }; // gone: the engine removes it from the state
          }
          spec = { ...spec, name: renamed, renamedFrom: stored.name };
          found = await readTableDrift(context, spec);
          if (found === undefined) {
            return { id: "", props: {} };
          }
        }
        const current = found.drift.length === 0 ? spec : liveSpec(spec, found.live);
        const props = outputs(current, kept, found.drift);
        // What was found is what the stack now has: the next preview diffs the declaration against it.
        return current === stored
          ? { id, props }
          : { id: `${spec.database}.${spec.name}`, props, inputs: inputFields(props) };
      });
    },

    async update(_id, olds, news) {
      const previous = parseIcebergTableState(specFields(olds));
      const spec = validateIcebergTableSpec(specFields(news));
      // A resource from before owners were recorded gets its claim now.
      const claim = claimOf(olds) ?? randomUUID();
      const connection = awsConnectionOf(news, spec.region);
      await withContext(connection, (context) =>
        updateOwnedTable(context, previous, spec, ownerOf(news), claim, columnDropsOf(news)),
      );
      return { outs: outputs(spec, bookkeeping(news, spec.region, claim)) };
    },

    async delete(_id, props) {
      const spec = parseIcebergTableState(specFields(props));
      await withContext(awsConnectionOf(props, spec.region), (context) =>
        deleteOwnedTable(context, spec, claimOf(props)),
      );
    },
  };
}
