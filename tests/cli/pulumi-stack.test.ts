import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { EXIT_CODES } from "../../cli/exit-codes";
import { committedStacks, PROJECT_DIR } from "../../config/load";
import {
  runStackCommand,
  STACK_COMMANDS,
  stackCommandScripts,
  stackCommandUsage,
} from "../../scripts/pulumi-stack";
import { fakePulumiRoot } from "../automation/fake-pulumi-root";

/**
 * The everyday stack scripts (`npm run up:dev`, ...) against a stand-in `pulumi` that records its
 * arguments and working folder, logs in unless told not to, and exits with $PULUMI_EXIT.
 */
describe("the everyday Pulumi scripts per stack (scripts/pulumi-stack.ts)", () => {
  let root: string;
  const calls = () => fs.readFileSync(path.join(root, "calls.txt"), "utf8").trim().split("\n");

  before(() => {
    root = fakePulumiRoot(
      [
        'if [ "$1" = version ]; then echo v3.274.1; exit 0; fi',
        `echo "$(pwd) $*" >> "${"$"}(dirname "$0")/../calls.txt"`,
        'if [ "$1" = whoami ] && [ -n "$NO_LOGIN" ]; then echo "error: PULUMI_ACCESS_TOKEN must be set" >&2; exit 255; fi',
        'if [ "$1" = whoami ]; then exit 0; fi',
        'exit "${PULUMI_EXIT:-0}"',
      ].join("\n"),
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(() => fs.rmSync(path.join(root, "calls.txt"), { force: true }));
  afterEach(() => {
    delete process.env.PULUMI_EXIT;
    delete process.env.NO_LOGIN;
  });

  async function run(argv: string[]) {
    const printed: string[] = [];
    const errors: string[] = [];
    const code = await runStackCommand(argv, {
      pulumiRoot: root,
      print: (line) => printed.push(line),
      printError: (text) => errors.push(text),
    });
    return { code, printed, errors };
  }

  it("are in package.json for every command and committed stack", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts;
    const expected = stackCommandScripts(committedStacks());
    expect(Object.keys(expected)).to.have.length(4 * 2);
    for (const [name, command] of Object.entries(expected)) {
      expect(scripts[name], name).to.equal(command);
    }
    expect(expected["up:prod"]).to.equal("ts-node --transpile-only scripts/pulumi-stack.ts up prod");
  });

  it("run pulumi on the stack in the project folder, with the policy pack on preview and up", async () => {
    for (const command of Object.keys(STACK_COMMANDS)) {
      expect((await run([command, "dev"])).code).to.equal(EXIT_CODES.ok);
    }
    expect(await run(["up", "prod", "--yes", "--diff"])).to.deep.equal({ code: 0, printed: [], errors: [] });
    expect(calls()).to.deep.equal(
      [
        "whoami --non-interactive",
        "preview --policy-pack policy --stack dev",
        "whoami --non-interactive",
        "up --policy-pack policy --stack dev",
        "whoami --non-interactive",
        "refresh --stack dev",
        "whoami --non-interactive",
        "stack output --stack dev",
        "whoami --non-interactive",
        "up --policy-pack policy --stack prod --yes --diff",
      ].map((call) => `${PROJECT_DIR} ${call}`),
    );
  });

  it("exit 1 when the Pulumi command fails", async () => {
    process.env.PULUMI_EXIT = "255";
    expect((await run(["preview", "dev"])).code).to.equal(EXIT_CODES.failed);
  });

  it("answer --help with the usage (exit 0), and refuse an unknown command or stack (exit 2) before pulumi runs", async () => {
    const usage = stackCommandUsage(["dev", "prod"]);
    expect(await run(["up", "dev", "--help"])).to.deep.equal({ code: 0, printed: [usage], errors: [] });
    expect(usage.split("\n")[5]).to.equal(
      "  preview:<stack>  pulumi preview --policy-pack policy --stack <stack>: what an update would change, checked by the policy pack",
    );
    expect(await run(["destroy", "dev"])).to.deep.equal({
      code: EXIT_CODES.usage,
      printed: [],
      errors: [`[command] "destroy" is not one of: preview, up, refresh, outputs\n\n${usage}`],
    });
    expect((await run(["up", "staging"])).errors).to.deep.equal([
      '[stack] "staging" has no stack file here; stacks: dev, prod',
    ]);
    expect(fs.existsSync(path.join(root, "calls.txt"))).to.equal(false);
  });

  it("exit 4 without a login or a Pulumi CLI, before the command runs", async () => {
    process.env.NO_LOGIN = "1";
    const noLogin = await run(["up", "dev"]);
    expect(noLogin.code).to.equal(EXIT_CODES.prerequisiteMissing);
    expect(noLogin.errors[0]).to.match(
      /^No Pulumi backend login \("pulumi whoami" failed: PULUMI_ACCESS_TOKEN must be set\)\. Log in first: /,
    );
    expect(calls()).to.deep.equal([`${PROJECT_DIR} whoami --non-interactive`]);
    const errors: string[] = [];
    const noCli = await runStackCommand(["up", "dev"], {
      pulumiRoot: path.join(root, "missing"),
      printError: (text) => errors.push(text),
    });
    expect([noCli, errors[0].split(".")[0]]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      `No Pulumi CLI found (looked for ${path.join(root, "missing")}/bin/pulumi)`,
    ]);
  });
});
