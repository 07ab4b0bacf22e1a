/*
 * Just enough Markdown reading for the docs tests: the project's READMEs use plain pipe tables (no
 * escaped pipes, no pipes inside code spans) and inline links, so a line-based reader is exact here
 * and a Markdown parser dependency would add nothing.
 */

/** A table's rows as objects keyed by its header cells, cells trimmed. */
export type TableRow = Readonly<Record<string, string>>;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());
}

/**
 * The first pipe table after the line `heading` (e.g. `## Stack configuration`), before the next
 * heading; fails when the heading or the table is missing, or a row has the wrong number of cells.
 */
export function tableUnder(markdown: string, heading: string): TableRow[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start === -1) {
    throw new Error(`no heading ${JSON.stringify(heading)}`);
  }
  const next = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line));
  const section = lines.slice(start + 1, next === -1 ? lines.length : next);
  const first = section.findIndex((line) => line.startsWith("|"));
  if (first === -1) {
    throw new Error(`no table under ${JSON.stringify(heading)}`);
  }
  const end = section.findIndex((line, i) => i > first && !line.startsWith("|"));
  const [header, separator, ...rows] = section.slice(first, end === -1 ? section.length : end).map(cells);
  if (separator === undefined || !separator.every((cell) => /^:?-{3,}:?$/.test(cell))) {
    throw new Error(`the table under ${JSON.stringify(heading)} has no separator row`);
  }
  return rows.map((row) => {
    if (row.length !== header.length) {
      throw new Error(`row ${JSON.stringify(row)} under ${JSON.stringify(heading)} has ${row.length} cells`);
    }
    return Object.fromEntries(header.map((name, i) => [name, row[i]]));
  });
}

/** The targets of inline links and images that point into the repository (no scheme, no bare `#anchor`). */
export function relativeLinkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#"));
}
