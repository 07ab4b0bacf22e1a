import * as pulumi from "@pulumi/pulumi";
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { sha256 } from "./sha256";

/**
 * Dynamic provider that uploads the packaged job code under a content-addressed prefix of the
 * artifacts bucket, SSE-KMS encrypted and integrity-checked by S3 (SHA-256). It changes only when the
 * content does, and never deletes: a running Glue job keeps reading the version it started with.
 */

/** One artifact as the provider receives it. */
export interface UploadFile {
  readonly name: string;
  readonly contentBase64: string;
  readonly sha256: string;
}

export interface ScriptUploadInputs {
  readonly region: string;
  readonly bucket: string;
  readonly kmsKeyArn: string;
  /** SHA-256 (hex) over every artifact's name and hash; names the upload prefix. */
  readonly contentHash: string;
  readonly files: readonly UploadFile[];
}

export interface ScriptUploadOutputs extends Omit<ScriptUploadInputs, "files"> {
  /** `jobs/<content hash>/`: where the files are. */
  readonly prefix: string;
  /** `name -> sha256` of what is in the bucket. */
  readonly objects: Record<string, string>;
}

const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

/** The folder of one version of the job code: `jobs/<first 16 hex digits of its content hash>/`. */
export function uploadPrefix(contentHash: string): string {
  return `jobs/${contentHash.slice(0, 16)}/`;
}
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const FILE_NAME_PATTERN = /^[A-Za-z0-9_.-]+\.(py|zip)$/;

/** Pure validation of the inputs (run in `check`, so bad input fails at preview). */
export function scriptUploadFailures(news: ScriptUploadInputs): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const known = (value: unknown) => value !== pulumi.runtime.unknownValue && value !== undefined;
  if (known(news.bucket) && !BUCKET_PATTERN.test(news.bucket)) {
    failures.push({ property: "bucket", reason: `"${news.bucket}" is not an S3 bucket name` });
  }
  if (known(news.contentHash) && !CONTENT_HASH_PATTERN.test(news.contentHash)) {
    failures.push({
      property: "contentHash",
      reason: `"${news.contentHash}" must be 64 hex digits (SHA-256)`,
    });
  }
  if (!Array.isArray(news.files) || news.files.length === 0) {
    failures.push({ property: "files", reason: "there must be at least one file to upload" });
    return failures;
  }
  for (const file of news.files) {
    if (!FILE_NAME_PATTERN.test(file.name)) {
      failures.push({ property: "files", reason: `"${file.name}" must be a plain .py or .zip file name` });
    } else if (sha256(Buffer.from(file.contentBase64, "base64")) !== file.sha256) {
      failures.push({ property: "files", reason: `"${file.name}" does not match its sha256` });
    }
  }
  return failures;
}

export class ScriptUploadProvider implements pulumi.dynamic.ResourceProvider {
  /** @param clientOverrides test-only S3 client settings (emulator endpoint, injected request handler). */
  constructor(private readonly clientOverrides: Partial<S3ClientConfig> = {}) {}

  async check(_olds: ScriptUploadInputs, news: ScriptUploadInputs): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: scriptUploadFailures(news) };
  }

  async diff(
    _id: string,
    olds: ScriptUploadOutputs,
    news: ScriptUploadInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const keys = ["contentHash", "bucket", "kmsKeyArn", "region"] as const;
    const changed = keys.filter((key) => olds[key] !== news[key]);
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  }

  async create(inputs: ScriptUploadInputs): Promise<pulumi.dynamic.CreateResult> {
    return {
      id: `s3://${inputs.bucket}/${uploadPrefix(inputs.contentHash)}`,
      outs: await this.upload(inputs),
    };
  }

  async update(
    _id: string,
    _olds: ScriptUploadOutputs,
    news: ScriptUploadInputs,
  ): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: await this.upload(news) };
  }

  /** Reports what is really in the bucket; a missing object changes contentHash so the next up re-uploads. */
  async read(id: string, props: ScriptUploadOutputs): Promise<pulumi.dynamic.ReadResult> {
    const { HeadObjectCommand } = await import("@aws-sdk/client-s3");
    const client = await this.client(props.region);
    const objects: Record<string, string> = {};
    try {
      for (const name of Object.keys(props.objects)) {
        try {
          const head = await client.send(
            new HeadObjectCommand({
              Bucket: props.bucket,
              Key: `${props.prefix}${name}`,
            }),
          );
          objects[name] = head.Metadata?.["content-sha256"] ?? "";
        } catch (error) {
          if ((error as { name?: string }).name !== "NotFound") {
            throw error;
          }
        }
      }
    } finally {
      client.destroy();
    }
    const intact = Object.entries(props.objects).every(([name, sha]) => objects[name] === sha);
    return {
      id,
      props: { ...props, objects, contentHash: intact ? props.contentHash : `drifted:${props.contentHash}` },
    };
  }

  /** Never deletes: running jobs keep their code, and the bucket keeps every version (see README). */
  async delete(id: string): Promise<void> {
    await pulumi.log.info(`job scripts ${id} left in place: running jobs may still read them`);
  }

  private async client(region: string) {
    const { S3Client } = await import("@aws-sdk/client-s3");
    return new S3Client({ region, maxAttempts: 5, ...this.clientOverrides });
  }

  private async upload(inputs: ScriptUploadInputs): Promise<ScriptUploadOutputs> {
    const { PutObjectCommand } = await import("@aws-sdk/client-s3");
    const client = await this.client(inputs.region);
    const prefix = uploadPrefix(inputs.contentHash);
    const objects: Record<string, string> = {};
    try {
      for (const file of inputs.files) {
        const key = `${prefix}${file.name}`;
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: inputs.bucket,
              Key: key,
              Body: Buffer.from(file.contentBase64, "base64"),
              ContentType: file.name.endsWith(".zip") ? "application/zip" : "text/x-python",
              ServerSideEncryption: "aws:kms",
              SSEKMSKeyId: inputs.kmsKeyArn,
              BucketKeyEnabled: true,
              // S3 recomputes the checksum and refuses the object if a byte changed on the way.
              ChecksumSHA256: Buffer.from(file.sha256, "hex").toString("base64"),
              Metadata: { "content-sha256": file.sha256 },
            }),
          );
        } catch (error) {
          const e = error as { name?: string; message?: string };
          throw new Error(
            `uploading s3://${inputs.bucket}/${key} failed: ${e.name ?? "Error"}: ${e.message ?? error}`,
          );
        }
        await pulumi.log.info(`uploaded s3://${inputs.bucket}/${key} (sha256 ${file.sha256.slice(0, 12)})`);
        objects[file.name] = file.sha256;
      }
    } finally {
      client.destroy();
    }
    const { region, bucket, kmsKeyArn, contentHash } = inputs;
    return { region, bucket, kmsKeyArn, prefix, contentHash, objects };
  }
}
