import { GetDatabasesCommand, GlueClient } from "@aws-sdk/client-glue";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  awsSdkClientConfig,
  awsSdkConnection,
  CredentialFactories,
  loadCredentialFactories,
} from "../components/aws-sdk-config";
import { parseLakehouseConfig } from "../config/stack-config";
import { writeProfileFiles } from "./helpers/aws-environment";
import { EVERY_AWS_SETTING, ROLE } from "./helpers/aws-settings-fixture";
import { SigningRecorder, startSigningRecorder } from "./helpers/signing-recorder";
import { MOTO_CREDENTIALS, MotoServer, startMoto } from "./helpers/moto-server";

const minimal = { environment: "dev", region: "eu-west-1" };

/** Stand-ins for the SDK's credential providers that record how they were called. */
function recordingFactories(): { factories: CredentialFactories; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const factories = {
    fromNodeProviderChain: (init: unknown) => {
      calls.push(["fromNodeProviderChain", init]);
      return `base(${JSON.stringify(init)})`;
    },
    fromTemporaryCredentials: (options: { params: { RoleArn: string } }) => {
      calls.push(["fromTemporaryCredentials", options]);
      return `role(${options.params.RoleArn})`;
    },
  } as unknown as CredentialFactories;
  return { factories, calls };
}

