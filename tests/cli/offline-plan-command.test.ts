import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT_CODES } from "../../cli/exit-codes";
import { runPolicyCheckCommand } from "../../offline/policy-check-command";
import { PLAN_USAGE, runPlanCommand } from "../../scripts/offline-plan";

async function plan(argv: string[]) {
  const printed: string[] = [];
  const errors: string[] = [];
  const code = await runPlanCommand(argv, { print: (line) => printed.push(line) }, (text) =>
    errors.push(text),
  );
  return { code, printed, errors };
}

describe("npm run plan (the offline plan command)", function () {
  // The first test runs the whole program under mocks twice in-process (the plan, then the policy check),
  // loading every module cold; beside the Spark tests on 2 cores (scripts/test.sh) it took over 30 s
  // (mocha's default here) in the fresh-clone run of 1156cfd. A limit on a hang, not a speed assertion.
  this.timeout(120_000);
  let reportDir: string;
  before(() => (reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-command-"))));
  after(() => fs.rmSync(reportDir, { recursive: true, force: true }));

  it("counts resources the way the policy check does: custom resources, then components", async () => {
    const { code, printed } = await plan(["dev"]);
    expect(code).to.equal(EXIT_CODES.ok);
    expect(printed.at(-1)).to.equal("82 resources in 28 components. Deploy with: pulumi up --stack dev");
    const checked: string[] = [];
    await runPolicyCheckCommand(["dev"], { reportDir, print: (line) => checked.push(line) });
    expect(checked[0]).to.equal(
      'Policy pack iceberg-lakehouse-policies@0.1.0 on stack "dev": 82 resources in 28 components, the program run under mocks (nothing deployed).',
    );
    const report = JSON.parse(fs.readFileSync(path.join(reportDir, "policy-report-dev.json"), "utf8"));
    expect([report.resourceCount, report.componentCount]).to.deep.equal([82, 28]);
  });

  it("plans dev when no stack is named", async () => {
    expect((await plan([])).printed[0]).to.equal(
      'Offline plan of stack "dev" (eu-west-1): the program run under mocks; nothing is deployed.',
    );
  });

  it("answers --help (exit 0) and refuses a second stack, an option or an unknown stack (exit 2)", async () => {
    expect(await plan(["--help"])).to.deep.equal({ code: 0, printed: [PLAN_USAGE], errors: [] });
    expect(await plan(["dev", "prod"])).to.deep.equal({
      code: EXIT_CODES.usage,
      printed: [],
      errors: [`[prod] unexpected argument\n\n${PLAN_USAGE}`],
    });
    expect((await plan(["dev", "--json"])).code).to.equal(EXIT_CODES.usage);
    const staging = await plan(["staging"]);
    expect([staging.code, staging.printed]).to.deep.equal([EXIT_CODES.usage, []]);
    expect(staging.errors[0]).to.match(
      /\[stack\] no stack file .*Pulumi\.staging\.yaml; stacks here: dev, prod\n/,
    );
  });
});
