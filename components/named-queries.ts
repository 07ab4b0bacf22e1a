import * as fs from "fs";
import * as path from "path";

/** A saved Athena query shipped in `sql/named-queries/`, with its `-- name:` and `-- description:` header. */
export interface NamedQuerySql {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  readonly file: string;
}

export const NAMED_QUERIES_DIR = path.resolve(__dirname, "..", "sql", "named-queries");

/** Reads every `.sql` file of the folder, sorted by file name; a file without its header is an error. */
export function loadNamedQueries(dir: string = NAMED_QUERIES_DIR): NamedQuerySql[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => parseNamedQuery(file, fs.readFileSync(path.join(dir, file), "utf8")));
}

export function parseNamedQuery(file: string, text: string): NamedQuerySql {
  const header = (key: string) => new RegExp(`^-- ${key}: (.+)$`, "m").exec(text)?.[1].trim();
  const name = header("name");
  const description = header("description");
  if (name === undefined || description === undefined) {
    throw new Error(
      `sql/named-queries/${file}: starts with "-- name: <name>" and "-- description: <text>" lines`,
    );
  }
  const sql = text
    .split("\n")
    .filter((line) => !/^-- (name|description): /.test(line))
    .join("\n")
    .trim();
  return { name, description, sql, file };
}
