import { expect } from "chai";
import { CreateWorkGroupCommand, ListWorkGroupsCommand } from "@aws-sdk/client-athena";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateDatabaseCommand, CreateJobCommand, GetJobsCommand } from "@aws-sdk/client-glue";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { runCli } from "../../automation/cli";
import { judge, resourceTypeOf } from "../../automation/sweep";
import { awsSweeper } from "../../automation/sweep-aws";
import { PULL_REQUEST_TAG } from "../../automation/context";
import { EXIT_CODES } from "../../cli/exit-codes";
import { AwsClients } from "../../components/iceberg-table/aws-clients";
import { emulatorEnvironment, useEnvironment } from "../helpers/aws-environment";
import { emulatorClients } from "../helpers/emulator-clients";
import { MOTO_CREDENTIALS, MotoServer, startMoto } from "../helpers/moto-server";
import { fakeContext, FakeWorkspace, NOW } from "./fake-workspace";

const REGION = "eu-west-1";
const EXPIRED = "2025-11-20T00:00:00Z";
const LATER = "2025-12-01T00:00:00Z";
/** The tags the program gives a preview's resources (components/lakehouse.ts `defaultTags`). */
const previewTags = (pr: number, expiresAt = EXPIRED, stack = `pr-${pr}`) => ({
  Project: "iceberg-lakehouse",
  Environment: "preview",
  Stack: stack,
  ManagedBy: "pulumi",
  PullRequest: String(pr),
  ExpiresAt: expiresAt,
});
/** Why a resource of pull request 4 is deleted. */
const WHY = `stack pr-4 is gone, expired ${EXPIRED}`;
const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

