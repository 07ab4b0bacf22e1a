import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { EXIT_CODES } from "../../cli/exit-codes";
import { PROJECT_DIR, readStackConfigFile } from "../../config/load";
import { projectContext, runStacksCli } from "../../stacks/cli";
import { readyStackFileText } from "./fixtures";

/** The Pulumi CLI that scripts/setup-pulumi.sh builds (the test command runs it first). */
const PULUMI_ROOT = path.join(PROJECT_DIR, ".cache", "pulumi");
const PULUMI = path.join(PULUMI_ROOT, "bin", "pulumi");

/**
 * `npm run stacks` against the real Pulumi CLI (v3.274.1, built from its Go module) and a
 * self-managed backend in a folder (`file://`), on a throwaway copy of the project with ready stack files.
 */
describe("npm run stacks against the real Pulumi CLI (file:// backend)", function () {
  this.timeout(120_000);
  let root: string;
  let project: string;
  let env: Record<string, string>;

  before(() => {
    if (!fs.existsSync(PULUMI)) {
      throw new Error(`${PULUMI} not found: run bash scripts/setup-pulumi.sh (the test command does)`);
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-real-"));
    project = path.join(root, "project");
    fs.mkdirSync(project);
    fs.mkdirSync(path.join(root, "state"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    for (const stack of ["dev", "prod"] as const) {
      const committed = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
      fs.writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), readyStackFileText(stack, committed));
    }
    env = {
      PULUMI_HOME: path.join(root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function run(argv: string[], extraEnv: Record<string, string> = {}) {
    const printed: string[] = [];
    const errors: string[] = [];
    const context = {
      ...projectContext(project, { pulumiRoot: PULUMI_ROOT, envVars: { ...env, ...extraEnv } }),
    };
    const code = await runStacksCli(
      argv,
      { ...context, print: (line) => printed.push(line) },
      ["dev", "prod"],
      (e) => errors.push(e),
    );
    return { code, printed, errors };
  }
  const stackFile = (stack: string) =>
    parseYaml(fs.readFileSync(path.join(project, `Pulumi.${stack}.yaml`), "utf8")) as Record<string, unknown>;

  it("asks for a secrets provider on a self-managed backend, and creates nothing without one", async () => {
    expect(await run([])).to.deep.equal({
      code: EXIT_CODES.prerequisiteMissing,
      printed: [],
      errors: [
        `Stack dev: the self-managed backend file://${path.join(root, "state")} has no secrets service and Pulumi.dev.yaml records no secrets provider. ` +
          'Name one: --secrets-provider "awskms://alias/<key>?region=<region>" (a KMS key; recommended) or passphrase ' +
          "(with PULUMI_CONFIG_PASSPHRASE). The stack file then records it: commit it.",
      ],
    });
    expect(fs.existsSync(path.join(root, "state", ".pulumi", "stacks"))).to.equal(false);
  });

  it("creates dev and prod with the passphrase provider, which their stack files then record", async () => {
    const result = await run(["--secrets-provider", "passphrase"], {
      PULUMI_CONFIG_PASSPHRASE: "correct horse",
    });
    expect(result).to.deep.equal({
      code: EXIT_CODES.ok,
      printed: [
        "dev: created (secrets provider: passphrase); Pulumi.dev.yaml now records it: commit it",
        "prod: created (secrets provider: passphrase); Pulumi.prod.yaml now records it: commit it",
      ],
      errors: [],
    });
    const checkpoints = fs.readdirSync(path.join(root, "state", ".pulumi", "stacks", "iceberg-lakehouse"));
    expect(checkpoints.filter((file) => file.endsWith(".json")).sort()).to.deep.equal([
      "dev.json",
      "prod.json",
    ]);
    for (const stack of ["dev", "prod"]) {
      expect(stackFile(stack).encryptionsalt, stack).to.match(/^v1:/);
      // The stack's configuration is kept as it was.
      expect(readStackConfigFile(stack, project).aws.allowedAccountIds, stack).to.have.length(1);
    }
    const listed = JSON.parse(
      execFileSync(PULUMI, ["stack", "ls", "--json"], {
        cwd: project,
        env: { ...process.env, ...env },
      }).toString(),
    ) as { name: string }[];
    expect(listed.map((s) => s.name).sort()).to.deep.equal(["dev", "prod"]);
  });

  it("selects them on the next run with the recorded provider, changing nothing", async () => {
    const salts = ["dev", "prod"].map((stack) => stackFile(stack).encryptionsalt);
    expect(await run([], { PULUMI_CONFIG_PASSPHRASE: "correct horse" })).to.deep.equal({
      code: EXIT_CODES.ok,
      printed: ["dev: exists, selected", "prod: exists, selected"],
      errors: [],
    });
    expect(["dev", "prod"].map((stack) => stackFile(stack).encryptionsalt)).to.deep.equal(salts);
  });

  it("needs the passphrase for stacks that use it (exit 4)", async () => {
    const result = await run(["dev"]);
    expect([result.code, result.errors]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      [
        "Stack dev uses the passphrase secrets provider: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (in CI, a secret of the stack's environment).",
      ],
    ]);
  });

  it("reports a missing Pulumi CLI as a missing prerequisite (exit 4)", async () => {
    const printed: string[] = [];
    const errors: string[] = [];
    const context = projectContext(project, { pulumiRoot: path.join(root, "no-pulumi"), envVars: env });
    const code = await runStacksCli([], { ...context, print: (l) => printed.push(l) }, ["dev", "prod"], (e) =>
      errors.push(e),
    );
    expect(code).to.equal(EXIT_CODES.prerequisiteMissing);
    expect(errors[0]).to.match(
      /^No Pulumi CLI found \(looked for .*no-pulumi\/bin\/pulumi\)\. The project's Pulumi tools run it /,
    );
  });
});
