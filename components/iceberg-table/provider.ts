import * as pulumi from "@pulumi/pulumi";
import { QUERY_TIMING_DEFAULTS, QueryTiming } from "./athena-query-runner";
import { canonicalType } from "./athena-type";
import { AwsClientSettings, createAwsClients, destroyAwsClients } from "./aws-clients";
import { formatRefusal } from "./evolution-planner";
import { LiveTable, liveTableFromSpec, sameLocation } from "./live-table";
import { samePartitioning } from "./partition-transforms";
import { planReport } from "./plan-report";
import { sameSortOrder } from "./sort-order";
import {
  formatProblem,
  IcebergTableSpec,
  icebergTableSpecProblems,
  parseIcebergTableState,
  validateIcebergTableSpec,
} from "./spec";
import {
  createTable,
  deleteTable,
  findLiveTable,
  OperationContext,
  ProviderLog,
  readTableDrift,
  updateTable,
} from "./table-operations";

/**
 * The IcebergTable dynamic provider: validation in `check` (bad input fails at preview, before anything
 * runs), refusals in `diff` (a change Athena cannot make in place fails the preview; nothing is ever
 * replaced), and create/update/read/delete through Athena DDL planned from the live table.
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
 */
export const ICEBERG_TABLE_PROVIDER_VERSION = "2";

/** Keys of the resource's state that are not spec inputs. */
const NOT_SPEC_KEYS = ["__provider", "providerVersion", "qualifiedName", "drift"];

/**
 * What tests may tune. The engine runs the provider serialized into the state with these values
 * captured in plain text, so they hold numbers only: never credentials, endpoints or functions (AWS
 * access comes from the SDK's default chain in the provider's own process).
 */
export interface IcebergTableProviderOptions {
  readonly aws?: AwsClientSettings;
  readonly timing?: Partial<QueryTiming>;
}

/** The spec fields of a resource's inputs or state, without provider bookkeeping. */
export function specFields(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !NOT_SPEC_KEYS.includes(key)));
}

function outputs(spec: IcebergTableSpec, drift: readonly string[] = []): Record<string, unknown> {
  const outs: IcebergTableOutputs = { ...spec, qualifiedName: `${spec.database}.${spec.name}`, drift };
  return { ...outs, providerVersion: ICEBERG_TABLE_PROVIDER_VERSION };
}

/** Comparable form of a spec: column types canonical, so `decimal(10, 2)` equals `decimal(10,2)`. */
function canonicalSpec(spec: IcebergTableSpec): string {
  return JSON.stringify({
    ...spec,
    columns: spec.columns.map((c) => ({ ...c, type: canonicalType(c.type) })),
    properties: Object.fromEntries(Object.entries(spec.properties).sort(([a], [b]) => a.localeCompare(b))),
  });
}

/** During preview a computed input is unknown: plan with the value the state holds for it. */
function withKnownPlacement(spec: IcebergTableSpec, previous: IcebergTableSpec): IcebergTableSpec {
  const unknown = pulumi.runtime.unknownValue;
  const pick = <K extends "database" | "location" | "workgroup" | "region">(key: K) =>
    spec[key] === unknown ? previous[key] : spec[key];
  return {
    ...spec,
    database: pick("database"),
    location: pick("location"),
    workgroup: pick("workgroup"),
    region: pick("region"),
  };
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
    spec: IcebergTableSpec,
    work: (context: OperationContext) => Promise<T>,
  ): Promise<T> {
    const clients = await createAwsClients(spec.region, options.aws);
    try {
      return await work({ clients, log, timing });
    } finally {
      destroyAwsClients(clients);
    }
  }

  return {
    async check(_olds, news) {
      const fields = specFields(news);
      const problems = icebergTableSpecProblems(fields);
      if (problems.length > 0) {
        const table = typeof fields.name === "string" ? fields.name : "(unnamed)";
        return {
          failures: problems.map((p) => ({
            property: p.field.split(/[.[]/)[0],
            reason: formatProblem(table, p),
          })),
        };
      }
      return { inputs: { ...news, ...validateIcebergTableSpec(fields) } };
    },

    async diff(_id, olds, news) {
      const previous = parseIcebergTableState(specFields(olds));
      const next = validateIcebergTableSpec(specFields(news));
      if (canonicalSpec(previous) === canonicalSpec(next) && olds.providerVersion === news.providerVersion) {
        return { changes: false };
      }
      const desired = withKnownPlacement(next, previous);
      if (desired.region !== previous.region) {
        throw new Error(
          formatRefusal(next.name, [
            {
              field: "region",
              message: `${previous.region} -> ${desired.region} would be another table; declare a new table instead`,
            },
          ]),
        );
      }
      // A partition spec or sort order change is planned from the live Iceberg metadata (its ids), as
      // `update` plans it; anything else from the state, without calling AWS.
      const layoutChanges =
        !samePartitioning(previous.partitionBy, desired.partitionBy) ||
        !sameSortOrder(previous.sortOrder, desired.sortOrder);
      const live: LiveTable = layoutChanges
        ? await withContext(desired, (context) => findLiveTable(context, previous, desired))
        : liveTableFromSpec(previous);
      const report = planReport(live, desired, {
        previouslyManagedProperties: Object.keys(previous.properties),
      });
      if (report.refused) {
        throw new Error(report.text);
      }
      if (report.statements.length > 0 || report.layout.length > 0) {
        // The plan shown by `pulumi preview`; `update` re-plans from the live table.
        log.info(report.text);
      }
      // Every change is applied in place by `update`: a table holding data is never replaced.
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs) {
      const spec = validateIcebergTableSpec(specFields(inputs));
      await withContext(spec, (context) => createTable(context, spec));
      return { id: `${spec.database}.${spec.name}`, outs: outputs(spec) };
    },

    async read(id, props) {
      const spec = parseIcebergTableState(specFields(props ?? {}));
      const found = await withContext(spec, (context) => readTableDrift(context, spec));
      if (found === undefined) {
        return { id: "", props: {} }; // gone: the engine removes it from the state
      }
      if (found.drift.length === 0) {
        return { id, props: outputs(spec) };
      }
      // Report the live shape, so the next preview shows the difference and `up` plans it back.
      const { live } = found;
      const current: IcebergTableSpec = {
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
          Object.keys(spec.properties).flatMap((k) =>
            k in live.properties ? [[k, live.properties[k]]] : [],
          ),
        ),
      };
      return { id, props: outputs(current, found.drift) };
    },

    async update(_id, olds, news) {
      const previous = parseIcebergTableState(specFields(olds));
      const spec = validateIcebergTableSpec(specFields(news));
      await withContext(spec, (context) => updateTable(context, previous, spec));
      return { outs: outputs(spec) };
    },

    async delete(_id, props) {
      const spec = parseIcebergTableState(specFields(props));
      await withContext(spec, (context) => deleteTable(context, spec));
    },
  };
}
