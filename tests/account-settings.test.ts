import { expect } from "chai";
import { derivePreviewConfig } from "../automation/preview-config";
import { AccountSettings } from "../components/account-settings";
import { accountOwnershipProblems, AccountClaim } from "../config/account-ownership";
import { committedStacks, readStackConfigFile, stackFileAccountClaim } from "../config/load";
import { createLakehouse } from "../components/lakehouse";
import { LakehouseConfig, parseLakehouseConfig } from "../config/stack-config";
import { PROJECT_NAME } from "../config/load";
import { captureResourceGraph, ResourceRecord } from "../offline/resource-graph";
import { captureStackGraph } from "../offline/stack-graph";
import { problemsOf } from "./helpers/config-problems";
import { componentGraph, jsonInput, ofType, resource } from "./helpers/graph";

const CATALOG_ENCRYPTION = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings";
const EMR_BLOCK = "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";
const minimal = { environment: "dev", region: "eu-west-1" };

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

/** The statement with `sid` in each role policy that has one, by role policy name. */
function statementsWithSid(graph: readonly ResourceRecord[], sid: string): Record<string, Statement> {
  return Object.fromEntries(
    ofType(graph, "aws:iam/rolePolicy:RolePolicy").flatMap((policy) =>
      jsonInput<{ Statement: Statement[] }>(policy, "policy")
        .Statement.filter((s) => s.Sid === sid)
        .map((s) => [policy.name, s]),
    ),
  );
}

