import { expect } from "chai";
import { EXIT_CODES, prerequisiteError } from "../../cli/exit-codes";
import { accountClaimOf } from "../../config/account-ownership";
import { readStackConfigFile } from "../../config/load";
import { LakehouseConfig, StackConfigError } from "../../config/stack-config";
import { runStacksCli, USAGE } from "../../stacks/cli";
import { StackBackend, StackSetupContext } from "../../stacks/stack-setup";
import { readyStackConfigs } from "./fixtures";

const STACKS = ["dev", "prod"];
const CLOUD = "https://app.pulumi.com/ci";

/** A backend that records every call; `existing` stacks are there already. */
class FakeBackend implements StackBackend {
  readonly calls: string[] = [];
  constructor(
    readonly existing: Set<string>,
    readonly url: string | undefined = CLOUD,
    readonly failures: { whoAmI?: Error; create?: Error } = {},
  ) {}
  async whoAmI() {
    this.calls.push("whoami");
    if (this.failures.whoAmI !== undefined) {
      throw this.failures.whoAmI;
    }
    return { user: "ci", ...(this.url === undefined ? {} : { url: this.url }) };
  }
  async selectStack(name: string) {
    this.calls.push(`select ${name}`);
    return this.existing.has(name);
  }
  async createStack(name: string, secretsProvider: string | undefined) {
    this.calls.push(
      `create ${name}${secretsProvider === undefined ? "" : ` --secrets-provider ${secretsProvider}`}`,
    );
    if (this.failures.create !== undefined) {
      throw this.failures.create;
    }
    this.existing.add(name);
  }
}

interface Run {
  readonly code: number;
  readonly printed: string[];
  readonly errors: string[];
}

function world(
  backend: FakeBackend | Error,
  options: {
    configs?: Record<string, LakehouseConfig>;
    files?: Record<string, Record<string, unknown>>;
    env?: Record<string, string>;
  } = {},
) {
  const configs = options.configs ?? readyStackConfigs();
  let opened = 0;
  const printed: string[] = [];
  const context: StackSetupContext = {
    openBackend: async () => {
      opened++;
      if (backend instanceof Error) {
        throw backend;
      }
      return backend;
    },
    stackFile: (stack) => ({ config: configs[stack], file: options.files?.[stack] ?? { config: {} } }),
    otherClaims: (stack) =>
      Object.entries(configs)
        .filter(([other]) => other !== stack)
        .map(([other, config]) => accountClaimOf(other, config)),
    env: options.env ?? {},
    print: (line) => printed.push(line),
  };
  return {
    opened: () => opened,
    run: async (argv: string[]): Promise<Run> => {
      const errors: string[] = [];
      const code = await runStacksCli(argv, context, STACKS, (text) => errors.push(text));
      return { code, printed: [...printed.splice(0)], errors };
    },
  };
}

