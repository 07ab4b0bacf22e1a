import {
  EnforcementLevel,
  Policy,
  PolicyPackArgs,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { ResourceRecord } from "./resource-graph";
import {
  isTypeOf,
  NO_STACK_TAGS,
  optionsOf,
  policyInternals,
  policyProperties,
  providerOf,
  proxy,
  stackResources,
} from "./policy-runtime-resources";

/*
 * The analyzer side of `pulumi preview --policy-pack`, run in-process over a captured resource graph.
 * It mirrors @pulumi/policy 1.21's server.js (makeAnalyzeRpcFun, makeAnalyzeStackRpcFun): which
 * policies run, enforcement levels, the fast type check, notApplicable, the unknown-checking proxy,
 * the violation message format, getConfig. Hand-written because the package runs policies only behind
 * its gRPC server; the parts it exports are used as they are (deserializeProperties, the proxy,
 * getPulumiType, isResourcePolicy/isStackPolicy). tests/policy/runtime-conformance.test.ts runs the
 * real server on the same graphs and compares every diagnostic and every not-applicable entry.
 * The engine side mirrored here: Analyze gets a resource's inputs, AnalyzeStack every resource's
 * outputs (offline: the mocks' state), keys starting with "__" are not sent (SkipInternalKeys).
 */

/** The pack under evaluation: what `new PolicyPack(name, args)` receives, and package.json's version. */
export interface PolicyPackUnderTest {
  readonly name: string;
  readonly version: string;
  readonly args: PolicyPackArgs;
}

/** The reconciled configuration the engine sends with Configure: per policy, level and properties. */
export type ConfiguredPolicies = Readonly<
  Record<
    string,
    { readonly enforcementLevel?: EnforcementLevel; readonly properties?: Record<string, unknown> }
  >
>;

/** One violation, as the analyzer returns it to the engine. */
export interface PolicyDiagnostic {
  readonly policyName: string;
  readonly description: string;
  /** `description`, a newline, then the policy's own message (the runtime's format). */
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The resource the violation is about; absent for a stack-wide violation. */
  readonly urn?: string;
}

export interface NotApplicable {
  readonly policyName: string;
  readonly reason?: string;
  readonly urn?: string;
}

export interface AnalysisResult {
  readonly diagnostics: PolicyDiagnostic[];
  readonly notApplicable: NotApplicable[];
  /** For each policy, the URNs it ran on to the end (resource policies) or whether it ran (stack: "stack"). */
  readonly applied: Map<string, Set<string>>;
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

/** The level a policy runs at: configured, else its own, else the pack's (server.js order). */
export function enforcementLevelOf(
  pack: PolicyPackUnderTest,
  policy: Policy,
  config: ConfiguredPolicies,
): EnforcementLevel {
  return (
    config[policy.name]?.enforcementLevel ||
    policy.enforcementLevel ||
    pack.args.enforcementLevel ||
    "advisory"
  );
}

/** The level a policy reports at, undefined when disabled; a remediation that still fails is mandatory. */
function runLevel(
  pack: PolicyPackUnderTest,
  policy: Policy,
  config: ConfiguredPolicies,
): EnforcementLevel | undefined {
  const level = enforcementLevelOf(pack, policy, config);
  if (level === "disabled") {
    return undefined;
  }
  return level === "remediate" ? "mandatory" : level;
}

interface Collector {
  readonly result: AnalysisResult;
  report(policy: Policy, level: EnforcementLevel, urnOfResource?: string): ReportViolation;
  markApplied(policy: Policy, key: string): void;
}

function collector(): Collector {
  const result: AnalysisResult = { diagnostics: [], notApplicable: [], applied: new Map() };
  return {
    result,
    // makeReportViolationFun: resource violations always carry the analyzed resource's URN.
    report: (policy, level, urnOfResource) => (message, urn) => {
      if (typeof message === "object") {
        throw new Error(`policy ${policy.name}: object violations are not used by this pack`);
      }
      result.diagnostics.push({
        policyName: policy.name,
        description: policy.description,
        message: message ? `${policy.description}\n${message}` : policy.description,
        enforcementLevel: level,
        ...((urnOfResource ?? urn) === undefined ? {} : { urn: urnOfResource ?? urn }),
      });
    },
    markApplied: (policy, key) => {
      result.applied.set(policy.name, (result.applied.get(policy.name) ?? new Set()).add(key));
    },
  };
}

/** Runs one policy callback as server.js does: unknown values become an advisory, notApplicable is recorded. */
async function runGuarded(
  pack: PolicyPackUnderTest,
  policy: Policy,
  collect: Collector,
  run: () => Promise<void> | void,
  onApplied: () => void,
  urn?: string,
): Promise<void> {
  try {
    await Promise.resolve(run());
    onApplied();
  } catch (error) {
    const from = `policy '${policy.name}' from policy pack '${pack.name}@v${pack.version}'`;
    if (error instanceof proxy.UnknownValueError) {
      collect.result.diagnostics.push({
        policyName: policy.name,
        description: policy.description,
        message: `can't run ${from} during preview: ${error.message}`,
        enforcementLevel: "advisory",
        ...(urn === undefined ? {} : { urn }),
      });
    } else if (error instanceof NotApplicableError) {
      collect.result.notApplicable.push({
        policyName: policy.name,
        reason: error.reason,
        ...(urn === undefined ? {} : { urn }),
      });
    } else {
      throw new Error(
        `Error validating resource with ${from}: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  }
}

/** Analyze: every resource policy on one resource's inputs. */
async function analyzeResource(
  pack: PolicyPackUnderTest,
  config: ConfiguredPolicies,
  record: ResourceRecord,
  byUrn: ReadonlyMap<string, ResourceRecord>,
  collect: Collector,
): Promise<void> {
  for (const policy of pack.args.policies) {
    const level = runLevel(pack, policy, config);
    if (level === undefined || !policyInternals.isResourcePolicy(policy)) {
      continue;
    }
    const validations = policy.validateResource;
    if (validations === undefined) {
      collect.result.notApplicable.push({
        policyName: policy.name,
        reason: "Policy does not implement validateResource",
        urn: record.urn,
      });
      continue;
    }
    const fastType = Array.isArray(validations) ? undefined : policyInternals.getPulumiType(validations);
    if (fastType !== undefined && record.type !== fastType) {
      collect.result.notApplicable.push({
        policyName: policy.name,
        reason: `Policy only applies to resources of type '${fastType}'`,
        urn: record.urn,
      });
      continue;
    }
    for (const validation of (Array.isArray(validations)
      ? validations
      : [validations]) as ResourceValidation[]) {
      const props = policyProperties(record.inputs);
      const provider = providerOf(record, byUrn);
      const args: ResourceValidationArgs = {
        type: record.type,
        props,
        urn: record.urn,
        name: record.name,
        opts: optionsOf(record, true),
        stackTags: NO_STACK_TAGS,
        isType: (resourceClass) => isTypeOf(record.type, resourceClass),
        asType: ((resourceClass: unknown) =>
          isTypeOf(record.type, resourceClass) ? props : undefined) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => configProperties(config, policy.name) as T,
        notApplicable: throwNotApplicable,
        ...(provider === undefined ? {} : { provider }),
      };
      await runGuarded(
        pack,
        policy,
        collect,
        () => validation(args, collect.report(policy, level, record.urn)),
        () => collect.markApplied(policy, record.urn),
        record.urn,
      );
    }
  }
}

/** getConfig: the policy's configured properties without enforcementLevel, `{}` when none. */
function configProperties(config: ConfiguredPolicies, policyName: string): Record<string, unknown> {
  return { ...(config[policyName]?.properties ?? {}) };
}

/** AnalyzeStack: every stack policy over all resources. */
async function analyzeStack(
  pack: PolicyPackUnderTest,
  config: ConfiguredPolicies,
  records: readonly ResourceRecord[],
  collect: Collector,
): Promise<void> {
  for (const policy of pack.args.policies) {
    const level = runLevel(pack, policy, config);
    if (level === undefined || !policyInternals.isStackPolicy(policy)) {
      continue;
    }
    const fastType = policyInternals.getPulumiType(policy.validateStack);
    if (fastType !== undefined && !records.some((r) => r.type === fastType)) {
      collect.result.notApplicable.push({
        policyName: policy.name,
        reason: `Policy only applies to resources of type '${fastType}'`,
      });
      continue;
    }
    const args: StackValidationArgs = {
      resources: stackResources(records),
      getConfig: <T extends object>() => configProperties(config, policy.name) as T,
      stackTags: NO_STACK_TAGS,
      notApplicable: throwNotApplicable,
    };
    await runGuarded(
      pack,
      policy,
      collect,
      () => policy.validateStack(args, collect.report(policy, level)),
      () => collect.markApplied(policy, "stack"),
    );
  }
}

/** Every policy of the pack over a graph: Analyze on each resource in order, then AnalyzeStack once. */
export async function analyzeGraph(
  pack: PolicyPackUnderTest,
  config: ConfiguredPolicies,
  records: readonly ResourceRecord[],
): Promise<AnalysisResult> {
  const collect = collector();
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  for (const record of records) {
    await analyzeResource(pack, config, record, byUrn, collect);
  }
  await analyzeStack(pack, config, records, collect);
  return collect.result;
}