describe("account-wide settings: one owner per account", () => {
  describe("configuration (accountSettings)", () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      [
        "a stack that owns nothing and names no key",
        { accountSettings: { owner: false } },
        [
          "[lakehouse.accountSettings.catalogKey] required when accountSettings.owner is false: the KMS key that encrypts this account's Data Catalog (the owner stack's key, such as \"alias/iceberg-lakehouse-dev\"), which this stack's Glue and EMR roles need to read the catalog",
        ],
      ],
      [
        "an owner naming another key",
        { accountSettings: { owner: true, catalogKey: "alias/x" } },
        [
          "[lakehouse.accountSettings.catalogKey] only accepted when accountSettings.owner is false: the owner encrypts the catalog with its own key",
        ],
      ],
      [
        "a preview environment that owns them",
        { environment: "preview" },
        [
          '[lakehouse.accountSettings.owner] true is not accepted when environment is "preview": a preview is destroyed with its pull request; set false and catalogKey to the owner\'s key',
        ],
      ],
      [
        "a catalog key of another region",
        {
          accountSettings: {
            owner: false,
            catalogKey: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          },
        },
        [
          "[lakehouse.accountSettings.catalogKey] is a key of us-east-1; the Data Catalog of this stack (eu-west-1) is encrypted with a key of its own region",
        ],
      ],
      [
        "a key named neither by ARN nor by alias",
        { accountSettings: { owner: false, catalogKey: "iceberg-lakehouse-dev" } },
        [
          '[lakehouse.accountSettings.catalogKey] must be a KMS key ARN or an alias name such as "alias/iceberg-lakehouse-dev" (aliases ARNs are not accepted)',
        ],
      ],
    ];
    for (const [label, override, problems] of cases) {
      it(`refuses ${label}`, () => {
        expect(problemsOf({ ...minimal, ...override })).to.deep.equal(problems);
      });
    }
  });

  describe("AccountSettings component", () => {
    it("in the owner: encrypts the catalog with the stack's key and blocks public EMR access, both retained", async () => {
      const graph = await componentGraph(
        () => new AccountSettings("account", { owner: true, kmsKeyArn: KEY }),
      );
      const encryption = resource(graph, CATALOG_ENCRYPTION, "account-catalog-encryption");
      expect(encryption.inputs.dataCatalogEncryptionSettings).to.deep.equal({
        encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY },
      });
      const block = resource(graph, EMR_BLOCK, "account-emr-block-public-access");
      expect(block.inputs).to.deep.equal({ blockPublicSecurityGroupRules: true });
      expect([encryption.retainOnDelete, block.retainOnDelete]).to.deep.equal([true, true]);
      const [component] = ofType(graph, "lakehouse:account:AccountSettings");
      expect(component.outputs).to.deep.equal({ owner: true });
    });

    it("elsewhere: sets neither, and records the owner's key it relies on", async () => {
      const graph = await componentGraph(
        () =>
          new AccountSettings("account", {
            owner: false,
            kmsKeyArn: KEY,
            catalogKey: "alias/iceberg-lakehouse-dev",
          }),
      );
      expect([ofType(graph, CATALOG_ENCRYPTION), ofType(graph, EMR_BLOCK)]).to.deep.equal([[], []]);
      expect(ofType(graph, "lakehouse:account:AccountSettings")[0].outputs).to.deep.equal({
        owner: false,
        catalogKey: "alias/iceberg-lakehouse-dev",
      });
    });

    it("refuses a key for the owner, or no key elsewhere, before creating anything", async () => {
      for (const args of [
        { owner: true, kmsKeyArn: KEY, catalogKey: "alias/x" },
        { owner: false, kmsKeyArn: KEY },
      ]) {
        expect(() => new AccountSettings("account", args)).to.throw(
          "AccountSettings account: [catalogKey] is given exactly when the stack does not own the settings",
        );
      }
    });
  });

  it("moves the catalog encryption from the GlueCatalog with an alias: updated in place, never re-created", async () => {
    // The runtime's monitor (as offline/resource-graph.ts uses it) shows the alias the engine receives.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings");
    type Request = { getName(): string; getAliasesList(): { toObject(): unknown }[] };
    let aliases: unknown[] = [];
    await captureResourceGraph({ project: PROJECT_NAME, stack: "dev", region: "eu-west-1" }, () => {
      const monitor = settings.getMonitor();
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (request: Request, callback: unknown) => {
        if (request.getName() === "lakehouse-account-catalog-encryption") {
          aliases = request.getAliasesList().map((alias) => JSON.parse(JSON.stringify(alias.toObject())));
        }
        return register(request, callback);
      };
      createLakehouse(readStackConfigFile("dev"));
    });
    expect(aliases).to.deep.equal([
      {
        spec: {
          name: "lakehouse-catalog-encryption",
          type: "",
          stack: "",
          project: "",
          parenturn:
            "urn:pulumi:dev::iceberg-lakehouse::lakehouse:index:Lakehouse$lakehouse:catalog:GlueCatalog::lakehouse-catalog",
        },
      },
    ]);
  });

  describe("a preview in dev's account", () => {
    const dev = readStackConfigFile("dev");
    const identity = { pullRequest: 12, expiresAt: "2030-01-31T00:00:00Z", emr: true };
    let preview: readonly ResourceRecord[];
    before(async () => {
      preview = await captureStackGraph("pr-12", derivePreviewConfig(dev, identity));
    });

    it("sets neither account-wide setting", () => {
      expect([ofType(preview, CATALOG_ENCRYPTION), ofType(preview, EMR_BLOCK)]).to.deep.equal([[], []]);
    });

    it("gives every Glue job role and the EMR instance role the rights on dev's catalog key, by its alias", () => {
      const grants = statementsWithSid(preview, "UseCatalogKeyOfAccountOwner");
      expect(Object.keys(grants).sort()).to.deep.equal([
        "job-bronze-ingest-access",
        "job-gold-daily-metrics-access",
        "job-maintenance-access",
        "job-silver-customers-access",
        "job-silver-orders-access",
        "lakehouse-emr-instance-access",
      ]);
      for (const grant of Object.values(grants)) {
        expect(grant).to.deep.equal({
          Sid: "UseCatalogKeyOfAccountOwner",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
          Resource: "arn:aws:kms:eu-west-1:123456789012:key/*",
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/iceberg-lakehouse-dev" } },
        });
      }
    });

    it("grants the key itself when the owner's key is named by ARN", async () => {
      const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      const config: LakehouseConfig = parseLakehouseConfig({
        ...dev,
        accountSettings: { owner: false, catalogKey: keyArn },
      });
      const grants = statementsWithSid(
        await captureStackGraph("staging", config),
        "UseCatalogKeyOfAccountOwner",
      );
      expect(Object.values(grants).map((g) => [g.Resource, g.Condition])).to.deep.equal(
        Object.values(grants).map(() => [keyArn, undefined]),
      );
      expect(Object.keys(grants)).to.have.length(5);
    });

    it("the owner's own roles need no such grant: the catalog key is their lakehouse key", async () => {
      expect(
        statementsWithSid(await captureStackGraph("dev", dev), "UseCatalogKeyOfAccountOwner"),
      ).to.deep.equal({});
    });
  });

  describe("owners across stacks (config/account-ownership.ts)", () => {
    const claim = (
      stack: string,
      owner: boolean,
      accountIds?: string[],
      region = "eu-west-1",
    ): AccountClaim => ({
      stack,
      region,
      owner,
      accountIds,
    });

    it("accepts the committed stacks: dev and prod own the settings of different accounts", () => {
      expect(committedStacks().map((stack) => stackFileAccountClaim(stack))).to.deep.equal([
        claim("dev", true, ["111122223333"]),
        claim("prod", true, ["444455556666"]),
      ]);
      expect(
        accountOwnershipProblems(committedStacks().map((stack) => stackFileAccountClaim(stack))),
      ).to.deep.equal([]);
    });

    it("refuses two owners of one account in one region, naming both stacks", () => {
      expect(
        accountOwnershipProblems([
          claim("dev", true, ["210987654321"]),
          claim("prod", true, ["210987654321"]),
        ]),
      ).to.deep.equal([
        '[lakehouse.accountSettings.owner] stacks dev and prod both own the account settings of account 210987654321 in eu-west-1: keep owner true in one, and in the other set owner false with catalogKey naming the owner\'s key (such as "alias/iceberg-lakehouse-dev")',
      ]);
    });

    it("refuses two owners in one region when either does not declare its account", () => {
      expect(
        accountOwnershipProblems([claim("dev", true), claim("prod", true, ["210987654321"])]),
      ).to.deep.equal([
        "[lakehouse.accountSettings.owner] stacks dev and prod both own the account settings in eu-west-1 and dev declares no aws:allowedAccountIds, so they may share an account: declare each stack's account in aws:allowedAccountIds, or let one of them own the settings",
      ]);
    });

    it("accepts one owner per account and region, and any number of stacks that are not owners", () => {
      expect(
        accountOwnershipProblems([
          claim("dev", true, ["210987654321"]),
          claim("qa", false),
          claim("staging", false, ["210987654321"]),
          claim("dr", true, ["210987654321"], "eu-central-1"),
        ]),
      ).to.deep.equal([]);
    });

    it("reports only the pairs of the stack being deployed when asked for one", () => {
      const claims = [claim("dev", true), claim("prod", true), claim("staging", true, ["210987654321"])];
      expect(accountOwnershipProblems(claims)).to.have.length(3);
      expect(accountOwnershipProblems(claims, "staging")).to.have.length(2);
    });
  });
});
