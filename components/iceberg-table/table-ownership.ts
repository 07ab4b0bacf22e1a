/**
 * Which resource manages a table, recorded on the table itself, so that no sequence of Pulumi
 * operations drops a table another resource manages.
 *
 * The danger: with `deletionPolicy: drop`, a new resource that takes over an existing table (a changed
 * resource name or parent without an alias, or `pulumi up --replace`, which creates the new resource
 * before deleting the old one) adopts it in `create`, and the old resource's `delete` then runs
 * DROP TABLE on the table the new one now manages. The provider's methods do not know their own URN or
 * what else the stack holds, so the table carries the answer: three Glue table parameters naming the
 * stack, the resource URN and a claim id that the resource's create makes once and keeps in its state.
 * A resource drops a table only while the table carries its own claim (or no marker at all: nobody took
 * it over). A create or update of the same stack takes the table over (the rename and replace paths);
 * a table another stack manages is never adopted.
 */

/** The marker's Glue table parameters. */
export const OWNER_PARAMETERS = {
  stack: "lakehouse.owner.stack",
  urn: "lakehouse.owner.urn",
  claim: "lakehouse.owner.claim",
} as const;

/** Who manages a table: `organization/project/stack` and the resource's URN (the resource's `owner` input). */
export interface TableOwner {
  readonly stack: string;
  readonly urn: string;
}

/** The owner recorded on a table, with the claim id of the resource instance that recorded it. */
export interface OwnershipMarker extends TableOwner {
  readonly claim: string;
}

/** The marker in a Glue table's parameters, or undefined when the table carries none (or only part of one). */
export function markerOf(parameters: Readonly<Record<string, string>>): OwnershipMarker | undefined {
  const stack = parameters[OWNER_PARAMETERS.stack];
  const urn = parameters[OWNER_PARAMETERS.urn];
  const claim = parameters[OWNER_PARAMETERS.claim];
  return stack === undefined || urn === undefined || claim === undefined ? undefined : { stack, urn, claim };
}

/** The parameters that record `marker`. */
export function markerParameters(marker: OwnershipMarker): Record<string, string> {
  return {
    [OWNER_PARAMETERS.stack]: marker.stack,
    [OWNER_PARAMETERS.urn]: marker.urn,
    [OWNER_PARAMETERS.claim]: marker.claim,
  };
}

/** What a create or update may do with a live table, given its marker. */
export type Takeover =
  | { readonly kind: "unmarked" }
  | { readonly kind: "own" }
  | { readonly kind: "same-stack"; readonly from: OwnershipMarker }
  | { readonly kind: "other-stack"; readonly from: OwnershipMarker };

/** `claim` is the resource's own claim (undefined in create: it has none yet). */
export function takeoverOf(
  marker: OwnershipMarker | undefined,
  owner: TableOwner,
  claim: string | undefined,
): Takeover {
  if (marker === undefined) {
    return { kind: "unmarked" };
  }
  if (marker.stack !== owner.stack) {
    return { kind: "other-stack", from: marker };
  }
  return claim !== undefined && marker.claim === claim
    ? { kind: "own" }
    : { kind: "same-stack", from: marker };
}

/** Whether a resource holding `claim` may drop the table: it carries that claim, or no marker at all. */
export function mayDrop(marker: OwnershipMarker | undefined, claim: string | undefined): boolean {
  return marker === undefined || (claim !== undefined && marker.claim === claim);
}

/** The refusal of a table another stack manages (nothing was run). */
export function otherStackRefusal(qualifiedName: string, from: OwnershipMarker): string {
  return `IcebergTable ${qualifiedName}: the table is managed by stack ${from.stack} (resource ${from.urn}); a table has one managing stack, so it was not adopted and nothing was run. Remove it from that stack first (pulumi destroy with deletionPolicy "retain", or pulumi state delete), or declare this table under another name or database`;
}

/** The log line of a same-stack takeover (a rename without alias, a parent change, a replacement). */
export function takeoverNotice(qualifiedName: string, from: OwnershipMarker, owner: TableOwner): string {
  const who = from.urn === owner.urn ? "an earlier instance of this resource" : `resource ${from.urn}`;
  return `IcebergTable ${qualifiedName}: taking the table over from ${who} (claim ${from.claim}); that resource's delete leaves the table and its data in place`;
}
