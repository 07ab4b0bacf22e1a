import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateWorkGroupCommand } from "@aws-sdk/client-athena";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { awsSdkConnection } from "../components/aws-sdk-config";
import {
  createAwsClients,
  destroyAwsClients,
  SDK_MAX_ATTEMPTS,
} from "../components/iceberg-table/aws-clients";
import { icebergTableProvider } from "../components/iceberg-table/provider";
import {
  scriptUploadProvider,
  UPLOAD_MAX_ATTEMPTS,
  uploadS3Client,
} from "../components/job-scripts/script-upload-provider";
import { parseLakehouseConfig } from "../config/stack-config";
import { useEnvironment, writeProfileFiles } from "./helpers/aws-environment";
import { EVERY_AWS_SETTING, MOTO_ROLES, settingsThroughEndpoint } from "./helpers/aws-settings-fixture";
import { emulatorClients } from "./helpers/emulator-clients";
import { S3_SLOW_DOWN, startFaultProxy } from "./helpers/fault-proxy";
import { seedLiveTable } from "./helpers/iceberg-fixture";
import { resetMoto } from "./helpers/moto-athena";
import { MOTO_CREDENTIALS, MotoServer, startMoto } from "./helpers/moto-server";
import { captureProviderLog } from "./helpers/provider-log";
import { PROVIDER_FORMS } from "./helpers/serialized-provider";
import { SigningRecorder, startSigningRecorder } from "./helpers/signing-recorder";
import { FAST_POLLING, inputsOf, ORDERS, shapeOf, WORKGROUP } from "./iceberg-table/orders-fixture";
import { inputsFor, makeJobsDir, removeJobsDirs } from "./job-scripts/fixtures";

/*
 * Issue 16: the stack's AWS settings reach the SDK clients of both dynamic providers (IcebergTable's
 * Athena, Glue and S3; the job upload's S3), through the resource's `aws` input, in both the form the
 * providers are written in and the form the engine runs. Unit: every supported setting in the clients'
 * resolved configuration. Against moto, through a recorder that sees each request's signature: the
 * endpoints, the profile from the shared files, the chain of assumed roles with STS in its region, the
 * region, and the attempts per call, with the environment pointing elsewhere so only the settings can
 * explain what the recorder sees.
 */

const minimal = { environment: "dev", region: "eu-west-1" };
const [FIRST_ROLE, SECOND_ROLE] = MOTO_ROLES;
const PROFILE_KEY = "AKIAPROFILEKEY000001";
const ENVIRONMENT_KEY = "AKIAENVIRONMENT00001";

describe("the stack's AWS settings in the SDK clients the dynamic providers build", () => {
  const every = awsSdkConnection(parseLakehouseConfig({ ...minimal, aws: EVERY_AWS_SETTING }));

  it("IcebergTable: region, endpoint, retries, FIPS and dual-stack in its Athena, Glue and S3 clients", async () => {
    const clients = await createAwsClients(every);
    try {
      const resolved = await Promise.all(
        (["athena", "glue", "s3"] as const).map(async (service) => {
          const config = clients[service].config;
          return [
            service,
            await config.region(),
            (await config.endpoint?.())?.hostname,
            await config.maxAttempts(),
            config.retryMode,
            await config.useFipsEndpoint(),
            await config.useDualstackEndpoint(),
            typeof config.credentials,
          ];
        }),
      );
      expect(resolved).to.deep.equal([
        ["athena", "eu-west-1", undefined, 6, "adaptive", false, true, "function"],
        ["glue", "eu-west-1", "glue.vpce.example.internal", 6, "adaptive", false, true, "function"],
        ["s3", "eu-west-1", undefined, 6, "adaptive", false, true, "function"],
      ]);
      expect(clients.s3.config.forcePathStyle).to.equal(true);
    } finally {
      destroyAwsClients(clients);
    }
  });

  it("the job upload: the same settings in its S3 client", async () => {
    const s3 = await uploadS3Client({ region: "eu-west-1", aws: every }, UPLOAD_MAX_ATTEMPTS);
    try {
      expect([
        await s3.config.region(),
        await s3.config.maxAttempts(),
        s3.config.retryMode,
        await s3.config.useFipsEndpoint(),
        await s3.config.useDualstackEndpoint(),
        s3.config.forcePathStyle,
        typeof s3.config.credentials,
      ]).to.deep.equal(["eu-west-1", 6, "adaptive", false, true, true, "function"]);
    } finally {
      s3.destroy();
    }
  });

  it("with only a region, each provider keeps its own retry default and the SDK's chain", async () => {
    const clients = await createAwsClients({ region: "eu-west-1" });
    const s3 = await uploadS3Client({ region: "eu-west-1" }, UPLOAD_MAX_ATTEMPTS);
    try {
      expect([
        await clients.glue.config.maxAttempts(),
        clients.glue.config.retryMode,
        clients.glue.config.endpoint,
        await s3.config.maxAttempts(),
        s3.config.retryMode,
      ]).to.deep.equal([SDK_MAX_ATTEMPTS, "standard", undefined, 5, "standard"]);
    } finally {
      destroyAwsClients(clients);
      s3.destroy();
    }
  });
});

