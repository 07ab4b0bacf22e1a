import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AWS_REGION_PATTERN } from "../../config/aws-settings";
import { athenaPropertyProblems } from "../../tables/athena-properties";
import { DeletionPolicy, TABLE_DELETION_POLICIES } from "../../tables/deletion-policy";
import { ColumnDefinition, PartitionField, TableDefinition } from "../../tables/table-definition";
import {
  ACCEPTED_TYPES,
  AthenaType,
  IDENTIFIER,
  isTypeSyntaxError,
  parseAthenaType,
} from "../../tables/athena-type";
import { hasErrorName, namedError, NamedError } from "../../tables/named-error";
import { partitionSpecProblems, transformProblem } from "../../tables/partition-transforms";
import { ResolvedSortField, resolveSortField, sortOrderProblems } from "./sort-order";
import { hasControlCharacter } from "../../tables/sql-text";
import { tableLocationProblem } from "./table-location";
import { acceptedKeysAt } from "./unknown-keys";

/**
 * The full spec of one Iceberg table managed through Athena: a TableDefinition's schema, partitioning
 * and properties plus where it lives (database, S3 location), the workgroup its DDL runs in, and what
 * happens on delete. These are also the dynamic resource's top-level inputs.
 */

export interface IcebergTableSpec {
  readonly name: string;
  readonly renamedFrom?: string;
  readonly comment?: string;
  readonly database: string;
  /** `s3://bucket/prefix/`: a folder, never a bucket root (VACUUM fails on a bucket root). */
  readonly location: string;
  readonly columns: readonly ColumnDefinition[];
  readonly partitionBy: readonly PartitionField[];
  /** The sort order, each field with its direction and null order resolved. */
  readonly sortOrder: readonly ResolvedSortField[];
  readonly properties: Readonly<Record<string, string>>;
  /** The Athena workgroup every statement runs in (its settings are enforced on our queries). */
  readonly workgroup: string;
  readonly region: string;
  /** `retain` leaves table and data on delete; `drop` runs DROP TABLE, which deletes the data. */
  readonly deletionPolicy: DeletionPolicy;
  /** Let the provider drop live columns the spec no longer lists. */
  readonly allowColumnDrops: boolean;
}

/** Defaults of the optional spec fields (docs, code and tests read them from here). */
export const ICEBERG_TABLE_DEFAULTS = {
  deletionPolicy: "retain" as DeletionPolicy,
  allowColumnDrops: false,
  partitionBy: [] as readonly PartitionField[],
  sortOrder: [] as readonly ResolvedSortField[],
  properties: {} as Readonly<Record<string, string>>,
};

/** Glue's limit on a column comment. */
export const MAX_COLUMN_COMMENT_LENGTH = 255;
const MAX_TABLE_COMMENT_LENGTH = 2048;
const UNKNOWN = pulumi.runtime.unknownValue;

const IDENTIFIER_RULE = "must be 1-128 lowercase letters, digits or underscores";
const WORKGROUP_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/;

/**
 * The spec's shape. Built per call, not held at module scope: the provider is serialized into the
 * state by closure capture, and zod schema objects hold bound native functions that do not serialize.
 */
function specSchema() {
  const bounded = z.number().int().min(1).max(2147483647);
  const column = z
    .object({
      name: z.string(),
      type: z.string(),
      comment: z.string().optional(),
      renamedFrom: z.string().optional(),
    })
    .strict();
  const partitionField = z.discriminatedUnion("transform", [
    z
      .object({ column: z.string(), transform: z.enum(["identity", "year", "month", "day", "hour"]) })
      .strict(),
    z.object({ column: z.string(), transform: z.literal("bucket"), buckets: bounded }).strict(),
    z.object({ column: z.string(), transform: z.literal("truncate"), width: bounded }).strict(),
  ]);
  const sortField = z
    .object({
      column: z.string(),
      direction: z.enum(["asc", "desc"]).optional(),
      nulls: z.enum(["first", "last"]).optional(),
    })
    .strict()
    .transform(resolveSortField);
  return z
    .object({
      name: z.string(),
      renamedFrom: z.string().optional(),
      comment: z.string().optional(),
      database: z.string(),
      location: z.string(),
      columns: z.array(column).min(1, "must declare at least one column"),
      partitionBy: z.array(partitionField).default([...ICEBERG_TABLE_DEFAULTS.partitionBy]),
      sortOrder: z.array(sortField).default([...ICEBERG_TABLE_DEFAULTS.sortOrder]),
      properties: z.record(z.string()).default({ ...ICEBERG_TABLE_DEFAULTS.properties }),
      workgroup: z.string(),
      region: z.string(),
      deletionPolicy: z.enum(TABLE_DELETION_POLICIES).default(ICEBERG_TABLE_DEFAULTS.deletionPolicy),
      allowColumnDrops: z.boolean().default(ICEBERG_TABLE_DEFAULTS.allowColumnDrops),
    })
    .strict();
}

