// `npm run policy:check -- <stack> [--policy-pack-config <file>]`: the policy pack evaluated offline on a
// stack (offline/policy-check-command.ts). Exit codes: cli/exit-codes.ts (3: a mandatory violation).
import { runAsScript } from "../cli/exit-codes";
import { runPolicyCheckCommand } from "../offline/policy-check-command";

runAsScript((argv) => runPolicyCheckCommand(argv));
