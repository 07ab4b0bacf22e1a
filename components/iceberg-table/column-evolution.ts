import { ColumnDefinition } from "../../tables/table-definition";
import { canonicalType, isTypeSyntaxError, parseAthenaType } from "../../tables/athena-type";
import { LiveColumn } from "./live-table";
import { SpecProblem } from "./spec";

/**
 * Column-level evolution: which live column each declared column continues (same name, or the name it
 * was renamed from), which changes are type promotions Athena applies in place, and the moves that
 * put the columns in the declared order.
 */

export const ACCEPTED_PROMOTIONS =
  "int -> bigint, float -> double, decimal(p,s) -> decimal(p2,s) with p2 > p";

/** A live column carried on as a declared one, with what changes about it. */
export interface ColumnContinuation {
  readonly live: LiveColumn;
  readonly desired: ColumnDefinition;
  readonly renamed: boolean;
  readonly retyped: boolean;
  readonly recommented: boolean;
}

export interface ColumnMatch {
  readonly continued: readonly ColumnContinuation[];
  readonly added: readonly ColumnDefinition[];
  readonly removed: readonly LiveColumn[];
  readonly refusals: readonly SpecProblem[];
}

/** Whether `from -> to` is a type change Iceberg applies in metadata only (and Athena can declare). */
export function isTypePromotion(from: string, to: string): boolean {
  try {
    const a = parseAthenaType(from);
    const b = parseAthenaType(to);
    if (a.kind === "primitive" && b.kind === "primitive") {
      return (a.name === "int" && b.name === "bigint") || (a.name === "float" && b.name === "double");
    }
    return a.kind === "decimal" && b.kind === "decimal" && a.scale === b.scale && b.precision > a.precision;
  } catch (error) {
    if (isTypeSyntaxError(error)) {
      return false;
    }
    throw error;
  }
}

function sameComment(a: string | undefined, b: string | undefined): boolean {
  // Iceberg keeps a removed comment as an empty doc; both mean "no comment".
  return (a ?? "") === (b ?? "");
}

export function matchColumns(live: readonly LiveColumn[], desired: readonly ColumnDefinition[]): ColumnMatch {
  const byName = new Map(live.map((c) => [c.name, c]));
  const used = new Set<string>();
  const continued: ColumnContinuation[] = [];
  const added: ColumnDefinition[] = [];
  const refusals: SpecProblem[] = [];
  for (const column of desired) {
    const same = byName.get(column.name);
    const previous = column.renamedFrom === undefined ? undefined : byName.get(column.renamedFrom);
    if (same !== undefined && previous !== undefined) {
      refusals.push({
        field: `columns.${column.name}.renamedFrom`,
        message: `both "${column.renamedFrom}" and "${column.name}" exist in the table; drop renamedFrom once the rename is done, or remove one of them first`,
      });
      used.add(same.name).add(previous.name);
      continue;
    }
    const source = same ?? previous;
    if (source === undefined && column.renamedFrom !== undefined) {
      // A typo here would otherwise add a new column (and, with allowColumnDrops, drop the old one).
      refusals.push({
        field: `columns.${column.name}.renamedFrom`,
        message: `"${column.renamedFrom}" is not a column of the live table, so there is nothing to rename to "${column.name}" (live columns: ${live.map((c) => c.name).join(", ")}); correct renamedFrom, or remove it to add "${column.name}" as a new column`,
      });
      continue;
    }
    if (source === undefined) {
      added.push(column);
      continue;
    }
    used.add(source.name);
    const retyped = canonicalType(source.type) !== canonicalType(column.type);
    if (retyped && !isTypePromotion(source.type, column.type)) {
      refusals.push({
        field: `columns.${column.name}.type`,
        message: `${canonicalType(source.type)} -> ${canonicalType(column.type)} is not a type change Athena applies in place (data files are never rewritten); accepted: ${ACCEPTED_PROMOTIONS}`,
      });
    }
    continued.push({
      live: source,
      desired: column,
      renamed: source.name !== column.name,
      retyped,
      recommented: !sameComment(source.comment, column.comment),
    });
  }
  const removed = live.filter((c) => !used.has(c.name));
  return { continued, added, removed, refusals };
}

/** Moves that turn `current` into `desired` order, each as "put X first" or "put X after Y". */
export function columnMoves(
  current: readonly string[],
  desired: readonly string[],
): { column: string; after?: string }[] {
  const order = [...current];
  const moves: { column: string; after?: string }[] = [];
  desired.forEach((column, i) => {
    if (order[i] === column) {
      return;
    }
    order.splice(order.indexOf(column), 1);
    order.splice(i, 0, column);
    moves.push(i === 0 ? { column } : { column, after: desired[i - 1] });
  });
  return moves;
}