describe("the stack's AWS settings in the providers' calls (moto behind a signing recorder)", function () {
  this.timeout(60000);
  let moto: MotoServer;
  let recorder: SigningRecorder;
  let dir: string;
  let files: { readonly config: string; readonly credentials: string };
  let restoreEnvironment: () => void;
  let restoreLog: () => void;
  const aws = () => emulatorClients(moto.endpoint);

  /** The stack's settings: a profile in its own files, two roles in turn, STS in us-east-1, every endpoint here. */
  const connection = () =>
    awsSdkConnection(
      parseLakehouseConfig({
        ...minimal,
        aws: {
          ...settingsThroughEndpoint(recorder.endpoint, "lakehouse-dev", files),
        },
      }),
    );

  /** The inputs of a job code upload to a fresh artifacts bucket. */
  async function uploadInputs() {
    await aws().s3.send(
      new CreateBucketCommand({
        Bucket: "artifacts-bucket",
        CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
      }),
    );
    const key = "arn:aws:kms:eu-west-1:123456789012:key/k";
    return inputsFor(path.join(dir, "build"), "artifacts-bucket", key, makeJobsDir());
  }

  /** The role chain, then every other call signed by the last role's key in the table's region. */
  function expectSignedThroughTheRoles(): string[] {
    const [first, second, ...calls] = recorder.exchanges;
    expect([first.action, first.params.RoleArn, first.signedBy, first.signedRegion]).to.deep.equal([
      "AssumeRole",
      FIRST_ROLE,
      PROFILE_KEY,
      "us-east-1",
    ]);
    expect([second.action, second.params.RoleArn, second.signedBy, second.signedRegion]).to.deep.equal([
      "AssumeRole",
      SECOND_ROLE,
      first.issued?.accessKeyId,
      "us-east-1",
    ]);
    const lastRole = second.issued?.accessKeyId;
    expect(calls.map((c) => [c.signedBy, c.signedRegion])).to.deep.equal(
      calls.map(() => [lastRole, "eu-west-1"]),
    );
    return calls.map((c) => c.action);
  }

  before(async () => {
    moto = await startMoto();
    recorder = await startSigningRecorder(moto.port);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-aws-settings-"));
    files = writeProfileFiles(dir, "lakehouse-dev", {
      accessKeyId: PROFILE_KEY,
      secretAccessKey: MOTO_CREDENTIALS.secretAccessKey,
    });
    // The environment points elsewhere: only the settings can explain what the recorder sees.
    restoreEnvironment = useEnvironment({
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_ACCESS_KEY_ID: ENVIRONMENT_KEY,
      AWS_SECRET_ACCESS_KEY: "environment-secret",
    });
  });
  after(async () => {
    restoreEnvironment();
    removeJobsDirs();
    fs.rmSync(dir, { recursive: true, force: true });
    await recorder.close();
    await moto.stop();
  });
  beforeEach(async () => {
    restoreLog = captureProviderLog().restore;
    recorder.exchanges.length = 0;
    await resetMoto(moto.endpoint);
  });
  afterEach(() => restoreLog());

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      it("IcebergTable reaches Glue, S3 and Athena at the endpoints, as the last role of the chain", async () => {
        const clients = aws();
        await clients.athena.send(new CreateWorkGroupCommand({ Name: WORKGROUP }));
        await seedLiveTable(clients, shapeOf(ORDERS));
        const provider = await form.load(icebergTableProvider({ timing: FAST_POLLING }));
        const next = { ...ORDERS, columns: [...ORDERS.columns, { name: "channel", type: "string" }] };
        await provider.update!("sales.orders", { ...ORDERS }, inputsOf(next, { aws: connection() }));
        const actions = expectSignedThroughTheRoles();
        expect(actions.filter((a) => !a.startsWith("S3 "))).to.deep.equal([
          "AWSGlue.GetTable",
          "AWSGlue.GetTable",
          "AmazonAthena.StartQueryExecution",
          "AmazonAthena.GetQueryExecution",
          "AWSGlue.GetTable",
          "AWSGlue.UpdateTable",
        ]);
        expect(actions.filter((a) => a.startsWith("S3 "))).to.have.length(1);
        expect(actions.find((a) => a.startsWith("S3 "))).to.match(
          /^S3 GET \/lakehouse-data\/curated\/orders\/metadata\//,
        );
      });

      it("the job upload puts the code at the S3 endpoint, as the last role of the chain", async () => {
        const inputs = await uploadInputs();
        const provider = await form.load(scriptUploadProvider());
        await provider.create({ ...inputs, aws: connection() });
        const actions = expectSignedThroughTheRoles();
        expect(actions).to.deep.equal(
          inputs.files.map(
            (f) => `S3 PUT /artifacts-bucket/jobs/${inputs.contentHash.slice(0, 16)}/${f.name}`,
          ),
        );
      });

      it("the attempts per call are the stack's (aws:maxRetries + 1) in both providers", async () => {
        const proxy = await startFaultProxy(moto.port, (request) =>
          request.method === "PUT" ? S3_SLOW_DOWN : undefined,
        );
        try {
          const inputs = await uploadInputs();
          const throttled = {
            region: "eu-west-1",
            maxAttempts: 3,
            endpoints: { s3: proxy.endpoint },
            s3ForcePathStyle: true,
          };
          const restore = useEnvironment({ AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId });
          try {
            const provider = await form.load(scriptUploadProvider());
            const message = await provider.create({ ...inputs, aws: throttled }).then(
              () => "no error",
              (e: Error) => e.message,
            );
            expect(message).to.match(
              /^uploading s3:\/\/artifacts-bucket\/jobs\/[0-9a-f]{16}\/bronze_ingest\.py failed: SlowDown: /,
            );
          } finally {
            restore();
          }
          expect(proxy.requests.filter((r) => r.startsWith("PUT "))).to.have.length(3);
        } finally {
          await proxy.close();
        }
      });
    });
  }
});
