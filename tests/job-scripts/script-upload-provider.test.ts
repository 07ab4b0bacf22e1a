import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { contentHashOf } from "../../components/job-scripts/packaged-file";
import {
  ScriptUploadInputs,
  ScriptUploadOutputs,
  scriptUploadProvider,
  uploadPrefix,
} from "../../components/job-scripts/script-upload-provider";
import { sha256 } from "../../components/job-scripts/sha256";
import { S3_BUCKET_NAME_RULE } from "../../components/s3-bucket-name";
import { emulatorEnvironment, useEnvironment } from "../helpers/aws-environment";
import { S3_SLOW_DOWN, startFaultProxy } from "../helpers/fault-proxy";
import { MOTO_CREDENTIALS, MotoServer, startMoto } from "../helpers/moto-server";
import { captureProviderLog } from "../helpers/provider-log";
import { PROVIDER_FORMS } from "../helpers/serialized-provider";
import { inputsFor, makeJobsDir, removeJobsDirs } from "./fixtures";

type Provider = pulumi.dynamic.ResourceProvider<ScriptUploadInputs, ScriptUploadOutputs>;

const REGION = "eu-west-1";
const NOT_LOWERCASE = `it has a character other than a lowercase letter, a digit, a period or a hyphen; accepted: ${S3_BUCKET_NAME_RULE}`;
const IP_ADDRESS = `it is formatted as an IP address; accepted: ${S3_BUCKET_NAME_RULE}`;
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("script upload provider: check and diff", () => {
  const file = (name: string, text: string) => ({ name, sha256: sha256(Buffer.from(text)) });
  const files = [file("bronze_ingest.py", "print(1)\n")];
  const base: ScriptUploadInputs = {
    region: REGION,
    bucket: "artifacts-bucket",
    kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    contentHash: contentHashOf(files),
    files,
    packageDir: "/build/job-packages/abc",
  };

  const refused: [string, Partial<ScriptUploadInputs>, { property: string; reason: string }[]][] = [
    [
      "a bad bucket name",
      { bucket: "Bad_Bucket" },
      [{ property: "bucket", reason: `"Bad_Bucket" is not an S3 bucket name: ${NOT_LOWERCASE}` }],
    ],
    [
      "a bucket named like an IP address",
      { bucket: "10.0.0.1" },
      [{ property: "bucket", reason: `"10.0.0.1" is not an S3 bucket name: ${IP_ADDRESS}` }],
    ],
    [
      "a credential in the AWS connection",
      { aws: { region: REGION, secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } as never },
      [
        {
          property: "aws",
          reason:
            "[aws.secretAccessKey] is a credential, and a dynamic resource's inputs are stored in the state in plain text: give the stack aws:profile, environment credentials or aws:assumeRoles instead",
        },
      ],
    ],
    [
      "an AWS connection in another region",
      { aws: { region: "us-east-1" } },
      [
        {
          property: "aws",
          reason:
            '[aws.region] "us-east-1" differs from the resource\'s region "eu-west-1"; accepted: the same region',
        },
      ],
    ],
    [
      "a content hash that is not SHA-256",
      { contentHash: "h1" },
      [{ property: "contentHash", reason: '"h1" must be 64 hex digits (SHA-256)' }],
    ],
    [
      "a content hash that does not match the files",
      { contentHash: sha256(Buffer.from("other")) },
      [{ property: "contentHash", reason: "does not match the files' names and hashes" }],
    ],
    ["no files", { files: [] }, [{ property: "files", reason: "there must be at least one file to upload" }]],
    [
      "a path as a file name",
      { files: [file("../x.py", "x")] },
      [{ property: "files", reason: '"../x.py" must be a plain .py or .zip file name' }],
    ],
    [
      "a file hash that is not SHA-256",
      { files: [{ name: "a.py", sha256: "abc" }] },
      [{ property: "files", reason: '"a.py" has sha256 "abc", not 64 hex digits' }],
    ],
    [
      "no package folder",
      { packageDir: "" },
      [{ property: "packageDir", reason: "the folder the program wrote the package to is required" }],
    ],
  ];

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      let provider: Provider;
      before(async () => {
        provider = await form.load(scriptUploadProvider());
      });

      for (const [label, override, failures] of refused) {
        it(`refuses ${label} at preview`, async () => {
          expect((await provider.check!(base, { ...base, ...override })).failures).to.deep.equal(failures);
        });
      }

      it("tolerates values unknown during preview", async () => {
        expect(
          (await provider.check!(base, { ...base, bucket: UNKNOWN, contentHash: UNKNOWN })).failures,
        ).to.deep.equal([]);
      });

      it("changes only when the content, bucket, key or region changes, never for the package folder, and never replaces", async () => {
        const olds: ScriptUploadOutputs = {
          region: base.region,
          bucket: base.bucket,
          kmsKeyArn: base.kmsKeyArn,
          contentHash: base.contentHash,
          prefix: uploadPrefix(base.contentHash),
          objects: { "bronze_ingest.py": files[0].sha256 },
        };
        const same = { changes: false, replaces: [], deleteBeforeReplace: false };
        expect(await provider.diff!("id", olds, base)).to.deep.equal(same);
        expect(
          await provider.diff!("id", olds, { ...base, packageDir: "/home/ci/work/build/job-packages/abc" }),
        ).to.deep.equal(same);
        const v2 = [file("bronze_ingest.py", "print(2)\n")];
        expect(
          await provider.diff!("id", olds, { ...base, files: v2, contentHash: contentHashOf(v2) }),
        ).to.deep.equal({
          changes: true,
          replaces: [],
          deleteBeforeReplace: false,
        });
      });

      it("stores a changed AWS connection (an update; the same keys in another order are no change)", async () => {
        const aws = { region: REGION, endpoints: { s3: "https://s3.vpce.internal" }, maxAttempts: 4 };
        const olds: ScriptUploadOutputs = {
          region: base.region,
          aws,
          bucket: base.bucket,
          kmsKeyArn: base.kmsKeyArn,
          contentHash: base.contentHash,
          prefix: uploadPrefix(base.contentHash),
          objects: { "bronze_ingest.py": files[0].sha256 },
        };
        const reordered = { maxAttempts: 4, endpoints: { s3: "https://s3.vpce.internal" }, region: REGION };
        expect(await provider.diff!("id", olds, { ...base, aws: reordered })).to.deep.include({
          changes: false,
        });
        expect(await provider.diff!("id", olds, { ...base, aws: { region: REGION } })).to.deep.include({
          changes: true,
        });
      });
    });
  }
});

