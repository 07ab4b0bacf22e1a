import type { Table, TableInput } from "@aws-sdk/client-glue";
import { AwsClients } from "./aws-clients";
import { markerOf, markerParameters, OwnershipMarker } from "./table-ownership";

/**
 * Reads and writes the ownership marker (see ./table-ownership) as parameters of the table's Glue Data
 * Catalog entry. Athena accepts only its own allow-list of table properties, so the marker cannot be
 * an Iceberg property; a Glue parameter is invisible to queries and kept by Iceberg's own Glue commits.
 * An engine that rewrites the entry without it (some Trino-based commits do) leaves the table unmarked,
 * which is why every create and update records it again after its DDL.
 */

/** A table's Glue entry as far as ownership goes. */
export interface GlueTableEntry {
  readonly name: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The storage descriptor's location, as the catalog holds it (no trailing slash for Iceberg). */
  readonly location?: string;
  readonly marker?: OwnershipMarker;
}

/** The Glue entry of `database.name`, or undefined when the catalog has no such table. */
export async function readGlueEntry(
  clients: AwsClients,
  database: string,
  name: string,
): Promise<GlueTableEntry | undefined> {
  const table = await getGlueTable(clients, database, name);
  return table === undefined ? undefined : glueEntryOf(table);
}

export function glueEntryOf(table: Table): GlueTableEntry {
  const parameters = table.Parameters ?? {};
  const marker = markerOf(parameters);
  return {
    name: table.Name ?? "",
    parameters,
    ...(table.StorageDescriptor?.Location === undefined
      ? {}
      : { location: table.StorageDescriptor.Location }),
    ...(marker === undefined ? {} : { marker }),
  };
}

async function getGlueTable(clients: AwsClients, database: string, name: string): Promise<Table | undefined> {
  const { GetTableCommand } = await import("@aws-sdk/client-glue");
  try {
    return (await clients.glue.send(new GetTableCommand({ DatabaseName: database, Name: name }))).Table;
  } catch (error) {
    if ((error as { name?: string }).name === "EntityNotFoundException") {
      return undefined;
    }
    throw error;
  }
}

/** The fields of a Glue table that UpdateTable takes back (everything else is the catalog's own). */
const TABLE_INPUT_FIELDS = [
  "Name",
  "Description",
  "Owner",
  "LastAccessTime",
  "LastAnalyzedTime",
  "Retention",
  "StorageDescriptor",
  "PartitionKeys",
  "ViewOriginalText",
  "ViewExpandedText",
  "TableType",
  "Parameters",
  "TargetTable",
] as const;

function sameMarker(a: OwnershipMarker | undefined, b: OwnershipMarker): boolean {
  return a !== undefined && a.stack === b.stack && a.urn === b.urn && a.claim === b.claim;
}

/** Attempts when an engine commits to the table between our read and our write. */
const MARKER_WRITE_ATTEMPTS = 3;

/**
 * Records `marker` on the table, keeping every other field and parameter (metadata_location above all).
 * The write names the entry's VersionId, so Glue refuses it if an Iceberg commit landed in between
 * (ConcurrentModificationException) instead of reverting that commit; it is then read and tried again.
 * Resolves to false when the catalog has no such table.
 */
export async function recordOwnershipMarker(
  clients: AwsClients,
  database: string,
  name: string,
  marker: OwnershipMarker,
): Promise<boolean> {
  const { UpdateTableCommand } = await import("@aws-sdk/client-glue");
  for (let attempt = 1; ; attempt++) {
    const table = await getGlueTable(clients, database, name);
    if (table === undefined) {
      return false;
    }
    const current = markerOf(table.Parameters ?? {});
    if (sameMarker(current, marker)) {
      return true;
    }
    const input = Object.fromEntries(
      TABLE_INPUT_FIELDS.filter((field) => table[field] !== undefined).map((field) => [field, table[field]]),
    ) as unknown as TableInput;
    try {
      await clients.glue.send(
        new UpdateTableCommand({
          DatabaseName: database,
          TableInput: { ...input, Parameters: { ...table.Parameters, ...markerParameters(marker) } },
          ...(table.VersionId === undefined ? {} : { VersionId: table.VersionId }),
          SkipArchive: true,
        }),
      );
      return true;
    } catch (error) {
      if (
        (error as { name?: string }).name !== "ConcurrentModificationException" ||
        attempt >= MARKER_WRITE_ATTEMPTS
      ) {
        throw error;
      }
    }
  }
}
