import { randomUUID } from "crypto";
import { GlueTableEntry, readGlueEntry, recordOwnershipMarker } from "./ownership-marker-store";
import { IcebergTableSpec } from "./spec";
import { icebergTablesAt, isTableAt } from "./table-finder";
import { OperationContext, tableLabel } from "./operation-context";
import { createTable, deleteTable, liveTableNames, updateTable } from "./table-operations";
import {
  mayDrop,
  otherStackRefusal,
  OwnershipMarker,
  TableOwner,
  takeoverNotice,
  takeoverOf,
} from "./table-ownership";

/**
 * The table operations with ownership (see ./table-ownership): a create or update refuses a table
 * another stack manages before running anything, takes over one of its own stack (saying so), and
 * records its claim on the table after its DDL; a drop runs only while the table carries the
 * resource's own claim (or none), so the old resource of a rename or replacement leaves the table to
 * the new one.
 */

/** Refuses a table another stack manages; logs a takeover within the stack. */
function admit(
  context: OperationContext,
  database: string,
  entry: GlueTableEntry,
  owner: TableOwner,
  claim?: string,
) {
  const takeover = takeoverOf(entry.marker, owner, claim);
  const qualified = `${database}.${entry.name}`;
  if (takeover.kind === "other-stack") {
    throw new Error(otherStackRefusal(qualified, takeover.from));
  }
  if (takeover.kind === "same-stack") {
    context.log.warn(takeoverNotice(qualified, takeover.from, owner));
  }
}

async function recordOwner(context: OperationContext, spec: IcebergTableSpec, marker: OwnershipMarker) {
  if (!(await recordOwnershipMarker(context.clients, spec.database, spec.name, marker))) {
    context.log.warn(
      `${tableLabel(spec)}: the catalog does not list the table yet, so its owner could not be recorded on it; the next update records it`,
    );
  }
}

/** Creates (or adopts) the table and records this resource as its owner; resolves to the new claim id. */
export async function createOwnedTable(
  context: OperationContext,
  spec: IcebergTableSpec,
  owner: TableOwner,
): Promise<string> {
  const entry = await readGlueEntry(context.clients, spec.database, spec.name);
  if (entry !== undefined) {
    admit(context, spec.database, entry, owner);
  }
  await createTable(context, spec);
  const claim = randomUUID();
  await recordOwner(context, spec, { stack: owner.stack, urn: owner.urn, claim });
  return claim;
}

/** Updates the table in place and records this resource's claim on it again (an engine may drop it). */
export async function updateOwnedTable(
  context: OperationContext,
  previous: IcebergTableSpec,
  spec: IcebergTableSpec,
  owner: TableOwner,
  claim: string,
  droppableColumns: readonly string[],
): Promise<void> {
  for (const name of liveTableNames(previous, spec)) {
    const entry = await readGlueEntry(context.clients, previous.database, name);
    if (entry !== undefined) {
      admit(context, previous.database, entry, owner, claim);
    }
  }
  await updateTable(context, previous, spec, { droppableColumns });
  await recordOwner(context, spec, { stack: owner.stack, urn: owner.urn, claim });
}

/**
 * `retain` leaves the table. `drop` runs DROP TABLE only on the table this resource created or adopted:
 * still at its location and carrying its claim (or no owner at all). A table another resource took
 * over, or another table now under the same name, is left in place with the reason.
 */
export async function deleteOwnedTable(
  context: OperationContext,
  spec: IcebergTableSpec,
  claim: string | undefined,
): Promise<void> {
  if (spec.deletionPolicy === "retain") {
    await deleteTable(context, spec);
    return;
  }
  const label = tableLabel(spec);
  const entry = await readGlueEntry(context.clients, spec.database, spec.name);
  if (entry === undefined) {
    context.log.info(`${label}: the table no longer exists; nothing to drop`);
    return;
  }
  if (!mayDrop(entry.marker, claim)) {
    const { urn, stack } = entry.marker!;
    context.log.warn(
      `${label}: not dropped: the table is now managed by ${urn} (stack ${stack}); this resource leaves the stack and the table and its data stay`,
    );
    return;
  }
  if (!isTableAt(entry, spec.location)) {
    context.log.warn(
      `${label}: not dropped: the table under this name is not at ${spec.location} (the catalog says ${entry.location ?? entry.parameters.metadata_location ?? "no location"}), so it is not the table this resource managed; it stays`,
    );
    return;
  }
  if (entry.marker === undefined) {
    context.log.warn(
      `${label}: the table records no owner; dropping it as the last resource that managed it`,
    );
  }
  await deleteTable(context, spec);
}

/**
 * The name a table has now when it is missing under the state's name but an Iceberg table sits at its
 * location carrying this resource's claim or no owner: a rename that ran while the update recording
 * it did not finish. Undefined when there is none; refused when several could be it.
 */
export async function findRenamedTable(
  context: OperationContext,
  spec: IcebergTableSpec,
  claim: string | undefined,
): Promise<string | undefined> {
  const candidates = (await icebergTablesAt(context.clients, spec.database, spec.location)).filter(
    (entry) => entry.name !== spec.name && (entry.marker === undefined || entry.marker.claim === claim),
  );
  const mine = candidates.filter((entry) => claim !== undefined && entry.marker?.claim === claim);
  const found = mine.length === 1 ? mine : candidates;
  if (found.length > 1) {
    throw new Error(
      `${tableLabel(spec)}: not found under its name, and ${found.map((e) => `${spec.database}.${e.name}`).join(", ")} are all at its location ${spec.location}; cannot tell which one it became, nothing was changed`,
    );
  }
  if (found.length === 1) {
    context.log.warn(
      `${tableLabel(spec)}: not found under its name; found at its location as ${spec.database}.${found[0].name} (renamed by an update that stopped before the state recorded it): the state follows it`,
    );
    return found[0].name;
  }
  return undefined;
}
