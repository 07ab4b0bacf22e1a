// Whether a table's quality expectations name its own columns, and other tables' keys, as declared
// (the types of the expectations: table-quality.ts).
import { parseAthenaType } from "./athena-type";
import type { TableDefinition } from "./table-definition";
import type { QualityTolerance } from "./table-quality";

const NUMERIC: readonly string[] = ["int", "bigint", "float", "double", "decimal"];
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** The type of `column` (`a.b`: field b of the array of structs a) in `table`, or undefined. */
function columnType(table: TableDefinition, column: string): string | undefined {
  const [name, field] = column.split(".");
  const declared = table.columns.find((c) => c.name === name);
  if (declared === undefined || field === undefined) {
    return field === undefined ? declared?.type : undefined;
  }
  const type = parseAthenaType(declared.type);
  if (type.kind !== "array" || type.element.kind !== "struct") {
    return undefined;
  }
  const found = type.element.fields.find((f) => f.name === field);
  return found === undefined
    ? undefined
    : found.type.kind === "primitive"
      ? found.type.name
      : found.type.kind;
}

function baseType(type: string | undefined): string | undefined {
  return type?.replace(/\(.*$/, "");
}

/** Every mistake in the table's `quality`, each naming the field and what is accepted (pure). */
export function tableQualityProblems(table: TableDefinition, tables: readonly TableDefinition[]): string[] {
  const quality = table.quality ?? {};
  const problems: string[] = [];
  const at = (path: string, message: string) => problems.push(`[${table.name}.quality.${path}] ${message}`);
  const typed = (path: string, column: string, kinds: readonly string[] | undefined, nested = false) => {
    const type = nested ? columnType(table, column) : table.columns.find((c) => c.name === column)?.type;
    if (type === undefined) {
      at(
        path,
        `${column} is not a column of ${table.name}${nested ? " (or a field of an array of structs)" : ""}`,
      );
    } else if (kinds !== undefined && !kinds.includes(baseType(type) ?? "")) {
      at(path, `${column} is ${type}; accepted: ${kinds.join(", ")}`);
    }
  };
  const tolerance = (path: string, t: QualityTolerance) => {
    if (t.maxShare !== undefined && !(t.maxShare >= 0 && t.maxShare <= 1)) {
      at(`${path}.maxShare`, `must be from 0 to 1; got ${t.maxShare}`);
    }
    if (t.minRows !== undefined && !(Number.isInteger(t.minRows) && t.minRows >= 1)) {
      at(`${path}.minRows`, `must be a whole number >= 1; got ${t.minRows}`);
    }
  };
  (quality.notNull ?? []).forEach((c, i) => typed(`notNull[${i}]`, c, undefined));
  (quality.unique ?? []).forEach((key, i) => {
    if (key.columns.length === 0) {
      at(`unique[${i}].columns`, "must name at least one column");
    }
    key.columns.forEach((c, j) => typed(`unique[${i}].columns[${j}]`, c, undefined));
    if (key.where !== undefined) {
      typed(`unique[${i}].where`, key.where, ["boolean"]);
    }
    tolerance(`unique[${i}]`, key);
  });
  for (const [column, values] of Object.entries(quality.acceptedValues ?? {})) {
    typed(`acceptedValues.${column}`, column, ["string"]);
    if (values.length === 0) {
      at(`acceptedValues.${column}`, "must list at least one value");
    }
  }
  for (const [column, range] of Object.entries(quality.ranges ?? {})) {
    typed(`ranges.${column}`, column, NUMERIC);
    const bounds = [range.min, range.max].filter((b) => b !== undefined);
    if (bounds.length === 0 || bounds.some((b) => !DECIMAL_TEXT.test(b!))) {
      at(
        `ranges.${column}`,
        `needs min and/or max as decimal strings ("0.00"); got ${JSON.stringify(range)}`,
      );
    } else if (range.min !== undefined && range.max !== undefined && Number(range.min) > Number(range.max)) {
      at(`ranges.${column}`, `min ${range.min} is above max ${range.max}`);
    }
  }
  (quality.references ?? []).forEach((ref, i) => {
    typed(`references[${i}].column`, ref.column, undefined, true);
    const target = tables.find((t) => t.name === ref.table);
    if (target === undefined) {
      at(`references[${i}].table`, `${ref.table} is not a declared table`);
    } else if (!target.columns.some((c) => c.name === ref.tableColumn)) {
      at(`references[${i}].tableColumn`, `${ref.tableColumn} is not a column of ${ref.table}`);
    }
    tolerance(`references[${i}]`, ref);
  });
  if (quality.freshness !== undefined) {
    typed("freshness.column", quality.freshness.column, ["timestamp", "date"]);
    const hours = quality.freshness.maxAgeHours;
    if (!(Number.isInteger(hours) && hours >= 1 && hours <= 87600)) {
      at("freshness.maxAgeHours", `must be a whole number from 1 to 87600; got ${hours}`);
    }
  }
  const volume = quality.volume;
  if (volume !== undefined) {
    const whole = (n: number, low: number, high: number) => Number.isInteger(n) && n >= low && n <= high;
    if (!(volume.maxRatio >= 1)) {
      at("volume.maxRatio", `must be at least 1; got ${volume.maxRatio}`);
    }
    if (!whole(volume.trailingRuns, 1, 1000)) {
      at("volume.trailingRuns", `must be a whole number from 1 to 1000; got ${volume.trailingRuns}`);
    }
    if (!whole(volume.minRuns, 1, volume.trailingRuns)) {
      at("volume.minRuns", `must be a whole number from 1 to trailingRuns; got ${volume.minRuns}`);
    }
  }
  return problems;
}
