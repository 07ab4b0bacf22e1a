import { PolicyCheckResult, PolicyStatus } from "./policy-evaluation";
import { graphCountsText } from "./resource-graph";

/** The offline policy check's outputs: a readable report and a machine-readable one. */

const STATUS_LABEL: Record<PolicyStatus, string> = {
  passed: "PASS",
  failed: "FAIL",
  "not-applicable": "N/A ",
  disabled: "OFF ",
};

export function summaryCounts(result: PolicyCheckResult): Record<PolicyStatus, number> {
  const counts: Record<PolicyStatus, number> = { passed: 0, failed: 0, "not-applicable": 0, disabled: 0 };
  result.policies.forEach((p) => (counts[p.status] += 1));
  return counts;
}

/** The report as text lines: one line per policy, each violation under its policy with path, message and fix. */
export function renderPolicyReport(stack: string, result: PolicyCheckResult): string[] {
  const width = Math.max(...result.policies.map((p) => p.name.length));
  const lines = [
    `Policy pack ${result.pack.name}@${result.pack.version} on stack "${stack}": ` +
      `${graphCountsText({ resources: result.resourceCount, components: result.componentCount })}, ` +
      "the program run under mocks (nothing deployed).",
    "",
  ];
  for (const policy of result.policies) {
    const count = policy.violations.length;
    const violations = count === 0 ? "" : `  ${count} violation${count === 1 ? "" : "s"}`;
    lines.push(
      `${STATUS_LABEL[policy.status]}  ${policy.name.padEnd(width)}  ${policy.enforcementLevel}${violations}`,
    );
    for (const violation of policy.violations) {
      const type = violation.type === undefined ? "" : ` (${violation.type})`;
      lines.push(`      x ${violation.path}${type}`, `        ${violation.message}`);
    }
    if (count > 0 && policy.fix !== undefined) {
      lines.push(`        fix: ${policy.fix}`);
    }
  }
  const counts = summaryCounts(result);
  lines.push(
    "",
    `${result.policies.length} policies: ${counts.passed} passed, ${counts.failed} failed, ` +
      `${counts["not-applicable"]} not applicable, ${counts.disabled} disabled. ` +
      `${result.mandatoryViolations} mandatory violation${result.mandatoryViolations === 1 ? "" : "s"}, ` +
      `${result.advisoryViolations} advisory.`,
  );
  return lines;
}

/** The JSON report: the same content, every violation carrying its policy's fix. */
export function policyReportJson(stack: string, result: PolicyCheckResult): Record<string, unknown> {
  return {
    stack,
    pack: result.pack,
    evaluatedOffline: true,
    resourceCount: result.resourceCount,
    componentCount: result.componentCount,
    summary: {
      ...summaryCounts(result),
      mandatoryViolations: result.mandatoryViolations,
      advisoryViolations: result.advisoryViolations,
    },
    policies: result.policies.map((policy) => ({
      ...policy,
      violations: policy.violations.map((v) => ({
        ...v,
        ...(policy.fix === undefined ? {} : { fix: policy.fix }),
      })),
    })),
  };
}
