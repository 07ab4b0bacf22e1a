import * as path from "path";
import { DEFAULT_PREVIEW_TTL, parseDuration } from "./durations";
import { readArguments } from "../cli/arguments";
import { usageError } from "../cli/exit-codes";
import { checkSecretsProviderOption } from "../cli/secrets-provider";
import { parsePullRequestNumber } from "./pull-request";

export const USAGE = `Usage: npm run pr-env -- <command> [options]

Commands:
  up --pr <n> [--ttl 3d] [--emr] [--policy-pack <dir>]... [--comment-file <path>] [--secrets-provider <p>]
      create or update stack pr-<n>: preview with the policy packs, then update; a new stack on a
      self-managed backend needs --secrets-provider (awskms://...) or PULUMI_CONFIG_PASSPHRASE
  destroy --pr <n>
      destroy every resource of stack pr-<n>, then remove the stack
  list
      preview stacks with their age (since their last update) and expiry
  gc --older-than <duration> [--dry-run]
      destroy the preview stacks not updated for longer than <duration> (e.g. 3d, 72h), and those
      whose destroy failed before
  sweep [--delete]
      find AWS resources previews left behind (tagged with a pull request whose stack is gone and an
      ExpiresAt in the past); report them, or with --delete delete those of the types it may delete

Exit codes: 0 done, 1 a Pulumi operation failed, 2 usage error, 3 refused (a mandatory policy stopped
the deployment, or the stack is not a preview environment of that pull request: left untouched),
4 a prerequisite is missing (Pulumi CLI, login, AWS credentials, policy pack).`;

export type Command =
  | {
      readonly kind: "up";
      readonly pullRequest: number;
      readonly ttlMs: number;
      readonly emr: boolean;
      readonly policyPacks: readonly string[];
      readonly commentFile?: string;
      readonly secretsProvider?: string;
    }
  | { readonly kind: "destroy"; readonly pullRequest: number }
  | { readonly kind: "list" }
  | { readonly kind: "gc"; readonly olderThanMs: number; readonly dryRun: boolean }
  | { readonly kind: "sweep"; readonly delete: boolean }
  | { readonly kind: "help" };

const OPTIONS = {
  pr: { type: "string" },
  ttl: { type: "string" },
  emr: { type: "boolean" },
  "policy-pack": { type: "string", multiple: true },
  "comment-file": { type: "string" },
  "older-than": { type: "string" },
  "dry-run": { type: "boolean" },
  "secrets-provider": { type: "string" },
  delete: { type: "boolean" },
} as const;

/** The options each command accepts; any other option is refused by name. */
const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  up: ["pr", "ttl", "emr", "policy-pack", "comment-file", "secrets-provider"],
  destroy: ["pr"],
  list: [],
  gc: ["older-than", "dry-run"],
  sweep: ["delete"],
};

/**
 * Reads the command line (node's `util.parseArgs`). Policy packs default to the project's `policy/`
 * folder; relative paths are taken from the current directory.
 */
export function parseCommandLine(argv: readonly string[], projectDir: string): Command {
  const { values, positionals, help } = readArguments(argv, OPTIONS, USAGE);
  const [command, ...extra] = positionals;
  if (help || command === undefined || command === "help") {
    return { kind: "help" };
  }
  const accepted = COMMAND_OPTIONS[command];
  if (accepted === undefined) {
    throw usageError(
      `[command] unknown command "${command}"; accepted: up, destroy, list, gc, sweep\n\n${USAGE}`,
    );
  }
  if (extra.length > 0) {
    throw usageError(`[command] unexpected argument "${extra[0]}" after "${command}"\n\n${USAGE}`);
  }
  const refused = Object.keys(values).find((option) => !accepted.includes(option));
  if (refused !== undefined) {
    const options = accepted.length === 0 ? "no options" : accepted.map((o) => `--${o}`).join(", ");
    throw usageError(`[--${refused}] is not an option of ${command}; ${command} takes ${options}`);
  }
  switch (command) {
    case "up":
      return {
        kind: "up",
        pullRequest: requiredPullRequest(values.pr),
        ttlMs: parseDuration("--ttl", values.ttl ?? DEFAULT_PREVIEW_TTL),
        emr: values.emr ?? false,
        policyPacks: (values["policy-pack"] ?? [path.join(projectDir, "policy")]).map((p) => path.resolve(p)),
        ...(values["comment-file"] === undefined
          ? {}
          : { commentFile: path.resolve(values["comment-file"]) }),
        ...secretsProviderOption(values["secrets-provider"]),
      };
    case "destroy":
      return { kind: "destroy", pullRequest: requiredPullRequest(values.pr) };
    case "gc":
      if (values["older-than"] === undefined) {
        throw usageError("[--older-than] is required: how long a preview may go without an update, e.g. 3d");
      }
      return {
        kind: "gc",
        olderThanMs: parseDuration("--older-than", values["older-than"]),
        dryRun: values["dry-run"] ?? false,
      };
    case "sweep":
      return { kind: "sweep", delete: values.delete ?? false };
    default:
      return { kind: "list" };
  }
}

function secretsProviderOption(value: string | undefined): { secretsProvider?: string } {
  checkSecretsProviderOption(value);
  return value === undefined ? {} : { secretsProvider: value };
}

function requiredPullRequest(raw: string | undefined): number {
  if (raw === undefined) {
    throw usageError("[--pr] is required: the pull request number, e.g. --pr 12");
  }
  return parsePullRequestNumber(raw);
}
