import * as pulumi from "@pulumi/pulumi";

/**
 * The tables declared in the running program, so that one table is never managed by two resources of
 * a stack (the ownership marker names one resource; two declarations would take it from each other,
 * and the one removed later would drop the table the other still manages). Kept per run: the runtime
 * connects a new resource monitor for each program run (and each mocked run), which keys the record,
 * so the inline programs of the Automation API and tests running the program many times in one process
 * start afresh each time.
 */

let runs: WeakMap<object, Map<string, string>> | undefined;

/** Records that `urn` manages `qualifiedName`; throws when another resource of this run declared it. */
export function claimDeclaration(qualifiedName: string, urn: string): void {
  const monitor = pulumi.runtime.getMonitor();
  if (monitor === undefined) {
    return; // not inside a program run: nothing to compare with
  }
  runs ??= new WeakMap();
  const declared = runs.get(monitor) ?? new Map<string, string>();
  runs.set(monitor, declared);
  const other = declared.get(qualifiedName);
  if (other !== undefined && other !== urn) {
    throw new Error(
      `IcebergTable: table ${qualifiedName} is declared twice in this program, by ${other} and ${urn}; one table is managed by one resource: remove one declaration (to rename a resource, give it an alias)`,
    );
  }
  declared.set(qualifiedName, urn);
}
