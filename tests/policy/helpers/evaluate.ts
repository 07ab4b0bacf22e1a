import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { UserPolicyConfig, reconcilePolicyConfig } from "../../../offline/policy-config";
import { analyzeGraph, NotApplicable, PolicyPackUnderTest } from "../../../offline/policy-runtime";
import { ResourceRecord } from "../../../offline/resource-graph";

/** A one-policy pack, evaluated the way the offline check evaluates the real pack. */
export function packOf(...policies: Policy[]): PolicyPackUnderTest {
  return { name: "fixture-pack", version: "0.0.0", args: { policies, enforcementLevel: "mandatory" } };
}

export interface Violation {
  /** The logical name of the resource the violation is about ("(stack)" for the stack as a whole). */
  readonly resource: string;
  readonly message: string;
}

/**
 * Runs `policy` over `records` and returns its violations as (resource, message) pairs. Checks on the
 * way that each diagnostic has the runtime's format: the description, a newline, the message.
 */
export async function violationsOf(
  policy: Policy,
  records: readonly ResourceRecord[],
  config: UserPolicyConfig = {},
): Promise<Violation[]> {
  const pack = packOf(policy);
  const result = await analyzeGraph(pack, reconcilePolicyConfig(pack, config), records);
  const names = new Map(records.map((r) => [r.urn, r.name]));
  return result.diagnostics.map((d) => {
    expect(d.policyName).to.equal(policy.name);
    expect(d.enforcementLevel).to.equal("mandatory");
    expect(d.message.startsWith(`${policy.description}\n`), d.message).to.equal(true);
    return {
      resource: d.urn === undefined ? "(stack)" : (names.get(d.urn) ?? d.urn),
      message: d.message.slice(policy.description.length + 1),
    };
  });
}

/** The policy's not-applicable entries over `records`: (resource name or "(stack)", reason). */
export async function notApplicableOf(policy: Policy, records: readonly ResourceRecord[]): Promise<string[]> {
  const pack = packOf(policy);
  const result = await analyzeGraph(pack, reconcilePolicyConfig(pack), records);
  const names = new Map(records.map((r) => [r.urn, r.name]));
  return result.notApplicable.map(
    (n: NotApplicable) => `${n.urn === undefined ? "(stack)" : names.get(n.urn)}: ${n.reason}`,
  );
}
