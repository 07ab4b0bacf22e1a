import { GetTableCommand } from "@aws-sdk/client-glue";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { AwsClients } from "../../components/iceberg-table/aws-clients";
import { InjectedFault, jsonApiAnswer, ProxiedRequest } from "./fault-proxy";
import { seedMetadata } from "./iceberg-fixture";

/**
 * Glue's UpdateTable with an Iceberg update, emulated for tests: moto 5.2.5 fails such a request (it
 * requires a TableInput), so a fault proxy in front of moto answers it here, after writing what Glue
 * would leave behind: a new metadata file with the updates applied, the Glue table pointed at it (a new
 * table version). A request whose VersionId is not the table's current version is refused with
 * ConcurrentModificationException, as Glue's optimistic lock does. The test keeps the exact bodies.
 */

export const GLUE_UPDATE_TABLE = "AWSGlue.UpdateTable";

type Json = Record<string, unknown>;

interface IcebergUpdate {
  readonly Action: string;
  readonly PartitionSpec?: {
    SpecId: number;
    Fields: { SourceId: number; Transform: string; Name: string; FieldId: number }[];
  };
  readonly SortOrder?: {
    OrderId: number;
    Fields: { SourceId: number; Transform: string; Direction: string; NullOrder: string }[];
  };
}

/** Whether a proxied request is UpdateTable carrying an Iceberg update. */
export function isIcebergUpdate(request: ProxiedRequest): boolean {
  return request.target === GLUE_UPDATE_TABLE && request.body.includes('"UpdateOpenTableFormatInput"');
}

/** The table's current metadata (from the Glue table's metadata_location) and Glue version. */
export async function currentMetadata(
  aws: AwsClients,
  database: string,
  name: string,
): Promise<{ metadata: Json; versionId: string; location: string }> {
  const { Table } = await aws.glue.send(new GetTableCommand({ DatabaseName: database, Name: name }));
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(Table!.Parameters!.metadata_location)!;
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const metadata = JSON.parse(await object.Body!.transformToString()) as Json;
  return { metadata, versionId: Table!.VersionId!, location: Table!.StorageDescriptor!.Location! };
}

/** Iceberg's metadata after `updates` (format v2 JSON), as Iceberg's TableMetadata builder applies them. */
export function withIcebergUpdates(metadata: Json, updates: readonly IcebergUpdate[]): Json {
  const next = structuredClone(metadata) as Json & {
    "partition-specs": Json[];
    "sort-orders": Json[];
    "last-partition-id": number;
  };
  for (const update of updates) {
    const spec = update.PartitionSpec;
    const order = update.SortOrder;
    if (update.Action === "add-spec" && spec !== undefined) {
      next["partition-specs"].push({
        "spec-id": spec.SpecId,
        fields: spec.Fields.map((f) => ({
          name: f.Name,
          transform: f.Transform,
          "source-id": f.SourceId,
          "field-id": f.FieldId,
        })),
      });
      next["last-partition-id"] = Math.max(next["last-partition-id"], ...spec.Fields.map((f) => f.FieldId));
    } else if (update.Action === "set-default-spec" && spec !== undefined) {
      next["default-spec-id"] = spec.SpecId;
    } else if (update.Action === "add-sort-order" && order !== undefined) {
      next["sort-orders"].push({
        "order-id": order.OrderId,
        fields: order.Fields.map((f) => ({
          transform: f.Transform,
          "source-id": f.SourceId,
          direction: f.Direction,
          "null-order": f.NullOrder,
        })),
      });
    } else if (update.Action === "set-default-sort-order" && order !== undefined) {
      next["default-sort-order-id"] = order.OrderId;
    } else {
      throw new Error(
        `the emulator does not apply ${JSON.stringify(update.Action)} (or its payload is missing)`,
      );
    }
  }
  return next;
}

/** Applies the Iceberg update of a proxied UpdateTable request as Glue would, and answers it. */
export async function answerIcebergUpdate(aws: AwsClients, request: ProxiedRequest): Promise<InjectedFault> {
  const body = JSON.parse(request.body) as {
    DatabaseName: string;
    Name: string;
    VersionId?: string;
    UpdateOpenTableFormatInput: {
      UpdateIcebergInput: { UpdateIcebergTableInput: { Updates: IcebergUpdate[] } };
    };
  };
  const { metadata, versionId, location } = await currentMetadata(aws, body.DatabaseName, body.Name);
  if (body.VersionId !== undefined && body.VersionId !== versionId) {
    return jsonApiAnswer(
      400,
      {
        __type: "ConcurrentModificationException",
        Message: `Update table failed due to concurrent modifications (version ${body.VersionId}, now ${versionId})`,
      },
      "ConcurrentModificationException",
    );
  }
  const updates = body.UpdateOpenTableFormatInput.UpdateIcebergInput.UpdateIcebergTableInput.Updates;
  await seedMetadata(
    aws,
    { database: body.DatabaseName, name: body.Name, location: `${location}/` },
    withIcebergUpdates(metadata, updates),
  );
  return jsonApiAnswer(200, {});
}
