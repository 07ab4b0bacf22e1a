import type { S3Client } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { providerClientConfigs } from "../aws-sdk-clients";
import { awsConnectionOf, awsConnectionProblems } from "../aws-sdk-connection-check";
import { AwsSdkConnection } from "../aws-sdk-config";
import { s3BucketNameProblem } from "../s3-bucket-name";
import { stableJson } from "../stable-json";
import { contentHashOf, readPackagedFile, UploadFile } from "./packaged-file";

/**
 * Dynamic provider that uploads the packaged job code under a content-addressed prefix of the
 * artifacts bucket, SSE-KMS encrypted and integrity-checked by S3 (SHA-256). It changes only when the
 * content does, and never deletes: a running Glue job keeps reading the version it started with.
 *
 * The bytes never enter the inputs or the state: the program writes the package to a folder
 * (`packageDir`) and the provider reads each file there in create/update, verifying its SHA-256. The
 * state holds names, hashes, the content hash and the prefix; `packageDir` differs from machine to
 * machine and is never compared.
 *
 * A factory of a plain object, not a class: the engine runs the provider as Pulumi's function
 * serializer rewrote it (see tables/named-error.ts and
 * tests/helpers/serialized-provider.ts), and only settings safe to store in plain text are captured.
 */

export type { UploadFile };

export interface ScriptUploadInputs {
  readonly region: string;
  /** The stack's AWS connection (names, ARNs, endpoints; never a credential). @default { region } */
  readonly aws?: AwsSdkConnection;
  readonly bucket: string;
  readonly kmsKeyArn: string;
  /** SHA-256 (hex) over every artifact's name and hash (see `contentHashOf`); names the upload prefix. */
  readonly contentHash: string;
  readonly files: readonly UploadFile[];
  /** Absolute folder the program wrote the artifacts to in this run; read by create and update only. */
  readonly packageDir: string;
}

export interface ScriptUploadOutputs {
  readonly region: string;
  readonly aws?: AwsSdkConnection;
  readonly bucket: string;
  readonly kmsKeyArn: string;
  readonly contentHash: string;
  /** `jobs/<content hash>/`: where the files are. */
  readonly prefix: string;
  /** `name -> sha256` of what is in the bucket. */
  readonly objects: Record<string, string>;
}

/** What tests may tune; numbers only, captured in plain text into the state. */
export interface ScriptUploadSettings {
  /** Attempts per call when the stack does not set aws:maxRetries. @default 5 */
  readonly maxAttempts?: number;
}

const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;
const FILE_NAME_PATTERN = /^[A-Za-z0-9_.-]+\.(py|zip)$/;
/** Inputs whose change is a new version of the code in the bucket; `packageDir` is not one of them. */
const COMPARED_INPUTS = ["contentHash", "bucket", "kmsKeyArn", "region"] as const;
/** Objects compared by content: a changed connection is stored (and the upload, idempotent, runs again). */
const COMPARED_OBJECTS = ["aws"] as const;

/** The folder of one version of the job code: `jobs/<first 16 hex digits of its content hash>/`. */
export function uploadPrefix(contentHash: string): string {
  return `jobs/${contentHash.slice(0, 16)}/`;
}

/** Pure validation of the inputs (run in `check`, so bad input fails at preview). */
export function scriptUploadFailures(news: ScriptUploadInputs): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const known = (value: unknown) => value !== pulumi.runtime.unknownValue && value !== undefined;
  const bucketProblem = known(news.bucket) ? s3BucketNameProblem(news.bucket) : undefined;
  if (bucketProblem !== undefined) {
    failures.push({ property: "bucket", reason: bucketProblem });
  }
  if (known(news.contentHash) && !CONTENT_HASH_PATTERN.test(news.contentHash)) {
    failures.push({
      property: "contentHash",
      reason: `"${news.contentHash}" must be 64 hex digits (SHA-256)`,
    });
  }
  for (const problem of awsConnectionProblems(news.aws, news.region)) {
    failures.push({ property: "aws", reason: `[${problem.field}] ${problem.message}` });
  }
  if (typeof news.packageDir !== "string" || news.packageDir === "") {
    failures.push({
      property: "packageDir",
      reason: "the folder the program wrote the package to is required",
    });
  }
  if (!Array.isArray(news.files) || news.files.length === 0) {
    failures.push({ property: "files", reason: "there must be at least one file to upload" });
    return failures;
  }
  for (const file of news.files) {
    if (!FILE_NAME_PATTERN.test(file.name)) {
      failures.push({ property: "files", reason: `"${file.name}" must be a plain .py or .zip file name` });
    } else if (!CONTENT_HASH_PATTERN.test(file.sha256)) {
      failures.push({
        property: "files",
        reason: `"${file.name}" has sha256 "${file.sha256}", not 64 hex digits`,
      });
    }
  }
  if (failures.length === 0 && known(news.contentHash) && contentHashOf(news.files) !== news.contentHash) {
    failures.push({ property: "contentHash", reason: "does not match the files' names and hashes" });
  }
  return failures;
}

