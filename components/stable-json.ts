/**
 * JSON text of a value with object keys sorted, so two values that differ only in key order compare
 * equal (a resource's inputs come back from the state with keys in another order than the program wrote).
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
