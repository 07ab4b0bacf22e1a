/**
 * Quoting for the DDL we send to Athena, and a last guard that a rendered statement is exactly one
 * statement. Validation already refuses unsafe names and text; this layer does not rely on it.
 */

/** Control characters (C0, DEL, C1) and the Unicode line/paragraph separators: never in DDL text. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

/** A backtick-quoted identifier. Identifiers are validated to `[a-z0-9_]`; anything else is a bug here. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z0-9_]{1,128}$/.test(name)) {
    throw new Error(`refusing to quote identifier ${JSON.stringify(name)}: not [a-z0-9_]{1,128}`);
  }
  return `\`${name}\``;
}

/**
 * A single-quoted string literal for Athena DDL. DDL goes through Athena's Hive-style parser, where a
 * backslash escapes the next character (`'it\'s'`); doubling a quote would instead end the literal and
 * start an adjacent one. So backslashes and quotes are backslash-escaped.
 */
export function sqlString(text: string): string {
  if (hasControlCharacter(text)) {
    throw new Error(`refusing a string literal with a control character: ${JSON.stringify(text)}`);
  }
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * Throws unless `sql` lexes as one statement: no `;`, `--` or `/*` outside quotes, and every quote
 * closed. Athena runs one statement per StartQueryExecution anyway; this makes an injection through a
 * comment or a value fail here, before anything is sent, rather than depend on that.
 */
export function assertSingleStatement(sql: string): string {
  let quote: "'" | "`" | '"' | undefined;
  for (let i = 0; i < sql.length; i += 1) {
    const char = sql[i];
    if (quote !== undefined) {
      if (quote === "'" && char === "\\") {
        i += 1;
      } else if (char === quote) {
        quote = undefined;
      }
      continue;
    }
    if (char === "'" || char === "`" || char === '"') {
      quote = char;
    } else if (char === ";" || (char === "-" && sql[i + 1] === "-") || (char === "/" && sql[i + 1] === "*")) {
      throw new Error(
        `refusing DDL that is not a single statement (${JSON.stringify(char)} at ${i}): ${sql}`,
      );
    }
  }
  if (quote !== undefined) {
    throw new Error(`refusing DDL with an unclosed ${quote} quote: ${sql}`);
  }
  return sql;
}
