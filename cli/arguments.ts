import { parseArgs, ParseArgsConfig } from "util";
import { usageError } from "./exit-codes";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;

/**
 * Reads a command line with node's `util.parseArgs` (strict: an unknown option is refused), the same
 * way for every command: `--help` / `-h` means "print the usage" (exit 0), and node's own message for a
 * bad option becomes a usage error (exit 2) followed by the usage.
 */
export function readArguments<O extends Options>(argv: readonly string[], options: O, usage: string) {
  const config = {
    args: [...argv],
    options: { ...options, ...HELP },
    allowPositionals: true,
    strict: true,
  } as const;
  let parsed: ReturnType<
    typeof parseArgs<{ options: O & typeof HELP; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw usageError(`${(error as Error).message}\n\n${usage}`);
  }
  const { help, ...values } = parsed.values as typeof parsed.values & { help?: boolean };
  return { values, positionals: parsed.positionals, help: help === true };
}

/** Refuses positional arguments beyond the `max` a command takes. */
export function refuseExtraArguments(positionals: readonly string[], max: number, usage: string): void {
  if (positionals.length > max) {
    throw usageError(`[${positionals[max]}] unexpected argument\n\n${usage}`);
  }
}
