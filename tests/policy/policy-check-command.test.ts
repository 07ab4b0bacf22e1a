import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../config/load";
import { EXIT_CODES } from "../../cli/exit-codes";
import { POLICY_CHECK_USAGE, runPolicyCheckCommand } from "../../offline/policy-check-command";
import { PolicyCheckResult } from "../../offline/policy-evaluation";
import { renderPolicyReport } from "../../offline/policy-report";

const temporaryDirs: string[] = [];

function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** A project folder holding one stack file: prod's settings with a 7-day key deletion window. */
function projectWithShortKeyWindow(): string {
  const dir = temporaryDir("policy-check-");
  const prod = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
  fs.writeFileSync(
    path.join(dir, "Pulumi.shortkey.yaml"),
    prod.replace("deletionWindowDays: 30", "deletionWindowDays: 7"),
  );
  return dir;
}

async function run(
  argv: string[],
  projectDir?: string,
): Promise<{ code: number; lines: string[]; report: Record<string, unknown>; dir: string }> {
  const dir = temporaryDir("policy-report-");
  const lines: string[] = [];
  const code = await runPolicyCheckCommand(argv, {
    reportDir: dir,
    print: (line) => lines.push(line),
    ...(projectDir === undefined ? {} : { projectDir }),
  });
  const report = JSON.parse(
    fs.readFileSync(path.join(dir, `policy-report-${argv[0]}.json`), "utf8"),
  ) as Record<string, unknown>;
  return { code, lines, report, dir };
}

