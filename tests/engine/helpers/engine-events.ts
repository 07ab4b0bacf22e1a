import type { EngineEvent } from "@pulumi/pulumi/automation";

/** Records an operation's engine events and reads what the tests assert from them. */
export class EngineEventRecorder {
  readonly events: EngineEvent[] = [];
  readonly onEvent = (event: EngineEvent): void => void this.events.push(event);

  clear(): void {
    this.events.length = 0;
  }

  /**
   * What the dynamic provider processes printed, line by line: their Pulumi log (`info: [runtime] ...`,
   * `warning: [runtime] ...`), which the engine turns into one diagnostic per line of output.
   */
  providerLines(): string[] {
    return this.events.flatMap((event) => {
      const diagnostic = event.diagnosticEvent;
      if (diagnostic === undefined || diagnostic.urn || !["info", "info#err"].includes(diagnostic.severity)) {
        return [];
      }
      return [diagnostic.message.replace(/\n+$/, "")];
    });
  }

  /** `<resource name>: <message>` of each error the engine reported against a resource. */
  resourceErrors(): string[] {
    return this.events.flatMap((event) => {
      const diagnostic = event.diagnosticEvent;
      if (diagnostic === undefined || diagnostic.severity !== "error" || !diagnostic.urn) {
        return [];
      }
      return [`${diagnostic.urn.split("::").at(-1)}: ${diagnostic.message.replace(/\n+$/, "")}`];
    });
  }

  /** `<op> <name>` of every dynamic resource the engine planned or performed a step on, sorted. */
  dynamicSteps(): string[] {
    const steps = this.events.flatMap((event) => {
      const metadata = event.resourcePreEvent?.metadata;
      if (metadata === undefined || !metadata.type.startsWith("pulumi-nodejs:dynamic/")) {
        return [];
      }
      return [`${metadata.op} ${metadata.urn.split("::").at(-1)}`];
    });
    return steps.sort();
  }

  /** Policy results as `<level> <policy> <resource name or (stack)>: <message>`, sorted. */
  policyViolations(): string[] {
    return this.events
      .flatMap((event) => (event.policyEvent === undefined ? [] : [event.policyEvent]))
      .map(
        (p) =>
          `${p.enforcementLevel} ${p.policyName} ${p.resourceUrn?.split("::").at(-1) || "(stack)"}: ${p.message}`,
      )
      .sort();
  }
}
