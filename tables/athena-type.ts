/**
 * The grammar of the column types Athena's Iceberg DDL declares, parsed into a tree (a recursive-descent
 * parser over tokens, not a regex: nested types nest to any depth and every error says where it is).
 *
 *   type   := primitive | "decimal" "(" INT "," INT ")" | "array" "<" type ">"
 *           | "map" "<" type "," type ">" | "struct" "<" field ("," field)* ">"
 *   field  := NAME ":" type
 *
 * Keywords are case-insensitive; the canonical form is lowercase without spaces (`decimal(12,2)`).
 * No library parses Athena's type grammar (Trino's and Hive's parsers are Java), hence this small one.
 */

import { hasErrorName, namedError, NamedError } from "./named-error";

export const PRIMITIVE_TYPES = [
  "boolean",
  "int",
  "bigint",
  "float",
  "double",
  "string",
  "binary",
  "date",
  "timestamp",
] as const;
export type PrimitiveTypeName = (typeof PRIMITIVE_TYPES)[number];

export interface StructField {
  readonly name: string;
  readonly type: AthenaType;
}

export type AthenaType =
  | { readonly kind: "primitive"; readonly name: PrimitiveTypeName }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "array"; readonly element: AthenaType }
  | { readonly kind: "map"; readonly key: AthenaType; readonly value: AthenaType }
  | { readonly kind: "struct"; readonly fields: readonly StructField[] };

/** Iceberg's decimal limit (and Athena's). */
export const MAX_DECIMAL_PRECISION = 38;
/** Deeper nesting is refused: no real schema needs it and it bounds the parser's recursion. */
export const MAX_TYPE_DEPTH = 16;
/** Identifier rule shared by columns, struct fields, tables and databases. */
export const IDENTIFIER = /^[a-z0-9_]{1,128}$/;

export const ACCEPTED_TYPES =
  "boolean, int, bigint, float, double, decimal(p,s), string, binary, date, timestamp, array<T>, map<K,V>, struct<name:T,...>";

/** Types people write that Athena's Iceberg DDL cannot declare, with what to write instead. */
const UNDECLARABLE: Readonly<Record<string, string>> = {
  tinyint: "not supported for Iceberg tables in Athena; use int",
  smallint: "not supported for Iceberg tables in Athena; use int",
  integer: 'Athena DDL spells it "int"',
  long: 'Athena DDL spells it "bigint"',
  char: "not supported for Iceberg tables in Athena; use string",
  varchar: "not supported for Iceberg tables in Athena; use string",
  time: "not supported by Athena; use timestamp",
  timestamptz: "Athena DDL declares timestamp (without time zone) only; store UTC",
  uuid: "not declarable in Athena; use string",
  fixed: "not supported by Athena; use binary",
  real: 'Athena DDL spells it "float"',
  numeric: 'Athena DDL spells it "decimal(p,s)"',
};

/** A type that does not parse; recognised by name (see tables/named-error.ts). */
export type TypeSyntaxError = NamedError<"TypeSyntaxError">;

const typeSyntaxError = (message: string): TypeSyntaxError => namedError("TypeSyntaxError", message);

export function isTypeSyntaxError(error: unknown): error is TypeSyntaxError {
  return hasErrorName(error, "TypeSyntaxError");
}

interface Token {
  readonly text: string;
  readonly position: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[<>(),:]/y;
  let position = 0;
  while (position < source.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(source);
    if (match === null) {
      throw typeSyntaxError(
        `unexpected character ${JSON.stringify(source[position])} at position ${position}`,
      );
    }
    if (match[0].trim() !== "") {
      tokens.push({ text: match[0], position });
    }
    position = pattern.lastIndex;
  }
  return tokens;
}

/**
 * The recursive-descent parser over `tokens`. Closures over a local cursor, not a class with a field:
 * the dynamic provider runs this code as Pulumi's function serializer rewrites it, and the serializer
 * drops class field initializers (ES2022 `index = 0`), see tests/helpers/serialized-provider.ts.
 */
