import { expect } from "chai";
import { spawn } from "child_process";
import { USAGE as PR_ENV_USAGE } from "../../automation/cli-args";
import { PROJECT_DIR } from "../../config/load";
import { POLICY_CHECK_USAGE } from "../../offline/policy-check-command";
import { PLAN_USAGE } from "../../scripts/offline-plan";
import { PLAN_TABLE_CHANGE_USAGE } from "../../scripts/plan-table-change";
import { stackCommandUsage } from "../../scripts/pulumi-stack";
import { USAGE as STACKS_USAGE } from "../../stacks/cli";

/** `npm run --silent <script> -- <args>` in the project folder, as a user types it. */
function npmRun(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], { cwd: PROJECT_DIR });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `passesOptions`: further options go to pulumi (its usage errors: tests/cli/pulumi-stack.test.ts). */
const COMMANDS: readonly {
  readonly script: string;
  readonly usage: string;
  readonly passesOptions?: true;
}[] = [
  { script: "plan", usage: PLAN_USAGE },
  { script: "policy:check", usage: POLICY_CHECK_USAGE },
  { script: "pr-env", usage: PR_ENV_USAGE },
  { script: "plan-table-change", usage: PLAN_TABLE_CHANGE_USAGE },
  { script: "stacks", usage: STACKS_USAGE },
  { script: "up:dev", usage: stackCommandUsage(["dev", "prod"]), passesOptions: true },
];

/*
 * Every command of the project, run through its npm script: `--help` prints the usage on stdout and
 * exits 0; an unknown option is a usage error (exit 2) with the usage on stderr, and nothing runs.
 * The demo's own (`bash scripts/demo.sh --help`) is tested in demo/tests/test_command_line.py.
 */
describe("every command answers --help and refuses an unknown option alike (npm scripts)", function () {
  this.timeout(240000);
  for (const { script, usage, passesOptions } of COMMANDS) {
    it(`npm run ${script}`, async () => {
      expect(await npmRun(script, ["--help"])).to.deep.equal({ code: 0, stdout: `${usage}\n`, stderr: "" });
      if (passesOptions === undefined) {
        expect(await npmRun(script, ["--no-such-option"])).to.deep.equal({
          code: 2,
          stdout: "",
          stderr:
            "Unknown option '--no-such-option'. To specify a positional argument starting with a '-', place it at " +
            `the end of the command after '--', as in '-- "--no-such-option"\n\n${usage}\n`,
        });
      }
    });
  }
});
