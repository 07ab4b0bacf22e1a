import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel } from "@pulumi/policy";
import { POLICY_PACK_ARGS, POLICY_PACK_NAME } from "../policy/pack";
import { analyzeGraph, ConfiguredPolicies, enforcementLevelOf, PolicyPackUnderTest } from "./policy-runtime";
import { graphCounts, ResourceRecord } from "./resource-graph";

// The policy pack evaluated on a captured resource graph, without the Pulumi engine: each policy's
// outcome and violations. `npm run policy:check` (scripts/policy-check.ts, whose arguments and report
// are offline/policy-check-command.ts), the demo and the tests all evaluate the pack through here.

/** The lakehouse pack as `pulumi preview --policy-pack policy` loads it (version from policy/package.json). */
export function lakehousePolicyPack(): PolicyPackUnderTest {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "policy", "package.json"), "utf8"),
  ) as {
    version: string;
  };
  return { name: POLICY_PACK_NAME, version: manifest.version, args: POLICY_PACK_ARGS };
}

export interface PolicyViolation {
  /** The resource's URN; absent for a violation of the stack as a whole. */
  readonly urn?: string;
  /** Logical names from the root component down to the resource, e.g. `lakehouse/lakehouse-data/lakehouse-data`. */
  readonly path: string;
  readonly type?: string;
  /** The policy's own message (the runtime prefixes it with the description). */
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
}

export type PolicyStatus = "passed" | "failed" | "not-applicable" | "disabled";

export interface PolicyOutcome {
  readonly name: string;
  readonly description: string;
  readonly kind: "resource" | "stack";
  readonly enforcementLevel: EnforcementLevel;
  readonly status: PolicyStatus;
  readonly fix?: string;
  readonly violations: readonly PolicyViolation[];
}

export interface PolicyCheckResult {
  readonly pack: { readonly name: string; readonly version: string };
  /** Counted as the offline plan counts them (`graphCounts`). */
  readonly resourceCount: number;
  readonly componentCount: number;
  readonly policies: readonly PolicyOutcome[];
  readonly mandatoryViolations: number;
  readonly advisoryViolations: number;
}

/** `a/b/c`: the logical names along the parent chain, the way a reader finds a resource in the plan. */
function pathOf(urn: string | undefined, byUrn: ReadonlyMap<string, ResourceRecord>): string {
  const names: string[] = [];
  for (
    let record = urn === undefined ? undefined : byUrn.get(urn);
    record !== undefined;
    record = record.parent === undefined ? undefined : byUrn.get(record.parent)
  ) {
    names.unshift(record.name);
  }
  return names.length === 0 ? (urn ?? "(stack)") : names.join("/");
}

/** Evaluates every policy of `pack` over a captured graph and summarizes per policy. */
export async function checkGraph(
  pack: PolicyPackUnderTest,
  config: ConfiguredPolicies,
  records: readonly ResourceRecord[],
): Promise<PolicyCheckResult> {
  const analysis = await analyzeGraph(pack, config, records);
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const policies = pack.args.policies.map((policy): PolicyOutcome => {
    const level = enforcementLevelOf(pack, policy, config);
    const violations = analysis.diagnostics
      .filter((d) => d.policyName === policy.name)
      .map((d) => ({
        ...(d.urn === undefined ? {} : { urn: d.urn, type: byUrn.get(d.urn)?.type }),
        path: pathOf(d.urn, byUrn),
        message: d.message.startsWith(`${policy.description}\n`)
          ? d.message.slice(policy.description.length + 1)
          : d.message,
        enforcementLevel: d.enforcementLevel,
      }));
    const status: PolicyStatus =
      level === "disabled"
        ? "disabled"
        : violations.length > 0
          ? "failed"
          : (analysis.applied.get(policy.name)?.size ?? 0) > 0
            ? "passed"
            : "not-applicable";
    return {
      name: policy.name,
      description: policy.description,
      kind: "validateStack" in policy ? "stack" : "resource",
      enforcementLevel: level,
      status,
      ...(policy.remediationSteps === undefined ? {} : { fix: policy.remediationSteps }),
      violations,
    };
  });
  const count = (level: EnforcementLevel) =>
    policies.flatMap((p) => p.violations).filter((v) => v.enforcementLevel === level).length;
  const { resources, components } = graphCounts(records);
  return {
    pack: { name: pack.name, version: pack.version },
    resourceCount: resources,
    componentCount: components,
    policies,
    mandatoryViolations: count("mandatory"),
    advisoryViolations: count("advisory"),
  };
}
