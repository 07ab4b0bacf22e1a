import Ajv from "ajv";
import { EnforcementLevel, Policy } from "@pulumi/policy";
import { ConfiguredPolicies, PolicyPackUnderTest } from "./policy-runtime";

/*
 * The engine side of policy configuration, as the Pulumi CLI does it before it calls Configure
 * (pkg/resource/analyzer/config.go): parse the `--policy-pack-config` JSON, start every policy from
 * its enforcement level and its config schema's defaults, apply the user's (an "all" entry sets every
 * level), and validate each policy's properties against its schema (JSON Schema, with ajv as the
 * validator). The CLI would apply a pack's initial config before the user's; policy/index.ts passes none.
 */

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's entry in a policy config file: a level, or an object with `enforcementLevel` and properties. */
export type UserPolicyConfig = Record<
  string,
  { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }
>;

export class PolicyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid policy pack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PolicyConfigError";
  }
}

function enforcementLevel(value: unknown, where: string): EnforcementLevel {
  if (typeof value !== "string" || !(ENFORCEMENT_LEVELS as readonly string[]).includes(value)) {
    throw new PolicyConfigError([
      `[${where}] ${JSON.stringify(value)} is not an enforcement level; accepted: ${ENFORCEMENT_LEVELS.join(", ")}`,
    ]);
  }
  return value as EnforcementLevel;
}

/** Parses a policy config file's JSON (what `pulumi preview --policy-pack-config <file>` reads). */
export function parsePolicyConfig(json: string): UserPolicyConfig {
  if (json.trim() === "") {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new PolicyConfigError([`[policy config] is not JSON: ${(error as Error).message}`]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new PolicyConfigError(["[policy config] must be an object keyed by policy name"]);
  }
  const config: UserPolicyConfig = {};
  for (const [policy, value] of Object.entries(raw)) {
    if (typeof value === "string") {
      config[policy] = { enforcementLevel: enforcementLevel(value, policy) };
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel: level, ...properties } = value as Record<string, unknown>;
      config[policy] = {
        ...(level === undefined
          ? {}
          : { enforcementLevel: enforcementLevel(level, `${policy}.enforcementLevel`) }),
        ...(Object.keys(properties).length === 0 ? {} : { properties }),
      };
    } else {
      throw new PolicyConfigError([
        `[${policy}] ${JSON.stringify(value)} is not a valid value; must be a string or object`,
      ]);
    }
  }
  return config;
}

function applyConfig(
  result: Map<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }>,
  given: UserPolicyConfig,
) {
  const all = given.all?.enforcementLevel;
  if (all !== undefined) {
    for (const [name, entry] of result) {
      result.set(name, { ...entry, enforcementLevel: all });
    }
  }
  for (const [name, entry] of Object.entries(given).filter(([name]) => name !== "all")) {
    const current = result.get(name) ?? {};
    const enforcementLevel = entry.enforcementLevel ?? current.enforcementLevel;
    const properties =
      entry.properties === undefined
        ? current.properties
        : { ...(current.properties ?? {}), ...entry.properties };
    result.set(name, {
      ...(enforcementLevel === undefined ? {} : { enforcementLevel }),
      ...(properties === undefined ? {} : { properties }),
    });
  }
}

/** The configuration Configure receives: defaults, then the user's; validated. */
export function reconcilePolicyConfig(
  pack: PolicyPackUnderTest,
  user: UserPolicyConfig = {},
): ConfiguredPolicies {
  const result = new Map<
    string,
    { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }
  >();
  for (const policy of pack.args.policies) {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).filter(
      ([, schema]) => typeof schema === "object" && schema !== null && "default" in schema,
    );
    result.set(policy.name, {
      enforcementLevel: policy.enforcementLevel ?? pack.args.enforcementLevel ?? "advisory",
      ...(defaults.length === 0
        ? {}
        : {
            properties: Object.fromEntries(
              defaults.map(([key, schema]) => [key, (schema as { default: unknown }).default]),
            ),
          }),
    });
  }
  applyConfig(result, user);
  const problems = pack.args.policies.flatMap((policy) =>
    schemaProblems(policy, result.get(policy.name)?.properties ?? {}),
  );
  if (problems.length > 0) {
    throw new PolicyConfigError(problems);
  }
  return Object.fromEntries(result);
}

function schemaProblems(policy: Policy, properties: Record<string, unknown>): string[] {
  if (policy.configSchema === undefined) {
    return [];
  }
  const schema = {
    type: "object",
    properties: policy.configSchema.properties,
    ...(policy.configSchema.required === undefined ? {} : { required: policy.configSchema.required }),
  };
  const validate = new Ajv({ allErrors: true }).compile(schema);
  if (validate(properties)) {
    return [];
  }
  return (validate.errors ?? []).map((e) => `[${policy.name}${e.dataPath}] ${e.message ?? "is invalid"}`);
}
