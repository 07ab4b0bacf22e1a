import * as pulumi from "@pulumi/pulumi";

type LogFunction = (message: string) => Promise<void>;

/**
 * Captures what the providers write to Pulumi's log, as `info: ...` / `warn: ...` lines. The serialized
 * form requires the same @pulumi/pulumi log module as this process, so both forms are captured.
 */
export function captureProviderLog(): { readonly lines: string[]; restore(): void } {
  const log = pulumi.log as unknown as Record<"info" | "warn", LogFunction>;
  const saved = { info: log.info, warn: log.warn };
  const lines: string[] = [];
  log.info = async (message) => void lines.push(`info: ${message}`);
  log.warn = async (message) => void lines.push(`warn: ${message}`);
  return {
    lines,
    restore: () => Object.assign(log, saved),
  };
}