describe("npm run policy:check (the offline check command)", () => {
  after(() => temporaryDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("passes dev: a line per policy, the summary, and a JSON report", async () => {
    const { code, lines, report } = await run(["dev"]);
    expect(code).to.equal(EXIT_CODES.ok);
    expect(lines[0]).to.equal(
      'Policy pack iceberg-lakehouse-policies@0.1.0 on stack "dev": 82 resources in 28 components, the program run under mocks (nothing deployed).',
    );
    expect(lines).to.include("PASS  s3-bucket-sse-kms                        mandatory");
    expect(lines).to.include("N/A   kms-key-deletion-window                  mandatory");
    expect(lines.at(-2)).to.equal(
      "53 policies: 44 passed, 0 failed, 9 not applicable, 0 disabled. 0 mandatory violations, 0 advisory.",
    );
    expect(report.summary).to.deep.equal({
      passed: 44,
      failed: 0,
      "not-applicable": 9,
      disabled: 0,
      mandatoryViolations: 0,
      advisoryViolations: 0,
    });
  });

  it("fails a prod-like stack whose key can be deleted in 7 days, with the resource path and the fix", async () => {
    const { code, lines, report } = await run(["shortkey"], projectWithShortKeyWindow());
    expect(code).to.equal(EXIT_CODES.refused);
    const failed = lines.indexOf("FAIL  kms-key-deletion-window                  mandatory  1 violation");
    expect(lines.slice(failed, failed + 4)).to.deep.equal([
      "FAIL  kms-key-deletion-window                  mandatory  1 violation",
      "      x lakehouse/lakehouse-key/lakehouse-key (aws:kms/key:Key)",
      '        KMS key "lakehouse-key" has a 7-day deletion window; production keys need at least 30 days',
      "        fix: Set kms.deletionWindowDays to 30 in the prod stack file (deletionWindowInDays on the key).",
    ]);
    const policy = (report.policies as { name: string; status: string; violations: unknown[] }[]).find(
      (p) => p.name === "kms-key-deletion-window",
    );
    expect(policy?.status).to.equal("failed");
    expect(policy?.violations).to.deep.equal([
      {
        urn: "urn:pulumi:shortkey::iceberg-lakehouse::lakehouse:security:LakehouseKey$aws:kms/key:Key::lakehouse-key",
        type: "aws:kms/key:Key",
        path: "lakehouse/lakehouse-key/lakehouse-key",
        message: 'KMS key "lakehouse-key" has a 7-day deletion window; production keys need at least 30 days',
        enforcementLevel: "mandatory",
        fix: "Set kms.deletionWindowDays to 30 in the prod stack file (deletionWindowInDays on the key).",
      },
    ]);
  });

  it("takes a policy config file as pulumi does (--policy-pack-config): an advisory violation does not fail", async () => {
    const projectDir = projectWithShortKeyWindow();
    const configFile = path.join(projectDir, "policy-config.json");
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        "kms-key-deletion-window": { enforcementLevel: "advisory", minimumDeletionWindowDays: 14 },
      }),
    );
    const { code, lines } = await run(["shortkey", "--policy-pack-config", configFile], projectDir);
    expect(code).to.equal(EXIT_CODES.ok);
    expect(lines).to.include(
      '        KMS key "lakehouse-key" has a 7-day deletion window; production keys need at least 14 days',
    );
    expect(lines.at(-2)).to.equal(
      "53 policies: 51 passed, 1 failed, 1 not applicable, 0 disabled. 0 mandatory violations, 1 advisory.",
    );
  });

  /** A run that must stop before the program runs: its exit code, error and printed lines. */
  async function refused(argv: string[], projectDir?: string) {
    const printed: string[] = [];
    const errors: string[] = [];
    const code = await runPolicyCheckCommand(argv, {
      print: (line) => printed.push(line),
      printError: (text) => errors.push(text),
      ...(projectDir === undefined ? {} : { projectDir }),
    });
    return { code, errors, printed };
  }

  it("answers --help with its usage (exit 0)", async () => {
    expect(await refused(["--help"])).to.deep.equal({ code: 0, errors: [], printed: [POLICY_CHECK_USAGE] });
    expect((await refused(["dev", "-h"])).printed).to.deep.equal([POLICY_CHECK_USAGE]);
  });

  it("refuses bad arguments and unknown stacks before running anything (exit 2)", async () => {
    expect(await refused([])).to.deep.equal({
      code: EXIT_CODES.usage,
      errors: [`[stack] is required: the stack to check, e.g. dev\n\n${POLICY_CHECK_USAGE}`],
      printed: [],
    });
    expect((await refused(["dev", "--verbose"])).errors).to.deep.equal([
      `Unknown option '--verbose'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--verbose"\n\n${POLICY_CHECK_USAGE}`,
    ]);
    expect((await refused(["dev", "prod"])).errors).to.deep.equal([
      `[prod] unexpected argument\n\n${POLICY_CHECK_USAGE}`,
    ]);
    const staging = await refused(["staging"]);
    expect(staging.code).to.equal(EXIT_CODES.usage);
    expect(staging.errors[0]).to.match(
      /^Invalid stack configuration:\n {2}- \[stack\] no stack file .*Pulumi\.staging\.yaml; stacks here: dev, prod\nNothing was changed\.$/,
    );
  });

  it("names --policy-pack-config in errors about its file (exit 2)", async () => {
    const dir = temporaryDir("policy-config-");
    const missing = path.join(dir, "missing.json");
    expect(await refused(["dev", "--policy-pack-config", missing])).to.deep.equal({
      code: EXIT_CODES.usage,
      errors: [`[--policy-pack-config] no such file: ${missing}`],
      printed: [],
    });
    const invalid = path.join(dir, "invalid.json");
    fs.writeFileSync(invalid, JSON.stringify({ "kms-key-rotation": "sometimes" }));
    const result = await refused(["dev", "--policy-pack-config", invalid]);
    expect(result.code).to.equal(EXIT_CODES.usage);
    expect(result.errors[0]).to.match(
      new RegExp(`^\\[--policy-pack-config\\] ${invalid}: Invalid policy pack configuration:\n {2}- `),
    );
  });

  it("renders a stack-wide violation as (stack) and pluralizes counts", () => {
    const result: PolicyCheckResult = {
      pack: { name: "p", version: "1.0.0" },
      resourceCount: 2,
      componentCount: 1,
      mandatoryViolations: 2,
      advisoryViolations: 0,
      policies: [
        {
          name: "stack-environment-tag",
          description: "d",
          kind: "stack",
          enforcementLevel: "mandatory",
          status: "failed",
          fix: "Tag it.",
          violations: [
            { path: "(stack)", message: "no provider", enforcementLevel: "mandatory" },
            { path: "(stack)", message: "still no provider", enforcementLevel: "mandatory" },
          ],
        },
      ],
    };
    expect(renderPolicyReport("s", result)).to.deep.equal([
      'Policy pack p@1.0.0 on stack "s": 2 resources in 1 components, the program run under mocks (nothing deployed).',
      "",
      "FAIL  stack-environment-tag  mandatory  2 violations",
      "      x (stack)",
      "        no provider",
      "      x (stack)",
      "        still no provider",
      "        fix: Tag it.",
      "",
      "1 policies: 0 passed, 1 failed, 0 not applicable, 0 disabled. 2 mandatory violations, 0 advisory.",
    ]);
  });
});
