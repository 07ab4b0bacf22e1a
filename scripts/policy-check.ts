// The policy pack evaluated offline on a stack: `npm run policy:check -- <stack> [--policy-pack-config <file>]`.
// Exit code 0: no mandatory violation; 1: a mandatory violation; 2: the check could not run.
import { EXIT, runPolicyCheckCommand } from "../offline/policy-check-command";

runPolicyCheckCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(EXIT.error);
  },
);
