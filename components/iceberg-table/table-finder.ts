import { AwsClients } from "./aws-clients";
import { sameLocation } from "./live-table";
import { GlueTableEntry, glueEntryOf } from "./ownership-marker-store";

/**
 * Finds a table by where its data is rather than by its name. A rename (ALTER TABLE ... RENAME TO)
 * keeps the location, so when a rename ran but the update stopped before the state recorded it, the
 * table is found here under its new name instead of being reported gone (which would make the engine
 * forget it, and the next `up` fail on "already exists").
 */

function isIceberg(entry: GlueTableEntry): boolean {
  return (entry.parameters.table_type ?? entry.parameters.TABLE_TYPE ?? "").toUpperCase() === "ICEBERG";
}

/** Whether the entry's table is at `location` (its storage location, or else its metadata file's). */
export function isTableAt(entry: GlueTableEntry, location: string): boolean {
  if (entry.location !== undefined) {
    return sameLocation(entry.location, location);
  }
  const metadata = entry.parameters.metadata_location ?? "";
  return metadata.startsWith(`${location.replace(/\/+$/, "")}/metadata/`);
}

/** Every Iceberg table of `database` at `location`. */
export async function icebergTablesAt(
  clients: AwsClients,
  database: string,
  location: string,
): Promise<GlueTableEntry[]> {
  const { GetTablesCommand } = await import("@aws-sdk/client-glue");
  const found: GlueTableEntry[] = [];
  let token: string | undefined;
  do {
    const request = { DatabaseName: database, ...(token === undefined ? {} : { NextToken: token }) };
    const page = await clients.glue.send(new GetTablesCommand(request)).catch((error: { name?: string }) => {
      if (error.name === "EntityNotFoundException") {
        return { TableList: [], NextToken: undefined }; // the database itself is gone
      }
      throw error;
    });
    found.push(
      ...(page.TableList ?? []).map(glueEntryOf).filter((e) => isIceberg(e) && isTableAt(e, location)),
    );
    token = page.NextToken;
  } while (token !== undefined);
  return found;
}
