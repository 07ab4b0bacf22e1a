import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkAwsCredentials } from "../../automation/aws-credentials";
import { EXIT_CODES } from "../../cli/exit-codes";
import { findPulumiCli, MIN_PULUMI_CLI_VERSION } from "../../cli/pulumi-cli";
import { fakePulumiRoot } from "./fake-pulumi-root";
import { asyncToolError } from "../helpers/tool-errors";

async function prerequisiteMessage(run: () => Promise<unknown>): Promise<string> {
  const error = await asyncToolError(run);
  expect(error.exitCode).to.equal(EXIT_CODES.prerequisiteMissing);
  return error.message;
}

const INSTALL_HINT =
  "Install it: curl -fsSL https://get.pulumi.com | sh (Linux, macOS), brew install pulumi/tap/pulumi, " +
  "or the pulumi/actions step in GitHub Actions; then check it with: pulumi version";

/** A stand-in `pulumi` that only answers `pulumi version`. */
const fakeCli = (version: string): string => fakePulumiRoot(`echo "v${version}"`);

describe("preview prerequisites", () => {
  it("says how to install the Pulumi CLI when there is none (the Automation API's real lookup)", async () => {
    const root = path.join(os.tmpdir(), "no-pulumi-here");
    expect(await prerequisiteMessage(() => findPulumiCli(root))).to.equal(
      `No Pulumi CLI found (looked for ${root}/bin/pulumi). The project's Pulumi tools run it through the ` +
        `Automation API, which needs the CLI (${MIN_PULUMI_CLI_VERSION} or newer). ${INSTALL_HINT}`,
    );
  });

  it("refuses a CLI too old to keep stack tags on every backend", async () => {
    const root = fakeCli("3.200.0");
    try {
      expect(await prerequisiteMessage(() => findPulumiCli(root))).to.equal(
        `Pulumi CLI 3.200.0 is too old: the project's Pulumi tools need 3.211.0 or newer (stack tags on every backend). ${INSTALL_HINT}`,
      );
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it("accepts a recent CLI", async () => {
    const root = fakeCli("3.270.0");
    try {
      expect((await findPulumiCli(root)).version?.version).to.equal("3.270.0");
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  describe("AWS credentials (the SDK's real default chain)", () => {
    const saved = { ...process.env };
    const empty = path.join(os.tmpdir(), "no-aws-config-here");
    beforeEach(() => {
      for (const key of Object.keys(process.env).filter((k) => k.startsWith("AWS_"))) {
        delete process.env[key];
      }
      Object.assign(process.env, {
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SHARED_CREDENTIALS_FILE: empty,
        AWS_CONFIG_FILE: empty,
      });
    });
    afterEach(() => {
      for (const key of Object.keys(process.env).filter((k) => k.startsWith("AWS_"))) {
        delete process.env[key];
      }
      Object.assign(process.env, saved);
    });

    it("explains where credentials come from when there are none", async () => {
      const message = await prerequisiteMessage(() => checkAwsCredentials());
      expect(message).to.match(
        /^No AWS credentials found \(Could not load credentials from any providers\)\. /,
      );
      expect(message).to.contain(
        "In GitHub Actions, let aws-actions/configure-aws-credentials assume a role with the job's OIDC token " +
          '(role-to-assume); locally, set AWS_PROFILE or run "aws sso login".',
      );
    });

    it("passes with credentials in the environment", async () => {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" });
      await checkAwsCredentials();
    });
  });
});