/** One problem: the field (`columns[2].type`) and what is wrong with it, naming what is accepted. */
export interface SpecProblem {
  readonly field: string;
  readonly message: string;
}

/** Every problem of one table's spec, one line each (a named error: see tables/named-error.ts). */
export type IcebergTableSpecError = NamedError<
  "IcebergTableSpecError",
  { readonly table: string; readonly problems: readonly SpecProblem[] }
>;

export function icebergTableSpecError(
  table: string,
  problems: readonly SpecProblem[],
): IcebergTableSpecError {
  return namedError("IcebergTableSpecError", problems.map((p) => formatProblem(table, p)).join("\n"), {
    table,
    problems,
  });
}

export function isIcebergTableSpecError(error: unknown): error is IcebergTableSpecError {
  return hasErrorName(error, "IcebergTableSpecError");
}

export function formatProblem(table: string, problem: SpecProblem): string {
  return `IcebergTable ${JSON.stringify(table)} [${problem.field}] ${problem.message}`;
}

function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? part : `${text}.${part}`),
    "",
  );
}

function shapeProblems(issues: readonly z.ZodIssue[], raw: unknown): SpecProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code !== z.ZodIssueCode.unrecognized_keys) {
      return [{ field: fieldPath(issue.path), message: issue.message }];
    }
    const accepted = acceptedKeysAt(specSchema(), issue.path, raw)?.join(", ") ?? "none";
    const owner = issue.path.length === 0 ? "IcebergTable" : fieldPath(issue.path);
    return issue.keys.map((key) => ({
      field: fieldPath([...issue.path, key]),
      message: `is not a field of ${owner}; accepted: ${accepted}`,
    }));
  });
}

function tableNameOf(raw: unknown): string {
  const name = (raw as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : "(unnamed)";
}

/** The spec's problems, all of them; an empty list means valid. Unknown (preview) values are not judged. */
export function icebergTableSpecProblems(raw: unknown): SpecProblem[] {
  const parsed = specSchema().safeParse(raw);
  return parsed.success ? semanticProblems(parsed.data) : shapeProblems(parsed.error.issues, raw);
}

/** Validates and fills defaults; throws IcebergTableSpecError listing every problem. */
export function validateIcebergTableSpec(raw: unknown): IcebergTableSpec {
  const problems = icebergTableSpecProblems(raw);
  if (problems.length > 0) {
    throw icebergTableSpecError(tableNameOf(raw), problems);
  }
  return parseIcebergTableState(raw);
}

/**
 * A spec read back from the resource's state: shape and defaults only. The state may hold what a
 * refresh found live (a `timestamptz` column, a location without its trailing slash), which the
 * declaration rules refuse but planning from it and deleting it must still work.
 */
export function parseIcebergTableState(raw: unknown): IcebergTableSpec {
  const parsed = specSchema().safeParse(raw);
  if (!parsed.success) {
    throw icebergTableSpecError(tableNameOf(raw), shapeProblems(parsed.error.issues, raw));
  }
  return parsed.data;
}

/** A table declaration placed in a stack: the spec fields a TableDefinition does not carry. */
export interface TablePlacement {
  readonly database: string;
  readonly location: string;
  readonly workgroup: string;
  readonly region: string;
  readonly deletionPolicy?: DeletionPolicy;
}

/** The spec fields a declaration carries: `prefix` becomes the location, write options stay Spark's. */
export function definitionSpecFields(
  definition: TableDefinition,
): Pick<
  TableDefinition,
  | "name"
  | "renamedFrom"
  | "comment"
  | "columns"
  | "partitionBy"
  | "sortOrder"
  | "properties"
  | "allowColumnDrops"
> {
  return {
    name: definition.name,
    ...(definition.renamedFrom === undefined ? {} : { renamedFrom: definition.renamedFrom }),
    ...(definition.comment === undefined ? {} : { comment: definition.comment }),
    columns: definition.columns,
    partitionBy: definition.partitionBy,
    ...(definition.sortOrder === undefined ? {} : { sortOrder: definition.sortOrder }),
    properties: definition.properties,
    ...(definition.allowColumnDrops === undefined ? {} : { allowColumnDrops: definition.allowColumnDrops }),
  };
}

export function specFromDefinition(definition: TableDefinition, placement: TablePlacement): IcebergTableSpec {
  return validateIcebergTableSpec({ ...definitionSpecFields(definition), ...placement });
}

function known(value: string): boolean {
  return value !== UNKNOWN;
}

function textProblem(text: string, maxLength: number): string | undefined {
  if (hasControlCharacter(text)) {
    return "contains a control character (newline, tab, NUL, ...); accepted: printable text";
  }
  return text.length > maxLength
    ? `is ${text.length} characters long; accepted: at most ${maxLength}`
    : undefined;
}

type ParsedSpec = z.infer<ReturnType<typeof specSchema>>;

function semanticProblems(spec: ParsedSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message !== undefined) {
      problems.push({ field, message });
    }
  };
  for (const field of ["name", "renamedFrom", "database"] as const) {
    const value = spec[field];
    if (value !== undefined && known(value) && !IDENTIFIER.test(value)) {
      add(field, `${JSON.stringify(value)} ${IDENTIFIER_RULE}`);
    }
  }
  if (spec.renamedFrom !== undefined && spec.renamedFrom === spec.name) {
    add(
      "renamedFrom",
      `is the table's own name "${spec.name}"; accepted: the previous name, or leave it out`,
    );
  }
  if (known(spec.location)) {
    add("location", tableLocationProblem(spec.location));
  }
  if (known(spec.workgroup) && !WORKGROUP_PATTERN.test(spec.workgroup)) {
    add("workgroup", `${JSON.stringify(spec.workgroup)} must be 1-128 letters, digits, ".", "_" or "-"`);
  }
  if (known(spec.region) && !AWS_REGION_PATTERN.test(spec.region)) {
    add("region", `${JSON.stringify(spec.region)} must be an AWS region such as "us-east-1"`);
  }
  if (spec.comment !== undefined) {
    add("comment", textProblem(spec.comment, MAX_TABLE_COMMENT_LENGTH));
  }
  const types = columnProblems(spec.columns, add);
  partitionProblems(
    spec.partitionBy,
    spec.columns.map((c) => c.name),
    types,
    add,
  );
  const declared = spec.columns.map((c) => c.name);
  for (const problem of sortOrderProblems(spec.sortOrder, declared, types)) {
    add(problem.field, problem.message);
  }
  for (const problem of athenaPropertyProblems(spec.properties)) {
    add(`properties.${problem.key}`, problem.message);
  }
  return problems;
}

