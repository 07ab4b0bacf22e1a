import { expect } from "chai";
import {
  awsSettingsFromPulumiConfig,
  awsStackConfigValues,
  durationSeconds,
  SUPPORTED_AWS_SETTINGS,
} from "../config/aws-settings";
import { parseLakehouseConfig } from "../config/stack-config";
import { EVERY_AWS_SETTING, ROLE } from "./helpers/aws-settings-fixture";
import { problemsOf } from "./helpers/config-problems";

const minimal = { environment: "dev", region: "eu-west-1" };
describe("aws: settings of a stack file (config/aws-settings.ts)", () => {
  it("accepts every supported setting and normalises endpoints to one map", () => {
    const { aws } = parseLakehouseConfig({ ...minimal, aws: EVERY_AWS_SETTING });
    expect(aws).to.deep.equal({
      ...EVERY_AWS_SETTING,
      endpoints: { glue: "https://glue.vpce.example.internal", sts: "https://sts.eu-west-1.amazonaws.com" },
    });
  });

  it("supports exactly the region and the settings of its schema, none of them a credential", () => {
    expect(SUPPORTED_AWS_SETTINGS).to.deep.equal([
      "region",
      "profile",
      "sharedConfigFiles",
      "sharedCredentialsFiles",
      "assumeRoles",
      "assumeRole",
      "allowedAccountIds",
      "forbiddenAccountIds",
      "endpoints",
      "stsRegion",
      "maxRetries",
      "retryMode",
      "useFipsEndpoint",
      "useDualstackEndpoint",
      "s3UsePathStyle",
      "ignoreTags",
    ]);
  });

  it("reads the one-role aws:assumeRole as aws:assumeRoles", () => {
    const { aws } = parseLakehouseConfig({ ...minimal, aws: { assumeRole: { roleArn: ROLE } } });
    expect(aws).to.deep.equal({ assumeRoles: [{ roleArn: ROLE }] });
  });

  const supported = SUPPORTED_AWS_SETTINGS.map((s) => `aws:${s}`).join(", ");
  const credentials =
    "credentials do not belong in a stack file: use aws:profile, environment credentials or OIDC";
  const refused: [string, Record<string, unknown>, string[]][] = [
    ["an access key", { accessKey: "AKIAEXAMPLE" }, [`[aws:accessKey] ${credentials}`]],
    ["a secret key", { secretKey: "s" }, [`[aws:secretKey] ${credentials}`]],
    ["a session token", { token: "t" }, [`[aws:token] ${credentials}`]],
    [
      "default tags",
      { defaultTags: { tags: { Team: "x" } } },
      ["[aws:defaultTags] is set by the program (Project, Environment, Stack, ManagedBy)"],
    ],
    [
      "a setting for AWS imitations",
      { skipCredentialsValidation: true },
      [`[aws:skipCredentialsValidation] is not supported by this stack; supported: ${supported}`],
    ],
    ["a typo", { proflie: "dev" }, [`[aws:proflie] is not supported by this stack; supported: ${supported}`]],
    [
      "both account lists",
      { allowedAccountIds: ["210987654321"], forbiddenAccountIds: ["111122223333"] },
      ["[aws:forbiddenAccountIds] cannot be set with aws:allowedAccountIds: give one list"],
    ],
    [
      "an unquoted account id",
      { allowedAccountIds: [210987654321] },
      [
        '[aws:allowedAccountIds.0] must be a quoted 12-digit account id such as "111122223333" (unquoted, YAML reads a number and drops leading zeros)',
      ],
    ],
    [
      "a short account id",
      { allowedAccountIds: ["12345"] },
      ["[aws:allowedAccountIds.0] must be a 12-digit AWS account id"],
    ],
    [
      "both role forms",
      { assumeRoles: [{ roleArn: ROLE }], assumeRole: { roleArn: ROLE } },
      [
        "[aws:assumeRole] cannot be set with aws:assumeRoles: aws:assumeRole is the one-role form of aws:assumeRoles",
      ],
    ],
    [
      "a role that is not a role ARN",
      { assumeRoles: [{ roleArn: "lakehouse-deploy" }] },
      ["[aws:assumeRoles.0.roleArn] must be an IAM role ARN"],
    ],
    [
      "a session of 13 hours",
      { assumeRoles: [{ roleArn: ROLE, duration: "13h" }] },
      ['[aws:assumeRoles.0.duration] must be a duration from 15m to 12h, such as "1h" or "90m"'],
    ],
    [
      "an unknown assume-role key",
      { assumeRoles: [{ roleArn: ROLE, mfaSerial: "x" }] },
      ["[aws:assumeRoles.0] Unrecognized key(s) in object: 'mfaSerial'"],
    ],
    [
      "an endpoint of a service the stack does not call",
      { endpoints: [{ dynamodb: "http://localhost:8000" }] },
      ["[aws:endpoints.0] Unrecognized key(s) in object: 'dynamodb'"],
    ],
    [
      "an endpoint that is not a URL",
      { endpoints: [{ s3: "s3.local" }] },
      ["[aws:endpoints.0.s3] must be a URL such as https://glue.eu-west-1.amazonaws.com"],
    ],
    [
      "one service in two endpoint blocks",
      { endpoints: [{ s3: "http://a.test" }, { s3: "http://b.test" }] },
      ["[aws:endpoints] names s3 more than once"],
    ],
    [
      "two shared config files",
      { sharedConfigFiles: ["/a", "/b"] },
      ["[aws:sharedConfigFiles] must list exactly one file (the AWS SDK reads one)"],
    ],
    [
      "ignoring the stack's own tag",
      { ignoreTags: { keys: ["Environment"] } },
      [
        '[aws:ignoreTags.keys] "Environment" is one of the stack\'s own tags, which the policy pack and cost reports read',
      ],
    ],
    [
      "a retry mode the SDK lacks",
      { retryMode: "legacy" },
      ["[aws:retryMode] Invalid enum value. Expected 'standard' | 'adaptive', received 'legacy'"],
    ],
  ];
  for (const [label, aws, problems] of refused) {
    it(`refuses ${label}, naming the key`, () => {
      expect(problemsOf({ ...minimal, aws })).to.deep.equal(problems);
    });
  }

  it("reads Go durations as the provider does, in seconds", () => {
    expect(["1h", "90m", "1h30m", "3600s", "", "1d", "2h5"].map(durationSeconds)).to.deep.equal([
      3600,
      5400,
      5400,
      3600,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("reads Pulumi config values: text settings as text, the others as JSON, region left out", () => {
    expect(
      awsSettingsFromPulumiConfig({
        "aws:region": "eu-west-1",
        "aws:profile": "123",
        "aws:allowedAccountIds": '["210987654321"]',
        "aws:maxRetries": "5",
        "aws:s3UsePathStyle": "true",
        "aws:endpoints": '[{"s3":"http://localhost:4566"}]',
        "aws:unknownThing": "not json",
        "iceberg-lakehouse:lakehouse": "{}",
      }),
    ).to.deep.equal({
      profile: "123",
      allowedAccountIds: ["210987654321"],
      maxRetries: 5,
      s3UsePathStyle: true,
      endpoints: [{ s3: "http://localhost:4566" }],
      unknownThing: "not json",
    });
  });

  it("writes the settings back in the stack file's form, which parses to the same settings", () => {
    const { aws } = parseLakehouseConfig({ ...minimal, aws: EVERY_AWS_SETTING });
    const written = awsStackConfigValues(aws);
    expect(written).to.deep.equal(EVERY_AWS_SETTING);
    expect(parseLakehouseConfig({ ...minimal, aws: written }).aws).to.deep.equal(aws);
  });
});