describe("sweep: what previews left behind, found by their tags (Resource Groups Tagging API on moto)", function () {
  this.timeout(120000);
  let moto: MotoServer;
  let aws: AwsClients;
  let kms: KMSClient;
  let logs: CloudWatchLogsClient;
  let restore: () => void;
  const keys: Record<string, string> = {};

  async function bucket(name: string, tags: Record<string, string>, objects = 0) {
    await aws.s3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    await aws.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagList(tags) } }));
    await aws.s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }),
    );
    for (let i = 0; i < objects; i++) {
      await aws.s3.send(
        new PutObjectCommand({ Bucket: name, Key: "raw/orders/part.parquet", Body: `v${i}` }),
      );
    }
  }

  before(async () => {
    moto = await startMoto();
    aws = emulatorClients(moto.endpoint, REGION);
    const common = { region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
    kms = new KMSClient(common);
    logs = new CloudWatchLogsClient(common);
    // The sweep's clients find the emulator as the tool's would find AWS: through the environment.
    restore = useEnvironment(emulatorEnvironment(moto.endpoint));

    await bucket("lakehouse-data-pr4", previewTags(4), 3); // stack gone, expired: deleted, versions first
    await bucket("lakehouse-data-pr3", previewTags(3)); // its stack exists
    await bucket("lakehouse-data-pr5", previewTags(5, LATER)); // stack gone, not expired yet
    await bucket("lakehouse-data-pr6", previewTags(6, EXPIRED, "pr-7")); // tags disagree
    await bucket("lakehouse-data-dev", { ...previewTags(4), Environment: "dev" }); // not a preview
    await bucket("other-project-pr4", { ...previewTags(4), Project: "someone-else" });
    const key = await kms.send(
      new CreateKeyCommand({
        Tags: tagList(previewTags(4)).map(({ Key, Value }) => ({ TagKey: Key, TagValue: Value })),
      }),
    );
    keys.pr4 = key.KeyMetadata?.Arn ?? "";
    await logs.send(
      new CreateLogGroupCommand({ logGroupName: "/aws-glue/lakehouse-pr4", tags: previewTags(4) }),
    );
    await aws.glue.send(
      new CreateJobCommand({
        Name: "lakehouse-bronze-pr4",
        Role: "arn:aws:iam::123456789012:role/glue",
        Command: { Name: "glueetl", ScriptLocation: "s3://x/y.py" },
        Tags: previewTags(4),
      }),
    );
    await aws.glue.send(
      new CreateDatabaseCommand({
        DatabaseInput: { Name: "ecommerce_lakehouse_pr_4" },
        Tags: previewTags(4),
      }),
    );
    await aws.athena.send(
      new CreateWorkGroupCommand({ Name: "lakehouse-pr4", Tags: tagList(previewTags(4)) }),
    );
  });
  after(async () => {
    restore?.();
    await moto?.stop();
  });

  const world = () => {
    const workspace = new FakeWorkspace().withStack({ name: "pr-3" }, { [PULL_REQUEST_TAG]: "3" });
    const context = fakeContext(workspace, {
      awsSweeper: () => awsSweeper({ region: REGION }, { fromNodeProviderChain, fromTemporaryCredentials }),
    });
    return { workspace, context };
  };
  const sweep = async (...argv: string[]) => {
    const { context } = world();
    const errors: string[] = [];
    const code = await runCli(["sweep", ...argv], context, (text) => errors.push(text));
    return { code, errors, printed: context.printed };
  };
  const buckets = async () =>
    ((await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).sort();
  const accountArn = (service: string, resource: string) =>
    `arn:aws:${service}:${REGION}:123456789012:${resource}`;

  it("reads the type of every ARN it may meet", () => {
    expect(
      [
        "arn:aws:s3:::lakehouse-data-pr4",
        accountArn("kms", "key/1234"),
        accountArn("logs", "log-group:/aws-glue/x:*"),
        accountArn("glue", "job/bronze"),
        accountArn("athena", "workgroup/lakehouse"),
        accountArn("states", "stateMachine:pipeline"),
        "arn:aws:s3:::bucket/with/key",
      ].map(resourceTypeOf),
    ).to.deep.equal([
      "s3:bucket",
      "kms:key",
      "logs:log-group",
      "glue:job",
      "athena:workgroup",
      "states:stateMachine",
      "s3:object",
    ]);
  });

  it("judges only what every condition allows; a missing expiry is left for a person", () => {
    const live = new Set([3]);
    const resource = (tags: Record<string, string>) => ({ arn: "arn:aws:s3:::b", tags });
    expect(judge(resource(previewTags(4)), live, NOW).kind).to.equal("delete");
    expect(judge(resource(previewTags(3)), live, NOW).kind).to.equal("live");
    expect(judge(resource(previewTags(5, LATER)), live, NOW).kind).to.equal("keep");
    const noExpiry: Record<string, string> = previewTags(4);
    delete noExpiry.ExpiresAt;
    expect(judge(resource(noExpiry), live, NOW)).to.deep.include({
      kind: "report",
      why: "stack pr-4 is gone, but ExpiresAt is undefined",
    });
    expect(judge(resource({ ...previewTags(4), Stack: "dev" }), live, NOW)).to.deep.include({
      kind: "report",
      why: "its tags disagree (Stack dev, PullRequest 4)",
    });
  });

  it("a dry run (the default) lists what it would delete and deletes nothing", async () => {
    const { code, errors, printed } = await sweep();
    expect([code, errors]).to.deep.equal([EXIT_CODES.ok, []]);
    const why = WHY;
    expect([...printed].sort()).to.deep.equal(
      [
        `keep: arn:aws:s3:::lakehouse-data-pr5 (stack pr-5 is gone; it expires at ${LATER})`,
        "left for a person: arn:aws:s3:::lakehouse-data-pr6 (its tags disagree (Stack pr-7, PullRequest 6))",
        `left for a person: ${accountArn("glue", "database/ecommerce_lakehouse_pr_4")} (${why}; the sweep does not delete glue:database: delete it by hand)`,
        `would delete s3:bucket arn:aws:s3:::lakehouse-data-pr4 (${why})`,
        `would delete glue:job ${accountArn("glue", "job/lakehouse-bronze-pr4")} (${why})`,
        `would delete athena:workgroup ${accountArn("athena", "workgroup/lakehouse-pr4")} (${why})`,
        `would delete logs:log-group ${accountArn("logs", "log-group:/aws-glue/lakehouse-pr4")} (${why})`,
        `would delete kms:key ${keys.pr4} (${why})`,
        "sweep: 5 left behind by previews whose stack is gone (dry run: nothing deleted; --delete deletes), 2 left for a person, 1 not expired yet, 1 of existing previews",
      ].sort(),
    );
    expect(await buckets()).to.include("lakehouse-data-pr4");
  });

  it("--delete deletes them, buckets with every version first and the key last, leaving the rest", async () => {
    const { code, printed, errors } = await sweep("--delete");
    expect([code, errors]).to.deep.equal([EXIT_CODES.ok, []]);
    expect(printed.filter((line) => !/^(keep|left for a person):/.test(line))).to.deep.equal([
      `s3:bucket arn:aws:s3:::lakehouse-data-pr4: deleted, with every object version (${WHY})`,
      `glue:job ${accountArn("glue", "job/lakehouse-bronze-pr4")}: deleted (${WHY})`,
      `athena:workgroup ${accountArn("athena", "workgroup/lakehouse-pr4")}: deleted, with its saved queries (${WHY})`,
      `logs:log-group ${accountArn("logs", "log-group:/aws-glue/lakehouse-pr4")}: deleted (${WHY})`,
      `kms:key ${keys.pr4}: scheduled for deletion in 7 days, recoverable until then (${WHY})`,
      "sweep: 5 left behind by previews whose stack is gone, 5 deleted, 2 left for a person, 1 not expired yet, 1 of existing previews",
    ]);
    expect(await buckets()).to.deep.equal([
      "lakehouse-data-dev",
      "lakehouse-data-pr3",
      "lakehouse-data-pr5",
      "lakehouse-data-pr6",
      "other-project-pr4",
    ]);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keys.pr4 }))).KeyMetadata?.KeyState).to.equal(
      "PendingDeletion",
    );
    expect((await aws.glue.send(new GetJobsCommand({}))).Jobs ?? []).to.deep.equal([]);
    expect(
      ((await aws.athena.send(new ListWorkGroupsCommand({}))).WorkGroups ?? []).map((w) => w.Name),
    ).to.deep.equal(["primary"]);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).to.deep.equal([]);

    // Run again: the key is found once more (pending deletion) and left as it is.
    const again = await sweep("--delete");
    expect(again.printed).to.include(`kms:key ${keys.pr4}: already scheduled for deletion (${WHY})`);
  });
});
