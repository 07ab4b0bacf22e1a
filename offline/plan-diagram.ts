import { ResourceRecord } from "./resource-graph";

/**
 * A Mermaid flowchart of a stack's components: one node per component directly under the root, an
 * edge A --> B when a resource of A depends on a resource of B (A uses B). Edges into the KMS key are
 * left out (every component uses it; the node says so) to keep the picture readable.
 */
const HUB_TYPE = "lakehouse:security:LakehouseKey";
export function renderPlanDiagram(records: readonly ResourceRecord[]): string {
  const root = records.find((r) => r.parent === undefined && !r.custom);
  const components = records.filter((r) => root !== undefined && r.parent === root.urn && !r.custom);
  const ownerOf = new Map<string, string>();
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const owner = (urn: string): string | undefined => {
    let current = byUrn.get(urn);
    while (current !== undefined && current.parent !== root?.urn) {
      current = current.parent === undefined ? undefined : byUrn.get(current.parent);
    }
    return current?.urn;
  };
  records.forEach((r) => {
    const o = owner(r.urn);
    if (o !== undefined) {
      ownerOf.set(r.urn, o);
    }
  });
  const id = new Map(components.map((c, i) => [c.urn, `c${i}`]));
  const edges = new Set<string>();
  for (const r of records) {
    const from = ownerOf.get(r.urn);
    for (const dependency of r.dependencies) {
      const to = ownerOf.get(dependency);
      const hub = to !== undefined && byUrn.get(to)?.type === HUB_TYPE;
      if (from !== undefined && to !== undefined && from !== to && id.has(from) && id.has(to) && !hub) {
        edges.add(`  ${id.get(from)} --> ${id.get(to)}`);
      }
    }
  }
  const label = (r: ResourceRecord) =>
    `${r.type.split(":").pop()}<br/>${r.name}${r.type === HUB_TYPE ? "<br/>(encrypts everything)" : ""}`;
  return [
    "flowchart LR",
    ...components.map((c) => `  ${id.get(c.urn)}["${label(c)}"]`),
    ...[...edges].sort(),
  ].join("\n");
}
