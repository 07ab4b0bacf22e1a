import type { EngineEvent, PolicyEvent, StepEventMetadata } from "@pulumi/pulumi/automation";

/** The logical name of a resource: the last `::` segment of its URN. */
export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function resourceLine(metadata: StepEventMetadata, status: string): string {
  return `${resourceName(metadata.urn)} (${metadata.type}) ${metadata.op} ${status}`;
}

/**
 * One engine event as one readable line (resource, operation, status), or undefined for events that
 * say nothing a reader needs: unchanged resources, a preview's echo of its own plan, preludes.
 */
export function formatEngineEvent(event: EngineEvent): string | undefined {
  if (event.resourcePreEvent !== undefined) {
    const { metadata, planning } = event.resourcePreEvent;
    return metadata.op === "same"
      ? undefined
      : resourceLine(metadata, planning === true ? "planned" : "started");
  }
  if (event.resOutputsEvent !== undefined) {
    const { metadata, planning } = event.resOutputsEvent;
    return metadata.op === "same" || planning === true ? undefined : resourceLine(metadata, "done");
  }
  if (event.resOpFailedEvent !== undefined) {
    return resourceLine(event.resOpFailedEvent.metadata, "failed");
  }
  if (event.policyEvent !== undefined) {
    return formatPolicyEvent(event.policyEvent);
  }
  if (event.diagnosticEvent !== undefined) {
    const { severity, message, urn } = event.diagnosticEvent;
    const label = severity === "info#err" ? "info" : severity;
    const where = urn === undefined || urn === "" ? "" : `${resourceName(urn)}: `;
    return `${label}: ${where}${message.trim()}`;
  }
  if (event.summaryEvent !== undefined) {
    const { resourceChanges, durationSeconds } = event.summaryEvent;
    const changes = Object.entries(resourceChanges)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, count]) => `${op} ${count}`)
      .join(", ");
    return `summary: ${changes === "" ? "no changes" : changes} (${durationSeconds}s)`;
  }
  return undefined;
}

/** Mandatory policies stop a deployment; advisory ones ("warning") only report. */
function formatPolicyEvent(event: PolicyEvent): string {
  const level = event.enforcementLevel === "mandatory" ? "mandatory" : "advisory";
  const where = event.resourceUrn === undefined ? "" : ` on ${resourceName(event.resourceUrn)}`;
  return `policy ${level}: ${event.policyPackName}/${event.policyName}${where}: ${event.message.trim()}`;
}

/**
 * Streams every event to `print` and remembers mandatory policy violations, which is how the tool
 * tells "a policy stopped the deployment" from any other failed preview.
 */
export class EngineEventLog {
  private readonly violations: string[] = [];

  constructor(private readonly print: (line: string) => void) {}

  readonly onEvent = (event: EngineEvent): void => {
    const line = formatEngineEvent(event);
    if (line !== undefined) {
      this.print(line);
    }
    if (event.policyEvent?.enforcementLevel === "mandatory") {
      this.violations.push(formatPolicyEvent(event.policyEvent));
    }
  };

  get mandatoryViolations(): readonly string[] {
    return this.violations;
  }
}
