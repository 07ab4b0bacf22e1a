import { AthenaClient, DeleteWorkGroupCommand } from "@aws-sdk/client-athena";
import { CloudWatchLogsClient, DeleteLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DeleteJobCommand, GlueClient } from "@aws-sdk/client-glue";
import { DescribeKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  AwsSdkConnection,
  AwsSdkService,
  awsSdkClientConfig,
  CredentialFactories,
} from "../components/aws-sdk-config";
import type { AwsSweeper, SweptType, TaggedResource } from "./aws-sweeper";

/** KMS's shortest waiting period: a key scheduled by the sweep can be recovered for a week. */
export const KEY_DELETION_DAYS = 7;

/**
 * The sweep's AWS calls through the SDK v3 (its own retry), with the stack's AWS settings (region,
 * profile, roles, endpoints) as every other client of the project gets them.
 */
export function awsSweeper(connection: AwsSdkConnection, factories: CredentialFactories): AwsSweeper {
  const config = (service: AwsSdkService) => awsSdkClientConfig(connection, service, factories);
  const tagging = new ResourceGroupsTaggingAPIClient(config("resourcegroupstaggingapi"));
  const s3 = new S3Client(config("s3"));
  const deleters: Record<SweptType, (arn: string) => Promise<string>> = {
    "s3:bucket": async (arn) => {
      const bucket = arn.split(":::")[1];
      await emptyBucket(s3, bucket);
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      return "deleted, with every object version";
    },
    "glue:job": async (arn) => {
      await new GlueClient(config("glue")).send(new DeleteJobCommand({ JobName: arn.split(":job/")[1] }));
      return "deleted";
    },
    "athena:workgroup": async (arn) => {
      const workgroup = arn.split(":workgroup/")[1];
      await new AthenaClient(config("athena")).send(
        new DeleteWorkGroupCommand({ WorkGroup: workgroup, RecursiveDeleteOption: true }),
      );
      return "deleted, with its saved queries";
    },
    "logs:log-group": async (arn) => {
      const name = arn.split(":log-group:")[1].replace(/:\*$/, "");
      await new CloudWatchLogsClient(config("cloudwatchlogs")).send(
        new DeleteLogGroupCommand({ logGroupName: name }),
      );
      return "deleted";
    },
    "kms:key": async (arn) => {
      const kms = new KMSClient(config("kms"));
      const key = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
      if (key.KeyMetadata?.KeyState === "PendingDeletion") {
        return "already scheduled for deletion";
      }
      const keyId = key.KeyMetadata?.KeyId ?? arn;
      await kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: KEY_DELETION_DAYS }),
      );
      return `scheduled for deletion in ${KEY_DELETION_DAYS} days, recoverable until then`;
    },
  };
  return {
    async findPreviewResources(project) {
      const found: TaggedResource[] = [];
      const filters = [
        { Key: "Project", Values: [project] },
        { Key: "Environment", Values: ["preview"] },
      ];
      for await (const page of paginateGetResources({ client: tagging }, { TagFilters: filters })) {
        for (const mapping of page.ResourceTagMappingList ?? []) {
          const tags = Object.fromEntries(
            (mapping.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]),
          );
          found.push({ arn: mapping.ResourceARN ?? "", tags });
        }
      }
      return found;
    },
    deleteResource: (resource, type) => deleters[type](resource.arn),
  };
}

/** Deletes every object version and delete marker of a bucket (versioned buckets keep them all). */
async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...markers }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({
      Key,
      VersionId,
    }));
    if (objects.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    }
    if (page.IsTruncated !== true) {
      return;
    }
    markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
}
