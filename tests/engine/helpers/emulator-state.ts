import * as fs from "fs";
import * as path from "path";
import { GetTablesCommand } from "@aws-sdk/client-glue";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { AwsClients } from "../../../components/iceberg-table/aws-clients";
import { sha256 } from "../../../components/job-scripts/sha256";

/** The Glue tables of a database: name -> the Iceberg metadata file it points at. */
export async function glueTables(aws: AwsClients, database: string): Promise<Record<string, string>> {
  const { TableList = [] } = await aws.glue.send(new GetTablesCommand({ DatabaseName: database }));
  return Object.fromEntries(TableList.map((t) => [t.Name ?? "", t.Parameters?.metadata_location ?? ""]));
}

/** An object as S3 keeps it: the SHA-256 of its bytes, its encryption and key. */
export interface StoredObject {
  readonly sha256: string;
  readonly encryption?: string;
  readonly kmsKeyId?: string;
}

/** Every object under a prefix, by key, with what S3 stored. */
export async function objectsUnder(
  aws: AwsClients,
  bucket: string,
  prefix: string,
): Promise<Record<string, StoredObject>> {
  const { Contents = [] } = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const objects: Record<string, StoredObject> = {};
  for (const { Key = "" } of Contents) {
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    const body = await (
      await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
    ).Body?.transformToByteArray();
    objects[Key] = {
      sha256: sha256(Buffer.from(body ?? new Uint8Array())),
      ...(head.ServerSideEncryption === undefined ? {} : { encryption: head.ServerSideEncryption }),
      ...(head.SSEKMSKeyId === undefined ? {} : { kmsKeyId: head.SSEKMSKeyId }),
    };
  }
  return objects;
}

/** Every file the file backend holds for its stacks (checkpoints, history, backups), as text. */
export function backendFiles(backendDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        files[path.relative(backendDir, full)] = fs.readFileSync(full, "utf8");
      }
    }
  };
  walk(backendDir);
  return files;
}
