/**
 * Reading IAM-style policy documents (identity, trust, key and bucket policies) as the pack sees them:
 * a JSON string (or an object) whose Statement is one statement or a list, whose Action, Resource and
 * principal values are a string or a list.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type ParsedDocument =
  | { readonly statements: readonly PolicyStatement[]; readonly error?: undefined }
  | { readonly error: string; readonly statements?: undefined };

export function parsePolicyDocument(document: unknown): ParsedDocument {
  let value = document;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return { error: "is not valid JSON" };
    }
  }
  if (value === null || typeof value !== "object") {
    return { error: "is not a policy document" };
  }
  const statement = (value as { Statement?: unknown }).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return { statements: statements as PolicyStatement[] };
}

/** `statement "Sid"`, or `statement #n` (1-based) when it has no Sid: how messages name a statement. */
export function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.Sid === undefined || statement.Sid === ""
    ? `statement #${index + 1}`
    : `statement "${statement.Sid}"`;
}

export function asList(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

export const isAllow = (statement: PolicyStatement): boolean => statement.Effect === "Allow";

/** Every principal value of a statement: `"*"` stays `"*"`, `{AWS: [...], Service: ...}` is flattened. */
export function principalValues(principal: unknown): string[] {
  if (principal === undefined || principal === null) {
    return [];
  }
  if (typeof principal === "string") {
    return [principal];
  }
  return Object.values(principal as Record<string, unknown>).flatMap((value) => asList(value));
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards in the pattern. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`, "i").test(action);
}