describe("npm run stacks: create or select the stacks with their secrets provider", () => {
  it("creates dev and prod on Pulumi Cloud with its secrets service, then only selects them", async () => {
    const backend = new FakeBackend(new Set());
    const { run } = world(backend);
    expect(await run([])).to.deep.equal({
      code: EXIT_CODES.ok,
      printed: ["dev: created (secrets provider: default)", "prod: created (secrets provider: default)"],
      errors: [],
    });
    expect(await run([])).to.deep.equal({
      code: EXIT_CODES.ok,
      printed: ["dev: exists, selected", "prod: exists, selected"],
      errors: [],
    });
    expect(backend.calls).to.deep.equal([
      "whoami",
      "select dev",
      "select prod",
      "create dev",
      "create prod",
      "whoami",
      "select dev",
      "select prod",
    ]);
  });

  it("names the stacks in a Pulumi Cloud organization, and only the stacks asked for", async () => {
    const backend = new FakeBackend(new Set(["acme/dev"]));
    const result = await world(backend).run(["prod", "dev", "--org", "acme"]);
    expect([result.code, result.printed]).to.deep.equal([
      EXIT_CODES.ok,
      ["acme/dev: exists, selected", "acme/prod: created (secrets provider: default)"],
    ]);
    expect(backend.calls).to.deep.equal([
      "whoami",
      "select acme/prod",
      "select acme/dev",
      "create acme/prod",
    ]);
  });

  it("refuses stacks that are not ready to deploy before opening the backend (exit 2)", async () => {
    const committed = { dev: readStackConfigFile("dev"), prod: readStackConfigFile("prod") };
    const setup = world(new FakeBackend(new Set()), { configs: committed });
    expect(await setup.run([])).to.deep.equal({
      code: EXIT_CODES.usage,
      printed: [],
      errors: [
        'Not ready to deploy (README, "Before the first deployment"); nothing was changed:\n' +
          "  Pulumi.dev.yaml: [aws:allowedAccountIds] 111122223333 is an account id of the AWS documentation, a placeholder: put the id of the account this stack deploys to\n" +
          "  Pulumi.prod.yaml: [lakehouse.pipeline.alertEmails] prod needs at least one address: a failed pipeline run alerts nobody otherwise\n" +
          "  Pulumi.prod.yaml: [aws:allowedAccountIds] 444455556666 is an account id of the AWS documentation, a placeholder: put the id of the account this stack deploys to",
      ],
    });
    expect(setup.opened()).to.equal(0);
  });

  it("refuses an invalid stack file (exit 2), naming the key", async () => {
    const context = world(new FakeBackend(new Set()), {
      configs: new Proxy({} as Record<string, LakehouseConfig>, {
        get: () => {
          throw new StackConfigError(["[lakehouse.glue.workers] Unrecognized key"]);
        },
      }),
    });
    expect(await context.run(["dev"])).to.deep.equal({
      code: EXIT_CODES.usage,
      printed: [],
      errors: [
        "Invalid stack configuration:\n  - [lakehouse.glue.workers] Unrecognized key\nNothing was changed.",
      ],
    });
  });

  it("reports a missing Pulumi CLI or login as a missing prerequisite (exit 4)", async () => {
    const noCli = await world(prerequisiteError("No usable Pulumi CLI (pulumi on PATH: ENOENT).")).run([]);
    expect([noCli.code, noCli.errors]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      ["No usable Pulumi CLI (pulumi on PATH: ENOENT)."],
    ]);
    const backend = new FakeBackend(new Set(), CLOUD, {
      whoAmI: new Error(
        "code: 255\n stderr: error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
      ),
    });
    const noLogin = await world(backend).run([]);
    expect([noLogin.code, noLogin.errors]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      [
        'No Pulumi backend login ("pulumi whoami" failed: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions). ' +
          "Log in first: set PULUMI_ACCESS_TOKEN for Pulumi Cloud (in GitHub Actions, pulumi/auth-actions exchanges " +
          "the job's OIDC token for one), or PULUMI_BACKEND_URL for a self-managed backend (e.g. s3://my-state-bucket), " +
          'or run "pulumi login".',
      ],
    ]);
  });

  it("on a self-managed backend, needs a secrets provider before creating any stack (exit 4)", async () => {
    const backend = new FakeBackend(new Set(["dev"]), "s3://lakehouse-state");
    const result = await world(backend).run([]);
    expect([result.code, result.errors]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      [
        "Stack prod: the self-managed backend s3://lakehouse-state has no secrets service and Pulumi.prod.yaml records no secrets provider. " +
          'Name one: --secrets-provider "awskms://alias/<key>?region=<region>" (a KMS key; recommended) or passphrase ' +
          "(with PULUMI_CONFIG_PASSPHRASE). The stack file then records it: commit it.",
      ],
    ]);
    expect(backend.calls).to.deep.equal(["whoami", "select dev", "select prod"]);
  });

  it("creates with the KMS key asked for, and says the stack file now records it", async () => {
    const backend = new FakeBackend(new Set(), "s3://lakehouse-state");
    const kms = "awskms://alias/pulumi-secrets?region=eu-west-1";
    const result = await world(backend).run(["dev", "--secrets-provider", kms]);
    expect([result.code, result.printed]).to.deep.equal([
      EXIT_CODES.ok,
      [`dev: created (secrets provider: ${kms}); Pulumi.dev.yaml now records it: commit it`],
    ]);
    expect(backend.calls.at(-1)).to.equal(`create dev --secrets-provider ${kms}`);
  });

  it("uses the provider a stack file records, and the passphrase only with the passphrase in the environment", async () => {
    const files = {
      dev: { config: {}, encryptionsalt: "v1:salt" },
      prod: { config: {}, secretsprovider: "awskms://alias/k" },
    };
    const backend = new FakeBackend(new Set(), "file:///srv/state");
    const without = await world(backend, { files }).run([]);
    expect([without.code, without.errors]).to.deep.equal([
      EXIT_CODES.prerequisiteMissing,
      [
        "Stack dev uses the passphrase secrets provider: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (in CI, a secret of the stack's environment).",
      ],
    ]);
    const withPassphrase = await world(backend, { files, env: { PULUMI_CONFIG_PASSPHRASE: "x" } }).run([]);
    expect([withPassphrase.code, withPassphrase.printed]).to.deep.equal([
      EXIT_CODES.ok,
      ["dev: created (secrets provider: passphrase)", "prod: created (secrets provider: awskms://alias/k)"],
    ]);
    expect(backend.calls.filter((c) => c.startsWith("create"))).to.deep.equal([
      "create dev --secrets-provider passphrase",
      "create prod --secrets-provider awskms://alias/k",
    ]);
    // An existing stack that uses the passphrase needs it too: every later deployment does.
    const again = await world(backend, { files }).run(["dev"]);
    expect(again.code).to.equal(EXIT_CODES.prerequisiteMissing);
  });

  it("refuses a secrets provider other than the one the stack file records, or one Pulumi does not know (exit 2)", async () => {
    const files = { dev: { config: {}, secretsprovider: "awskms://alias/k" } };
    const differs = await world(new FakeBackend(new Set()), { files }).run([
      "dev",
      "--secrets-provider",
      "passphrase",
    ]);
    expect([differs.code, differs.errors]).to.deep.equal([
      EXIT_CODES.usage,
      [
        '[--secrets-provider] Pulumi.dev.yaml records the secrets provider "awskms://alias/k", not "passphrase". ' +
          'To move the stack: pulumi stack change-secrets-provider --stack dev "passphrase", then commit Pulumi.dev.yaml. Nothing was changed.',
      ],
    ]);
    const unknown = await world(new FakeBackend(new Set())).run(["--secrets-provider", "vault"]);
    expect([unknown.code, unknown.errors]).to.deep.equal([
      EXIT_CODES.usage,
      [
        '[--secrets-provider] "vault" is not a secrets provider; accepted: default, passphrase, awskms://<key id or alias/name>?region=<region>, azurekeyvault://..., gcpkms://..., hashivault://...',
      ],
    ]);
  });

  it("reports a failed stack init as a failed operation (exit 1) with the CLI's cause", async () => {
    const backend = new FakeBackend(new Set(), CLOUD, {
      create: new Error("code: 255\n stderr: error: [403] Forbidden: you are not a member of acme\n"),
    });
    const result = await world(backend).run(["dev"]);
    expect([result.code, result.errors]).to.deep.equal([
      EXIT_CODES.failed,
      ["Could not create stack dev: [403] Forbidden: you are not a member of acme"],
    ]);
  });

  it("answers --help with its usage, and refuses unknown stacks and options (exit 2)", async () => {
    const setup = world(new FakeBackend(new Set()));
    expect(await setup.run(["--help"])).to.deep.equal({ code: EXIT_CODES.ok, printed: [USAGE], errors: [] });
    expect(await setup.run(["staging"])).to.deep.equal({
      code: EXIT_CODES.usage,
      printed: [],
      errors: ["[stack] no stack file for staging; stacks here: dev, prod"],
    });
    const unknownOption = await setup.run(["--upsert"]);
    expect([unknownOption.code, unknownOption.errors[0].split("\n")[0]]).to.deep.equal([
      EXIT_CODES.usage,
      "Unknown option '--upsert'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--upsert\"",
    ]);
    expect(setup.opened()).to.equal(0);
  });
});
