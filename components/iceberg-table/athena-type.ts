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

export class TypeSyntaxError extends Error {}

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
      throw new TypeSyntaxError(
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

class TypeParser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly length: number,
  ) {}

  parseWhole(): AthenaType {
    const type = this.parseType(1);
    if (this.index < this.tokens.length) {
      const extra = this.tokens[this.index];
      throw new TypeSyntaxError(`unexpected ${JSON.stringify(extra.text)} at position ${extra.position}`);
    }
    return type;
  }

  private parseType(depth: number): AthenaType {
    if (depth > MAX_TYPE_DEPTH) {
      throw new TypeSyntaxError(`nested deeper than ${MAX_TYPE_DEPTH} levels`);
    }
    const token = this.next("a type");
    const word = token.text.toLowerCase();
    if ((PRIMITIVE_TYPES as readonly string[]).includes(word)) {
      return { kind: "primitive", name: word as PrimitiveTypeName };
    }
    switch (word) {
      case "decimal":
        return this.parseDecimal();
      case "array": {
        this.expect("<", "after array");
        const element = this.parseType(depth + 1);
        this.expect(">", "to close array<");
        return { kind: "array", element };
      }
      case "map":
        return this.parseMap(depth);
      case "struct":
        return this.parseStruct(depth);
      default: {
        const hint = UNDECLARABLE[word];
        const what = /^[A-Za-z_]/.test(token.text)
          ? `unknown type "${token.text}"`
          : `unexpected "${token.text}"`;
        throw new TypeSyntaxError(
          hint === undefined
            ? `${what} at position ${token.position}`
            : `"${token.text}" at position ${token.position} is ${hint}`,
        );
      }
    }
  }

  private parseDecimal(): AthenaType {
    this.expect("(", "after decimal (precision and scale are required: decimal(p,s))");
    const precision = this.integer("decimal precision");
    this.expect(",", "between decimal precision and scale");
    const scale = this.integer("decimal scale");
    this.expect(")", "to close decimal(");
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw new TypeSyntaxError(`decimal precision ${precision} is outside 1-${MAX_DECIMAL_PRECISION}`);
    }
    if (scale > precision) {
      throw new TypeSyntaxError(`decimal scale ${scale} is above its precision ${precision}`);
    }
    return { kind: "decimal", precision, scale };
  }

  private parseMap(depth: number): AthenaType {
    this.expect("<", "after map");
    const key = this.parseType(depth + 1);
    if (key.kind !== "primitive" && key.kind !== "decimal") {
      throw new TypeSyntaxError(`map keys must be a primitive type, not ${renderType(key)}`);
    }
    this.expect(",", "between map key and value types");
    const value = this.parseType(depth + 1);
    this.expect(">", "to close map<");
    return { kind: "map", key, value };
  }

  private parseStruct(depth: number): AthenaType {
    this.expect("<", "after struct");
    const fields: StructField[] = [];
    do {
      const name = this.next("a struct field name");
      if (!/^[A-Za-z0-9_]+$/.test(name.text)) {
        throw new TypeSyntaxError(
          `expected a struct field name, found "${name.text}" at position ${name.position}`,
        );
      }
      if (!IDENTIFIER.test(name.text)) {
        throw new TypeSyntaxError(
          `struct field name "${name.text}" at position ${name.position} must be lowercase letters, digits and underscores`,
        );
      }
      if (fields.some((f) => f.name === name.text)) {
        throw new TypeSyntaxError(`struct field "${name.text}" is declared twice`);
      }
      this.expect(":", `after struct field "${name.text}"`);
      fields.push({ name: name.text, type: this.parseType(depth + 1) });
    } while (this.accept(","));
    this.expect(">", "to close struct<");
    return { kind: "struct", fields };
  }

  private integer(what: string): number {
    const token = this.next(what);
    if (!/^[0-9]{1,3}$/.test(token.text)) {
      throw new TypeSyntaxError(
        `expected ${what} (a number) at position ${token.position}, found "${token.text}"`,
      );
    }
    return Number(token.text);
  }

  private accept(text: string): boolean {
    if (this.tokens[this.index]?.text === text) {
      this.index += 1;
      return true;
    }
    return false;
  }

  private expect(text: string, context: string): void {
    const token = this.tokens[this.index];
    if (token?.text !== text) {
      const found =
        token === undefined
          ? `end of input at position ${this.length}`
          : `"${token.text}" at position ${token.position}`;
      throw new TypeSyntaxError(`expected "${text}" ${context}, found ${found}`);
    }
    this.index += 1;
  }

  private next(what: string): Token {
    const token = this.tokens[this.index];
    if (token === undefined) {
      throw new TypeSyntaxError(`expected ${what}, found end of input at position ${this.length}`);
    }
    this.index += 1;
    return token;
  }
}

/** Parses an Athena DDL type; throws TypeSyntaxError saying what is wrong and where. */
export function parseAthenaType(source: string): AthenaType {
  if (source.trim() === "") {
    throw new TypeSyntaxError("is empty");
  }
  return new TypeParser(tokenize(source), source.length).parseWhole();
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
    if (error instanceof TypeSyntaxError) {
      return source;
    }
    throw error;
  }
}