function columnProblems(
  columns: ParsedSpec["columns"],
  add: (field: string, message: string | undefined) => void,
): Map<string, AthenaType> {
  const types = new Map<string, AthenaType>();
  const names = columns.map((c) => c.name);
  columns.forEach((column, i) => {
    const at = `columns[${i}]`;
    if (!IDENTIFIER.test(column.name)) {
      add(`${at}.name`, `${JSON.stringify(column.name)} ${IDENTIFIER_RULE}`);
    } else if (names.indexOf(column.name) !== i) {
      add(`${at}.name`, `"${column.name}" is declared twice; accepted: unique column names`);
    }
    try {
      types.set(column.name, parseAthenaType(column.type));
    } catch (error) {
      if (!isTypeSyntaxError(error)) {
        throw error;
      }
      add(
        `${at}.type`,
        `${JSON.stringify(column.type)} is not an Athena Iceberg DDL type: ${error.message}; accepted: ${ACCEPTED_TYPES}`,
      );
    }
    if (column.comment !== undefined) {
      add(`${at}.comment`, textProblem(column.comment, MAX_COLUMN_COMMENT_LENGTH));
    }
    const from = column.renamedFrom;
    if (from === undefined) {
      return;
    }
    if (!IDENTIFIER.test(from)) {
      add(`${at}.renamedFrom`, `${JSON.stringify(from)} ${IDENTIFIER_RULE}`);
    } else if (from === column.name) {
      add(`${at}.renamedFrom`, `is the column's own name; accepted: its previous name, or leave it out`);
    } else if (names.includes(from)) {
      add(
        `${at}.renamedFrom`,
        `"${from}" is also a declared column; a rename chain or swap takes two updates (rename through a temporary name first)`,
      );
    } else if (columns.findIndex((c) => c.renamedFrom === from) !== i) {
      add(
        `${at}.renamedFrom`,
        `"${from}" is the previous name of two columns; accepted: one rename per column`,
      );
    }
  });
  return types;
}

function partitionProblems(
  fields: ParsedSpec["partitionBy"],
  declared: readonly string[],
  types: Map<string, AthenaType>,
  add: (field: string, message: string | undefined) => void,
): void {
  fields.forEach((field, i) => {
    const type = types.get(field.column);
    if (!declared.includes(field.column)) {
      add(
        `partitionBy[${i}].column`,
        `"${field.column}" is not a declared column; accepted: ${declared.join(", ")}`,
      );
    } else if (type !== undefined) {
      // A column whose type did not parse is reported at its type; its transform cannot be judged.
      add(`partitionBy[${i}]`, transformProblem(field, type));
    }
  });
  for (const problem of partitionSpecProblems(fields)) {
    add(`partitionBy[${problem.index}]`, problem.message);
  }
}
