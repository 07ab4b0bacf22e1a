import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { TableOwner } from "./table-ownership";

/**
 * The dynamic resource's fields beyond the table spec: bookkeeping the provider reads from its inputs
 * and state (the serialized provider, its version, the AWS connection, the owner and its claim, the
 * columns an update drops) and outputs it reports (qualified name, drift).
 */

const UNKNOWN = pulumi.runtime.unknownValue;

/** Keys of a resource's inputs or state that are not spec fields. */
const NOT_SPEC_KEYS = [
  "__provider",
  "providerVersion",
  "qualifiedName",
  "drift",
  "aws",
  "owner",
  "ownerClaim",
  "columnDrops",
];

/** Keys the provider outputs that are not inputs (left out when a refresh reports inputs). */
const OUTPUT_ONLY_KEYS = ["qualifiedName", "drift", "ownerClaim"];

/** The spec fields of a resource's inputs or state, without provider bookkeeping. */
export function specFields(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !NOT_SPEC_KEYS.includes(key)));
}

/** A state's fields as the resource's inputs (what a refresh reports as the inputs it found). */
export function inputFields(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !OUTPUT_ONLY_KEYS.includes(key)));
}

/** The `owner` input's problems: the IcebergTable component sets it to the stack and the resource's URN. */
export function ownerProblems(raw: unknown): { field: string; message: string }[] {
  if (raw === UNKNOWN) {
    return []; // computed from the resource's URN and database, which a preview may not know yet
  }
  const parsed = z
    .object({
      stack: z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, 'must be "organization/project/stack"'),
      urn: z.string().regex(/^urn:pulumi:/, "must be a Pulumi URN"),
    })
    .strict()
    .safeParse(raw);
  if (parsed.success) {
    return [];
  }
  return parsed.error.issues.map((issue) => ({
    field: ["owner", ...issue.path].join("."),
    message:
      raw === undefined
        ? "is required: the stack and URN of the resource that manages the table (the IcebergTable component sets it)"
        : issue.message,
  }));
}

/** The owner a resource's inputs or state name (validated by `check`). */
export function ownerOf(props: Record<string, unknown>): TableOwner {
  const owner = props.owner as Partial<TableOwner> | undefined;
  if (typeof owner?.stack !== "string" || typeof owner.urn !== "string") {
    throw new Error(
      "IcebergTable: the resource has no owner (stack and URN); it was created by an older provider or outside the IcebergTable component",
    );
  }
  return { stack: owner.stack, urn: owner.urn };
}

/** The claim id a resource's state holds (made by its create), if any. */
export function claimOf(props: Record<string, unknown>): string | undefined {
  return typeof props.ownerClaim === "string" ? props.ownerClaim : undefined;
}
