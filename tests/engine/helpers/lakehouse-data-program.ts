import * as fs from "fs";
import * as path from "path";
import { CreateWorkGroupCommand } from "@aws-sdk/client-athena";
import { CreateDatabaseCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { AwsSdkConnection } from "../../../components/aws-sdk-config";
import { AwsClients } from "../../../components/iceberg-table/aws-clients";
import { createLakehouseTables } from "../../../components/iceberg-table/lakehouse-tables";
import { IcebergTableSpec, specFromDefinition } from "../../../components/iceberg-table/spec";
import { DeletionPolicy } from "../../../tables/deletion-policy";
import { JobScripts } from "../../../components/job-scripts/job-scripts";
import { JOBS_SHARED_PACKAGE } from "../../../components/lakehouse";
import { LAKEHOUSE_JOBS } from "../../../components/job-definitions";
import { TableDefinition } from "../../../tables/table-definition";
import { REPO_ROOT } from "./engine-sandbox";

/*
 * The part of the lakehouse the engine can run here: every declared table (IcebergTable) and the job
 * code upload (JobScripts), built by the same functions the stack uses. The AWS resources they stand on
 * (Glue database, Athena workgroup, buckets, KMS key) need the AWS provider plugin, which cannot be had
 * here; `seedPlacement` creates them in the emulator instead, under the names the program is given.
 */

export interface DataProgramSettings {
  readonly tables: readonly TableDefinition[];
  readonly region: string;
  readonly database: string;
  readonly workgroup: string;
  readonly dataBucket: string;
  readonly artifactsBucket: string;
  readonly kmsKeyArn: string;
  readonly deletionPolicy: DeletionPolicy;
  /** A copy of `jobs/` the test may edit. */
  readonly jobsDir: string;
  readonly buildDir: string;
  /** The stack's AWS connection for both providers. @default the SDK's default chain in `region` */
  readonly aws?: AwsSdkConnection;
}

/** The inline program; it reads the settings at each run, so a test changes them between operations. */
export function lakehouseDataProgram(settings: () => DataProgramSettings): () => Promise<void> {
  return async () => {
    const s = settings();
    createLakehouseTables(
      "lakehouse",
      {
        tables: s.tables,
        databaseName: s.database,
        dataBucketName: s.dataBucket,
        workgroupName: s.workgroup,
        region: s.region,
        ...(s.aws === undefined ? {} : { aws: s.aws }),
        deletionPolicy: s.deletionPolicy,
        // The provider's own delete runs (retainOnDelete would skip it): deletionPolicy decides.
        stateful: { protect: false, retainOnDelete: false },
      },
      {},
    );
    new JobScripts("lakehouse-job-scripts", {
      jobsDir: s.jobsDir,
      jobKeys: LAKEHOUSE_JOBS.map((job) => job.key),
      sharedPackage: JOBS_SHARED_PACKAGE,
      buildDir: s.buildDir,
      region: s.region,
      ...(s.aws === undefined ? {} : { aws: s.aws }),
      bucket: s.artifactsBucket,
      kmsKeyArn: s.kmsKeyArn,
    });
  };
}

/** The spec the provider receives for a declared table in these settings. */
export function declaredSpec(settings: DataProgramSettings, table: TableDefinition): IcebergTableSpec {
  return specFromDefinition(table, {
    database: settings.database,
    location: `s3://${settings.dataBucket}/${table.prefix}`,
    workgroup: settings.workgroup,
    region: settings.region,
    deletionPolicy: settings.deletionPolicy,
  });
}

/** What the stack's AWS resources would have created: the database, the workgroup and both buckets. */
export async function seedPlacement(aws: AwsClients, settings: DataProgramSettings): Promise<void> {
  await aws.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: settings.database } }));
  await aws.athena.send(new CreateWorkGroupCommand({ Name: settings.workgroup }));
  for (const bucket of [settings.dataBucket, settings.artifactsBucket]) {
    await aws.s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: settings.region as never },
      }),
    );
  }
}

/** A copy of the project's `jobs/` sources (no tests, no caches) that a test may change. */
export function copyJobSources(into: string): string {
  const source = path.join(REPO_ROOT, "jobs");
  fs.cpSync(source, into, {
    recursive: true,
    filter: (file) => !/(^|\/)(tests|__pycache__|\.pytest_cache)(\/|$)/.test(path.relative(source, file)),
  });
  return into;
}