/** Attempts per call when the stack does not set aws:maxRetries. */
export const UPLOAD_MAX_ATTEMPTS = 5;

/**
 * The S3 client an upload (or a refresh of one) uses: the resource's AWS connection (region, endpoint,
 * retries, profile, roles); what it leaves unset comes from the SDK's default chain in this process.
 */
export async function uploadS3Client(
  props: Pick<ScriptUploadInputs, "aws" | "region">,
  maxAttempts: number,
): Promise<S3Client> {
  const { S3Client } = await import("@aws-sdk/client-s3");
  const connection = awsConnectionOf(props as Record<string, unknown>, props.region);
  return new S3Client((await providerClientConfigs(connection, ["s3"], { maxAttempts })).s3);
}

export function scriptUploadProvider(
  settings: ScriptUploadSettings = {},
): pulumi.dynamic.ResourceProvider<ScriptUploadInputs, ScriptUploadOutputs> {
  const client = (props: Pick<ScriptUploadInputs, "aws" | "region">) =>
    uploadS3Client(props, settings.maxAttempts ?? UPLOAD_MAX_ATTEMPTS);

  async function upload(inputs: ScriptUploadInputs): Promise<ScriptUploadOutputs> {
    const { PutObjectCommand } = await import("@aws-sdk/client-s3");
    // Every file is read and verified before the first byte goes out, so a bad package uploads nothing.
    const contents = inputs.files.map((file) => readPackagedFile(inputs.packageDir, file));
    const s3 = await client(inputs);
    const prefix = uploadPrefix(inputs.contentHash);
    const objects: Record<string, string> = {};
    try {
      for (const [i, file] of inputs.files.entries()) {
        const key = `${prefix}${file.name}`;
        try {
          await s3.send(
            new PutObjectCommand({
              Bucket: inputs.bucket,
              Key: key,
              Body: contents[i],
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
      s3.destroy();
    }
    const { region, aws, bucket, kmsKeyArn, contentHash } = inputs;
    return { region, ...(aws === undefined ? {} : { aws }), bucket, kmsKeyArn, prefix, contentHash, objects };
  }

  return {
    async check(_olds, news) {
      return { inputs: news, failures: scriptUploadFailures(news) };
    },

    async diff(_id, olds, news) {
      const changed = [
        ...COMPARED_INPUTS.filter((key) => olds[key] !== news[key]),
        ...COMPARED_OBJECTS.filter((key) => stableJson(olds[key]) !== stableJson(news[key])),
      ];
      return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs) {
      return { id: `s3://${inputs.bucket}/${uploadPrefix(inputs.contentHash)}`, outs: await upload(inputs) };
    },

    async update(_id, _olds, news) {
      return { outs: await upload(news) };
    },

    /** Reports what is really in the bucket; a missing object changes contentHash so the next up re-uploads. */
    async read(id, state) {
      if (state === undefined) {
        throw new Error(`job scripts ${id}: reading needs the stored state (import is not supported)`);
      }
      const props = state;
      const { HeadObjectCommand } = await import("@aws-sdk/client-s3");
      const s3 = await client(props);
      const objects: Record<string, string> = {};
      try {
        for (const name of Object.keys(props.objects)) {
          try {
            const head = await s3.send(
              new HeadObjectCommand({ Bucket: props.bucket, Key: `${props.prefix}${name}` }),
            );
            objects[name] = head.Metadata?.["content-sha256"] ?? "";
          } catch (error) {
            if ((error as { name?: string }).name !== "NotFound") {
              throw error;
            }
          }
        }
      } finally {
        s3.destroy();
      }
      const intact = Object.entries(props.objects).every(([name, sha]) => objects[name] === sha);
      return {
        id,
        props: {
          ...props,
          objects,
          contentHash: intact ? props.contentHash : `drifted:${props.contentHash}`,
        },
      };
    },

    /** Never deletes: running jobs keep their code, and the bucket keeps every version (see README). */
    async delete(id) {
      await pulumi.log.info(`job scripts ${id} left in place: running jobs may still read them`);
    },
  };
}