describe("AWS SDK configuration from the stack's aws: settings (components/aws-sdk-config.ts)", () => {
  const every = awsSdkConnection(parseLakehouseConfig({ ...minimal, aws: EVERY_AWS_SETTING }));

  it("turns every setting into the connection a dynamic resource may carry: names, ARNs, endpoints", () => {
    expect(every).to.deep.equal({
      region: "eu-west-1",
      profile: "lakehouse-dev",
      sharedConfigFile: "/home/ci/.aws/config",
      sharedCredentialsFile: "/home/ci/.aws/credentials",
      assumeRoles: [
        {
          roleArn: ROLE,
          sessionName: "pulumi-dev",
          externalId: "lakehouse-external-id",
          durationSeconds: 5400,
          policy: '{"Version":"2012-10-17","Statement":[]}',
          policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
          tags: { Team: "data-platform" },
          transitiveTagKeys: ["Team"],
          sourceIdentity: "ci-runner",
        },
      ],
      stsRegion: "eu-west-1",
      endpoints: { glue: "https://glue.vpce.example.internal", sts: "https://sts.eu-west-1.amazonaws.com" },
      maxAttempts: 6,
      retryMode: "adaptive",
      useFipsEndpoint: false,
      useDualstackEndpoint: true,
      s3ForcePathStyle: true,
    });
    // Plain data: it survives the state's JSON as it is.
    expect(JSON.parse(JSON.stringify(every))).to.deep.equal(every);
  });

  it("configures a client: region, its endpoint, retries, the profile as base, then the role via STS", () => {
    const { factories, calls } = recordingFactories();
    const glue = awsSdkClientConfig(every, "glue", factories);
    const base = {
      profile: "lakehouse-dev",
      configFilepath: "/home/ci/.aws/config",
      filepath: "/home/ci/.aws/credentials",
    };
    expect(glue).to.deep.equal({
      region: "eu-west-1",
      endpoint: "https://glue.vpce.example.internal",
      maxAttempts: 6,
      retryMode: "adaptive",
      useFipsEndpoint: false,
      useDualstackEndpoint: true,
      credentials: `role(${ROLE})`,
    });
    expect(calls).to.deep.equal([
      ["fromNodeProviderChain", base],
      [
        "fromTemporaryCredentials",
        {
          params: {
            RoleArn: ROLE,
            RoleSessionName: "pulumi-dev",
            ExternalId: "lakehouse-external-id",
            DurationSeconds: 5400,
            Policy: '{"Version":"2012-10-17","Statement":[]}',
            PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
            Tags: [{ Key: "Team", Value: "data-platform" }],
            TransitiveTagKeys: ["Team"],
            SourceIdentity: "ci-runner",
          },
          masterCredentials: `base(${JSON.stringify(base)})`,
          clientConfig: {
            region: "eu-west-1",
            endpoint: "https://sts.eu-west-1.amazonaws.com",
            maxAttempts: 6,
            retryMode: "adaptive",
            useFipsEndpoint: false,
            useDualstackEndpoint: true,
          },
        },
      ],
    ]);
  });

  it("gives S3 path-style addressing and no endpoint it was not given", () => {
    const s3 = awsSdkClientConfig(every, "s3", recordingFactories().factories);
    expect([s3.endpoint, s3.forcePathStyle]).to.deep.equal([undefined, true]);
    expect(s3).not.to.have.property("endpoint");
  });

  it("leaves everything to the SDK's defaults when the stack sets only the region", () => {
    const { factories, calls } = recordingFactories();
    const connection = awsSdkConnection(parseLakehouseConfig(minimal));
    expect(connection).to.deep.equal({ region: "eu-west-1" });
    expect(awsSdkClientConfig(connection, "athena", factories)).to.deep.equal({ region: "eu-west-1" });
    expect(calls).to.deep.equal([]);
  });

  it("assumes each role with the one before (the first without a base, from the default chain)", () => {
    const { factories, calls } = recordingFactories();
    const second = "arn:aws:iam::444455556666:role/lakehouse-prod";
    const connection = awsSdkConnection(
      parseLakehouseConfig({
        ...minimal,
        aws: { stsRegion: "us-east-1", assumeRoles: [{ roleArn: ROLE }, { roleArn: second }] },
      }),
    );
    expect(awsSdkClientConfig(connection, "athena", factories).credentials).to.equal(`role(${second})`);
    expect(calls).to.deep.equal([
      ["fromTemporaryCredentials", { params: { RoleArn: ROLE }, clientConfig: { region: "us-east-1" } }],
      [
        "fromTemporaryCredentials",
        {
          params: { RoleArn: second },
          masterCredentials: `role(${ROLE})`,
          clientConfig: { region: "us-east-1" },
        },
      ],
    ]);
  });

  describe("through the real SDK against STS and Glue (moto)", () => {
    let moto: MotoServer;
    let recorder: SigningRecorder;
    let dir: string;
    before(async () => {
      moto = await startMoto();
      recorder = await startSigningRecorder(moto.port);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-files-"));
    });
    after(async () => {
      await recorder.close();
      await moto.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("signs with the profile's keys, assumes both roles in turn, and calls Glue as the last role", async () => {
      const { credentials, config } = writeProfileFiles(dir, "lakehouse-dev", {
        accessKeyId: "AKIABASEPROFILE00001",
        secretAccessKey: MOTO_CREDENTIALS.secretAccessKey,
      });
      const second = "arn:aws:iam::444455556666:role/lakehouse-reader";
      const connection = awsSdkConnection(
        parseLakehouseConfig({
          ...minimal,
          aws: {
            profile: "lakehouse-dev",
            sharedConfigFiles: [config],
            sharedCredentialsFiles: [credentials],
            assumeRoles: [
              { roleArn: ROLE, sessionName: "deploy", externalId: "lakehouse-x", duration: "1h" },
              { roleArn: second, sessionName: "read" },
            ],
            endpoints: [{ sts: recorder.endpoint, glue: recorder.endpoint }],
          },
        }),
      );
      const glue = new GlueClient(awsSdkClientConfig(connection, "glue", await loadCredentialFactories()));
      try {
        await glue.send(new GetDatabasesCommand({}));
      } finally {
        glue.destroy();
      }
      const [first, next, call] = recorder.exchanges;
      expect(recorder.exchanges).to.have.length(3);
      expect([first.action, first.params, first.signedBy]).to.deep.equal([
        "AssumeRole",
        { RoleArn: ROLE, RoleSessionName: "deploy", ExternalId: "lakehouse-x", DurationSeconds: "3600" },
        "AKIABASEPROFILE00001",
      ]);
      expect([next.action, next.params, next.signedBy]).to.deep.equal([
        "AssumeRole",
        { RoleArn: second, RoleSessionName: "read" },
        first.issued?.accessKeyId,
      ]);
      expect([call.action, call.signedBy]).to.deep.equal(["AWSGlue.GetDatabases", next.issued?.accessKeyId]);
      expect(new Set([first.issued?.accessKeyId, next.issued?.accessKeyId]).size).to.equal(2);
    });
  });
});