function parseTokens(tokens: readonly Token[], length: number): AthenaType {
  let index = 0;

  const next = (what: string): Token => {
    const token = tokens[index];
    if (token === undefined) {
      throw typeSyntaxError(`expected ${what}, found end of input at position ${length}`);
    }
    index += 1;
    return token;
  };

  const accept = (text: string): boolean => {
    if (tokens[index]?.text === text) {
      index += 1;
      return true;
    }
    return false;
  };

  const expect = (text: string, context: string): void => {
    const token = tokens[index];
    if (token?.text !== text) {
      const found =
        token === undefined
          ? `end of input at position ${length}`
          : `"${token.text}" at position ${token.position}`;
      throw typeSyntaxError(`expected "${text}" ${context}, found ${found}`);
    }
    index += 1;
  };

  const integer = (what: string): number => {
    const token = next(what);
    if (!/^[0-9]{1,3}$/.test(token.text)) {
      throw typeSyntaxError(
        `expected ${what} (a number) at position ${token.position}, found "${token.text}"`,
      );
    }
    return Number(token.text);
  };

  const parseDecimal = (): AthenaType => {
    expect("(", "after decimal (precision and scale are required: decimal(p,s))");
    const precision = integer("decimal precision");
    expect(",", "between decimal precision and scale");
    const scale = integer("decimal scale");
    expect(")", "to close decimal(");
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw typeSyntaxError(`decimal precision ${precision} is outside 1-${MAX_DECIMAL_PRECISION}`);
    }
    if (scale > precision) {
      throw typeSyntaxError(`decimal scale ${scale} is above its precision ${precision}`);
    }
    return { kind: "decimal", precision, scale };
  };

  const parseMap = (depth: number): AthenaType => {
    expect("<", "after map");
    const key = parseType(depth + 1);
    if (key.kind !== "primitive" && key.kind !== "decimal") {
      throw typeSyntaxError(`map keys must be a primitive type, not ${renderType(key)}`);
    }
    expect(",", "between map key and value types");
    const value = parseType(depth + 1);
    expect(">", "to close map<");
    return { kind: "map", key, value };
  };

  const parseStruct = (depth: number): AthenaType => {
    expect("<", "after struct");
    const fields: StructField[] = [];
    do {
      const name = next("a struct field name");
      if (!/^[A-Za-z0-9_]+$/.test(name.text)) {
        throw typeSyntaxError(
          `expected a struct field name, found "${name.text}" at position ${name.position}`,
        );
      }
      if (!IDENTIFIER.test(name.text)) {
        throw typeSyntaxError(
          `struct field name "${name.text}" at position ${name.position} must be lowercase letters, digits and underscores`,
        );
      }
      if (fields.some((f) => f.name === name.text)) {
        throw typeSyntaxError(`struct field "${name.text}" is declared twice`);
      }
      expect(":", `after struct field "${name.text}"`);
      fields.push({ name: name.text, type: parseType(depth + 1) });
    } while (accept(","));
    expect(">", "to close struct<");
    return { kind: "struct", fields };
  };

  function parseType(depth: number): AthenaType {
    if (depth > MAX_TYPE_DEPTH) {
      throw typeSyntaxError(`nested deeper than ${MAX_TYPE_DEPTH} levels`);
    }
    const token = next("a type");
    const word = token.text.toLowerCase();
    if ((PRIMITIVE_TYPES as readonly string[]).includes(word)) {
      return { kind: "primitive", name: word as PrimitiveTypeName };
    }
    switch (word) {
      case "decimal":
        return parseDecimal();
      case "array": {
        expect("<", "after array");
        const element = parseType(depth + 1);
        expect(">", "to close array<");
        return { kind: "array", element };
      }
      case "map":
        return parseMap(depth);
      case "struct":
        return parseStruct(depth);
      default: {
        const hint = UNDECLARABLE[word];
        const what = /^[A-Za-z_]/.test(token.text)
          ? `unknown type "${token.text}"`
          : `unexpected "${token.text}"`;
        throw typeSyntaxError(
          hint === undefined
            ? `${what} at position ${token.position}`
            : `"${token.text}" at position ${token.position} is ${hint}`,
        );
      }
    }
  }

  const type = parseType(1);
  if (index < tokens.length) {
    const extra = tokens[index];
    throw typeSyntaxError(`unexpected ${JSON.stringify(extra.text)} at position ${extra.position}`);
  }
  return type;
}

/** Parses an Athena DDL type; throws a TypeSyntaxError saying what is wrong and where. */
export function parseAthenaType(source: string): AthenaType {
  if (source.trim() === "") {
    throw typeSyntaxError("is empty");
  }
  return parseTokens(tokenize(source), source.length);
}

/**
 * The canonical text of a type. With `quoteFields`, struct field names are backtick-quoted, as every
 * identifier in the DDL we render is (a field called `date` or `order` is then no syntax error).
 * `primitive` renames primitive types for another dialect (Spark says `timestamp_ntz`).
 */
export function renderType(
  type: AthenaType,
  quoteFields = false,
  primitive: (name: PrimitiveTypeName) => string = (name) => name,
): string {
  const render = (t: AthenaType): string => {
    switch (t.kind) {
      case "primitive":
        return primitive(t.name);
      case "decimal":
        return `decimal(${t.precision},${t.scale})`;
      case "array":
        return `array<${render(t.element)}>`;
      case "map":
        return `map<${render(t.key)},${render(t.value)}>`;
      case "struct":
        return `struct<${t.fields.map((f) => `${quoteFields ? `\`${f.name}\`` : f.name}:${render(f.type)}`).join(",")}>`;
    }
  };
  return render(type);
}

/** The canonical text of a type string, or the string itself when it does not parse (a live-only type). */
export function canonicalType(source: string): string {
  try {
    return renderType(parseAthenaType(source));
  } catch (error) {
    if (isTypeSyntaxError(error)) {
      return source;
    }
    throw error;
  }
}
