import { expect } from "chai";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { packageJobs } from "../../components/job-scripts/job-package";
import {
  ScriptUploadInputs,
  ScriptUploadOutputs,
  ScriptUploadProvider,
  uploadPrefix,
} from "../../components/job-scripts/script-upload-provider";
import { sha256 } from "../../components/job-scripts/sha256";
import { S3_SLOW_DOWN, startFaultProxy } from "../helpers/fault-proxy";
import { MOTO_CREDENTIALS, MotoServer, startMoto } from "../helpers/moto-server";
import { makeJobsDir, removeJobsDirs, SOURCE } from "./fixtures";

const REGION = "eu-west-1";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

async function inputsFor(
  bucket: string,
  kmsKeyArn: string,
  jobsDir = makeJobsDir(),
): Promise<ScriptUploadInputs> {
  const pkg = await packageJobs(SOURCE(jobsDir));
  return {
    region: REGION,
    bucket,
    kmsKeyArn,
    contentHash: pkg.contentHash,
    files: [...pkg.entryScripts, pkg.sharedPackage].map((f) => ({
      name: f.name,
      contentBase64: f.content.toString("base64"),
      sha256: f.sha256,
    })),
  };
}

describe("script upload provider: check and diff", () => {
  const provider = new ScriptUploadProvider();
  const file = (name: string, text: string) => ({
    name,
    contentBase64: Buffer.from(text).toString("base64"),
    sha256: sha256(Buffer.from(text)),
  });
  const base: ScriptUploadInputs = {
    region: REGION,
    bucket: "artifacts-bucket",
    kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    contentHash: sha256(Buffer.from("version 1")),
    files: [file("bronze_ingest.py", "print(1)\n")],
  };

  const refused: [string, Partial<ScriptUploadInputs>, { property: string; reason: string }[]][] = [
    [
      "a bad bucket name",
      { bucket: "Bad_Bucket" },
      [{ property: "bucket", reason: '"Bad_Bucket" is not an S3 bucket name' }],
    ],
    [
      "a content hash that is not SHA-256",
      { contentHash: "h1" },
      [{ property: "contentHash", reason: '"h1" must be 64 hex digits (SHA-256)' }],
    ],
    ["no files", { files: [] }, [{ property: "files", reason: "there must be at least one file to upload" }]],
    [
      "a path as a file name",
      { files: [file("../x.py", "x")] },
      [{ property: "files", reason: '"../x.py" must be a plain .py or .zip file name' }],
    ],
    [
      "content that does not match its hash",
      { files: [{ ...file("a.py", "x"), sha256: sha256(Buffer.from("y")) }] },
      [{ property: "files", reason: '"a.py" does not match its sha256' }],
    ],
  ];
  for (const [label, override, failures] of refused) {
    it(`refuses ${label} at preview`, async () => {
      expect((await provider.check(base, { ...base, ...override })).failures).to.deep.equal(failures);
    });
  }

  it("tolerates values unknown during preview", async () => {
    expect(
      (await provider.check(base, { ...base, bucket: UNKNOWN, contentHash: UNKNOWN })).failures,
    ).to.deep.equal([]);
  });

  it("changes only when the content, bucket, key or region changes, and never replaces", async () => {
    const olds: ScriptUploadOutputs = {
      ...base,
      prefix: uploadPrefix(base.contentHash),
      objects: { "bronze_ingest.py": base.files[0].sha256 },
    };
    expect(await provider.diff("id", olds, base)).to.deep.equal({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(
      await provider.diff("id", olds, { ...base, contentHash: sha256(Buffer.from("version 2")) }),
    ).to.deep.equal({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("script upload provider against moto S3", function () {
  this.timeout(60000);
  let moto: MotoServer;
  let s3: S3Client;
  // moto records the key id S3 was asked to use; it does not need the key to exist.
  const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/0b8e7f1c-6d0b-4a34-9d0a-7c1f2e3d4b5a";
  const bucket = "lakehouse-artifacts";
  const clientConfig = (endpoint: string) => ({
    endpoint,
    forcePathStyle: true,
    credentials: MOTO_CREDENTIALS,
  });

  before(async () => {
    moto = await startMoto();
    s3 = new S3Client({ region: REGION, ...clientConfig(moto.endpoint) });
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
  });
  after(async () => {
    removeJobsDirs();
    await moto.stop();
  });

  const keysUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();

  it("uploads every artifact under the content-addressed prefix, SSE-KMS with the key", async () => {
    const provider = new ScriptUploadProvider(clientConfig(moto.endpoint));
    const inputs = await inputsFor(bucket, keyArn);
    const created = await provider.create(inputs);
    expect(created.id).to.equal(`s3://${bucket}/${uploadPrefix(inputs.contentHash)}`);
    expect(await keysUnder(uploadPrefix(inputs.contentHash))).to.deep.equal(
      ["bronze_ingest.py", "gold_daily_metrics.py", "lakehouse_jobs.zip"].map(
        (n) => `${uploadPrefix(inputs.contentHash)}${n}`,
      ),
    );
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${uploadPrefix(inputs.contentHash)}lakehouse_jobs.zip` }),
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
      prefix: uploadPrefix(inputs.contentHash),
      contentHash: inputs.contentHash,
      objects: Object.fromEntries(inputs.files.map((f) => [f.name, f.sha256])),
    });
  });

  it("reads back an intact upload unchanged and reports a deleted object as drift", async () => {
    const provider = new ScriptUploadProvider(clientConfig(moto.endpoint));
    const inputs = await inputsFor(
      bucket,
      keyArn,
      makeJobsDir({ "lakehouse_jobs/io/paths.py": "ROOT = 'read'\n" }),
    );
    const { id, outs } = await provider.create(inputs);
    expect((await provider.read(id, outs)).props).to.deep.equal(outs);
    await s3.send(
      new DeleteObjectCommand({
        Bucket: bucket,
        Key: `${uploadPrefix(inputs.contentHash)}gold_daily_metrics.py`,
      }),
    );
    const drifted = (await provider.read(id, outs)).props as ScriptUploadOutputs;
    expect(drifted.contentHash).to.equal(`drifted:${inputs.contentHash}`);
    expect(Object.keys(drifted.objects)).to.deep.equal(["bronze_ingest.py", "lakehouse_jobs.zip"]);
    expect((await provider.diff(id, drifted, inputs)).changes).to.equal(true);
  });

  it("uploads new code under a new prefix and keeps the old version for running jobs", async () => {
    const provider = new ScriptUploadProvider(clientConfig(moto.endpoint));
    const v1 = await inputsFor(
      bucket,
      keyArn,
      makeJobsDir({ "lakehouse_jobs/io/paths.py": "ROOT = 'v1'\n" }),
    );
    const v2 = await inputsFor(
      bucket,
      keyArn,
      makeJobsDir({ "lakehouse_jobs/io/paths.py": "ROOT = 'v2'\n" }),
    );
    const { id, outs } = await provider.create(v1);
    await provider.update(id, outs as ScriptUploadOutputs, v2);
    await provider.delete(id);
    expect(await keysUnder(uploadPrefix(v1.contentHash))).to.have.length(3);
    expect(await keysUnder(uploadPrefix(v2.contentHash))).to.have.length(3);
    expect(uploadPrefix(v1.contentHash)).not.to.equal(uploadPrefix(v2.contentHash));
  });

  it("rides out S3 throttling with the SDK's retry strategy", async () => {
    const proxy = await startFaultProxy(moto.port, (request, index) =>
      request.method === "PUT" && index < 2 ? S3_SLOW_DOWN : undefined,
    );
    try {
      const provider = new ScriptUploadProvider(clientConfig(proxy.endpoint));
      const inputs = await inputsFor(
        bucket,
        keyArn,
        makeJobsDir({ "lakehouse_jobs/io/paths.py": "ROOT = 'throttled'\n" }),
      );
      await provider.create(inputs);
      expect(proxy.requests.slice(0, 3)).to.deep.equal(
        Array(3).fill(`PUT /${bucket}/${uploadPrefix(inputs.contentHash)}bronze_ingest.py?x-id=PutObject`),
      );
      expect(await keysUnder(uploadPrefix(inputs.contentHash))).to.have.length(3);
    } finally {
      await proxy.close();
    }
  });

  it("fails with the object and S3's error when access is denied, uploading nothing after it", async () => {
    const denied = {
      status: 403,
      body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
    };
    const proxy = await startFaultProxy(moto.port, (request) =>
      request.url?.includes("gold_daily_metrics") ? denied : undefined,
    );
    try {
      const provider = new ScriptUploadProvider(clientConfig(proxy.endpoint));
      const inputs = await inputsFor(
        bucket,
        keyArn,
        makeJobsDir({ "lakehouse_jobs/io/paths.py": "ROOT = 'denied'\n" }),
      );
      let message = "";
      await provider.create(inputs).catch((e: Error) => (message = e.message));
      expect(message).to.equal(
        `uploading s3://${bucket}/${uploadPrefix(inputs.contentHash)}gold_daily_metrics.py failed: AccessDenied: Access Denied`,
      );
      expect(await keysUnder(uploadPrefix(inputs.contentHash))).to.deep.equal([
        `${uploadPrefix(inputs.contentHash)}bronze_ingest.py`,
      ]);
    } finally {
      await proxy.close();
    }
  });
});
