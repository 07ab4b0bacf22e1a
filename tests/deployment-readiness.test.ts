import { expect } from "chai";
import { deploymentProblems } from "../config/deployment-readiness";
import { loadStackConfig, PROJECT_NAME, readStackConfigFile, stackFileAccountClaim } from "../config/load";
import { parseLakehouseConfig, StackConfigError } from "../config/stack-config";
import { captureWithPulumiConfig } from "./helpers/graph";
import { problemsOf } from "./helpers/config-problems";

const PROD_NEEDS_ALERTS =
  "[lakehouse.pipeline.alertEmails] prod needs at least one address: a failed pipeline run alerts nobody otherwise";
const PROD_NEEDS_ACCOUNT =
  "[aws:allowedAccountIds] prod must name its account: with credentials of any other account the provider then refuses to deploy";
const placeholder = (id: string) =>
  `[aws:allowedAccountIds] ${id} is an account id of the AWS documentation, a placeholder: put the id of the account this stack deploys to`;

/**
 * Runs the program's loader (index.ts) on `config` as Pulumi config of `stack`, as `pulumi up` runs it
 * (or as a preview, `preview: true`); its error, if any.
 */
async function loaderError(
  stack: string,
  config: Record<string, string>,
  preview: boolean = false,
): Promise<string[] | undefined> {
  const { error } = await captureWithPulumiConfig(stack, config, () => loadStackConfig(), preview);
  return (error as StackConfigError | undefined)?.problems;
}

describe("what a deployment needs beyond a valid configuration (config/deployment-readiness.ts)", () => {
  it("refuses the committed prod file until it names its account and an alert address", () => {
    const prod = readStackConfigFile("prod");
    expect(deploymentProblems({ stack: "prod", config: prod }, [stackFileAccountClaim("dev")])).to.deep.equal(
      [PROD_NEEDS_ALERTS, placeholder("444455556666")],
    );
  });

  it("refuses the committed dev file until it names its real account", () => {
    const dev = readStackConfigFile("dev");
    expect(deploymentProblems({ stack: "dev", config: dev }, [stackFileAccountClaim("prod")])).to.deep.equal([
      placeholder("111122223333"),
    ]);
  });

  it("accepts prod with its account and an address; requires the account list in prod", () => {
    const ready = parseLakehouseConfig({
      ...readStackConfigFile("prod"),
      aws: { allowedAccountIds: ["210987654321"] },
      pipeline: { alertEmails: ["oncall@data.corp.internal"] },
    });
    expect(deploymentProblems({ stack: "prod", config: ready }, [])).to.deep.equal([]);
    expect(deploymentProblems({ stack: "prod", config: { ...ready, aws: {} } }, [])).to.deep.equal([
      PROD_NEEDS_ACCOUNT,
    ]);
  });

  it("is what pulumi up runs: the loader refuses prod without an address, naming every key, before any resource", async () => {
    expect(
      await loaderError("prod", {
        "aws:region": "eu-west-1",
        [`${PROJECT_NAME}:lakehouse`]: JSON.stringify({ environment: "prod", protect: true }),
      }),
    ).to.deep.equal([
      PROD_NEEDS_ALERTS,
      PROD_NEEDS_ACCOUNT,
      "[lakehouse.accountSettings.owner] stacks prod and dev both own the account settings in eu-west-1 and prod declares no aws:allowedAccountIds, so they may share an account: declare each stack's account in aws:allowedAccountIds, or let one of them own the settings",
    ]);
  });

  it("lets a preview (and the offline plan and policy check) of that prod run, reporting instead of refusing", async () => {
    const prod = {
      "aws:region": "eu-west-1",
      [`${PROJECT_NAME}:lakehouse`]: JSON.stringify({ environment: "prod", protect: true }),
    };
    expect([await loaderError("prod", prod, true), await loaderError("prod", prod, false)]).to.deep.equal([
      undefined,
      [
        PROD_NEEDS_ALERTS,
        PROD_NEEDS_ACCOUNT,
        "[lakehouse.accountSettings.owner] stacks prod and dev both own the account settings in eu-west-1 and prod declares no aws:allowedAccountIds, so they may share an account: declare each stack's account in aws:allowedAccountIds, or let one of them own the settings",
      ],
    ]);
  });

  it("lets a dev-like stack that declares its own account deploy", async () => {
    expect(
      await loaderError("staging", {
        "aws:region": "eu-west-1",
        "aws:allowedAccountIds": '["210987654321"]',
        [`${PROJECT_NAME}:lakehouse`]: JSON.stringify({ environment: "dev" }),
      }),
    ).to.equal(undefined);
  });
});

describe("alert addresses", () => {
  const minimal = { environment: "dev", region: "eu-west-1" };
  const reserved = (address: string, domain: string) =>
    `"${address}" is in a domain reserved for examples (${domain}): alerts sent there reach nobody`;

  it("refuses addresses in domains reserved for examples, in every environment", () => {
    expect(
      problemsOf({
        ...minimal,
        pipeline: {
          alertEmails: [
            "data-platform-alerts@example.com",
            "ops@alerts.example.org",
            "ops@example.net",
            "ops@lakehouse.test",
            "ops@corp.example",
            "ops@host.invalid",
            "ops@localhost.localhost",
          ],
        },
      }),
    ).to.deep.equal([
      `[lakehouse.pipeline.alertEmails.0] ${reserved("data-platform-alerts@example.com", "example.com")}`,
      `[lakehouse.pipeline.alertEmails.1] ${reserved("ops@alerts.example.org", "example.org")}`,
      `[lakehouse.pipeline.alertEmails.2] ${reserved("ops@example.net", "example.net")}`,
      `[lakehouse.pipeline.alertEmails.3] ${reserved("ops@lakehouse.test", "test")}`,
      `[lakehouse.pipeline.alertEmails.4] ${reserved("ops@corp.example", "example")}`,
      `[lakehouse.pipeline.alertEmails.5] ${reserved("ops@host.invalid", "invalid")}`,
      `[lakehouse.pipeline.alertEmails.6] ${reserved("ops@localhost.localhost", "localhost")}`,
    ]);
  });

  it("accepts real-looking domains that merely contain the word", () => {
    const config = parseLakehouseConfig({
      ...minimal,
      pipeline: { alertEmails: ["ops@example-corp.io", "alerts@testing.co"] },
    });
    expect(config.pipeline.alertEmails).to.deep.equal(["ops@example-corp.io", "alerts@testing.co"]);
  });

  it("ships no placeholder address: the prod stack file has none, and none is a default", () => {
    expect(readStackConfigFile("prod").pipeline.alertEmails).to.deep.equal([]);
    expect(parseLakehouseConfig({ ...minimal, environment: "prod" }).pipeline.alertEmails).to.deep.equal([]);
  });
});