describe("script upload provider against moto S3 (AWS settings from the environment)", function () {
  this.timeout(60000);
  let moto: MotoServer;
  let s3: S3Client;
  let restoreEnvironment: () => void;
  let buildDir: string;
  let restoreLog: () => void;
  // moto records the key id S3 was asked to use; it does not need the key to exist.
  const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/0b8e7f1c-6d0b-4a34-9d0a-7c1f2e3d4b5a";
  const bucket = "lakehouse-artifacts";

  before(async () => {
    buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "job-packages-"));
    moto = await startMoto();
    s3 = new S3Client({
      region: REGION,
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: MOTO_CREDENTIALS,
    });
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    restoreEnvironment = useEnvironment(emulatorEnvironment(moto.endpoint));
  });
  after(async () => {
    restoreEnvironment();
    removeJobsDirs();
    fs.rmSync(buildDir, { recursive: true, force: true });
    await moto.stop();
  });
  beforeEach(() => {
    restoreLog = captureProviderLog().restore;
  });
  afterEach(() => restoreLog());

  const keysUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();

  for (const form of PROVIDER_FORMS) {
    describe(form.name, () => {
      let provider: Provider;
      before(async () => {
        provider = await form.load(scriptUploadProvider());
      });
      /** A version of the job code of its own, so the two forms never share a prefix. */
      const version = (label: string) =>
        inputsFor(
          buildDir,
          bucket,
          keyArn,
          makeJobsDir({ "lakehouse_jobs/io/paths.py": `ROOT = '${label}, ${form.name}'\n` }),
        );

      it("uploads every artifact under the content-addressed prefix, SSE-KMS with the key; the state holds no bytes", async () => {
        const inputs = await version("first");
        const created = await provider.create(inputs);
        const prefix = uploadPrefix(inputs.contentHash);
        expect(created.id).to.equal(`s3://${bucket}/${prefix}`);
        expect(await keysUnder(prefix)).to.deep.equal(
          ["bronze_ingest.py", "gold_daily_metrics.py", "lakehouse_jobs.zip"].map((n) => `${prefix}${n}`),
        );
        const head = await s3.send(
          new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}lakehouse_jobs.zip` }),
        );
        expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.ContentType]).to.deep.equal([
          "aws:kms",
          keyArn,
          "application/zip",
        ]);
        expect(head.Metadata).to.deep.equal({ "content-sha256": inputs.files[2].sha256 });
        expect(created.outs).to.deep.equal({
          region: REGION,
          bucket,
          kmsKeyArn: keyArn,
          prefix,
          contentHash: inputs.contentHash,
          objects: Object.fromEntries(inputs.files.map((f) => [f.name, f.sha256])),
        });
      });

      it("refuses a package file that changed after the program wrote it, uploading nothing", async () => {
        const inputs = await version("tampered");
        const zip = path.join(inputs.packageDir, "lakehouse_jobs.zip");
        const original = fs.readFileSync(zip);
        fs.writeFileSync(zip, Buffer.concat([original, Buffer.from("x")]));
        try {
          const message = await provider.create(inputs).then(
            () => "no error",
            (e: Error) => e.message,
          );
          expect(message).to.equal(
            `job package file ${zip} has sha256 ${sha256(fs.readFileSync(zip))}, not the ${inputs.files[2].sha256} the program declared: it changed after the program wrote it; nothing was uploaded, run the update again`,
          );
          expect(await keysUnder(uploadPrefix(inputs.contentHash))).to.deep.equal([]);
        } finally {
          fs.writeFileSync(zip, original);
        }
      });

      it("reads back an intact upload unchanged and reports a deleted object as drift", async () => {
        const inputs = await version("read");
        const { id, outs } = await provider.create(inputs);
        expect((await provider.read!(id, outs)).props).to.deep.equal(outs);
        await s3.send(
          new DeleteObjectCommand({
            Bucket: bucket,
            Key: `${uploadPrefix(inputs.contentHash)}gold_daily_metrics.py`,
          }),
        );
        const drifted = (await provider.read!(id, outs)).props as ScriptUploadOutputs;
        expect(drifted.contentHash).to.equal(`drifted:${inputs.contentHash}`);
        expect(Object.keys(drifted.objects)).to.deep.equal(["bronze_ingest.py", "lakehouse_jobs.zip"]);
        expect((await provider.diff!(id, drifted, inputs)).changes).to.equal(true);
      });

      it("uploads new code under a new prefix and keeps the old version for running jobs", async () => {
        const v1 = await version("v1");
        const v2 = await version("v2");
        const { id, outs } = await provider.create(v1);
        await provider.update!(id, outs!, v2);
        await provider.delete!(id, outs!);
        expect(await keysUnder(uploadPrefix(v1.contentHash))).to.have.length(3);
        expect(await keysUnder(uploadPrefix(v2.contentHash))).to.have.length(3);
        expect(uploadPrefix(v1.contentHash)).not.to.equal(uploadPrefix(v2.contentHash));
      });

      it("rides out S3 throttling with the SDK's retry strategy", async () => {
        const proxy = await startFaultProxy(moto.port, (request, index) =>
          request.method === "PUT" && index < 2 ? S3_SLOW_DOWN : undefined,
        );
        const restore = useEnvironment(emulatorEnvironment(proxy.endpoint));
        try {
          const inputs = await version("throttled");
          await provider.create(inputs);
          expect(proxy.requests.slice(0, 3)).to.deep.equal(
            Array(3).fill(
              `PUT /${bucket}/${uploadPrefix(inputs.contentHash)}bronze_ingest.py?x-id=PutObject`,
            ),
          );
          expect(await keysUnder(uploadPrefix(inputs.contentHash))).to.have.length(3);
        } finally {
          restore();
          await proxy.close();
        }
      });

      it("fails with the object and S3's error when access is denied, uploading nothing after it", async () => {
        const denied = {
          status: 403,
          body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
        };
        const proxy = await startFaultProxy(moto.port, (request) =>
          request.url.includes("gold_daily_metrics") ? denied : undefined,
        );
        const restore = useEnvironment(emulatorEnvironment(proxy.endpoint));
        try {
          const inputs = await version("denied");
          const message = await provider.create(inputs).then(
            () => "no error",
            (e: Error) => e.message,
          );
          expect(message).to.equal(
            `uploading s3://${bucket}/${uploadPrefix(inputs.contentHash)}gold_daily_metrics.py failed: AccessDenied: Access Denied`,
          );
          expect(await keysUnder(uploadPrefix(inputs.contentHash))).to.deep.equal([
            `${uploadPrefix(inputs.contentHash)}bronze_ingest.py`,
          ]);
        } finally {
          restore();
          await proxy.close();
        }
      });
    });
  }
});
