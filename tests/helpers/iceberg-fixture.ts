import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GetTableCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { randomUUID } from "crypto";
import { AthenaType, parseAthenaType } from "../../tables/athena-type";
import { AwsClients } from "../../components/iceberg-table/aws-clients";
import { icebergTransform } from "../../tables/partition-transforms";
import { ColumnDefinition, PartitionField } from "../../tables/table-definition";

/**
 * What Athena's CREATE TABLE / ALTER TABLE leave behind, written directly: an Iceberg metadata file in
 * S3 and a Glue table pointing at it (table_type ICEBERG, metadata_location, the Glue column list with
 * Iceberg's column parameters). moto does not execute SQL, so tests seed the live table this way.
 */

export interface LiveTableShape {
  readonly database: string;
  readonly name: string;
  readonly location: string;
  readonly columns: readonly ColumnDefinition[];
  readonly partitionBy?: readonly PartitionField[];
  readonly properties?: Readonly<Record<string, string>>;
  /** Columns Glue still lists after a DROP COLUMN (marked iceberg.field.current=false). */
  readonly droppedColumns?: readonly ColumnDefinition[];
  readonly tableType?: string;
  /**
   * Glue parameters of an existing entry other than the Iceberg pointers: `keep` them, as Iceberg's
   * own Glue commits do (the ownership marker among them), or `drop` them, as an engine that rewrites
   * the entry with only its pointers would. @default "keep"
   */
  readonly otherParameters?: "keep" | "drop";
}

const PRIMITIVE_TO_ICEBERG: Readonly<Record<string, string>> = { bigint: "long" };

/** The Iceberg JSON type of an Athena type, assigning field ids from `nextId`. */
function icebergType(type: AthenaType, nextId: () => number): unknown {
  switch (type.kind) {
    case "primitive":
      return PRIMITIVE_TO_ICEBERG[type.name] ?? type.name;
    case "decimal":
      return `decimal(${type.precision}, ${type.scale})`;
    case "array":
      return {
        type: "list",
        "element-id": nextId(),
        element: icebergType(type.element, nextId),
        "element-required": false,
      };
    case "map":
      return {
        type: "map",
        "key-id": nextId(),
        key: icebergType(type.key, nextId),
        "value-id": nextId(),
        value: icebergType(type.value, nextId),
        "value-required": false,
      };
    case "struct":
      return {
        type: "struct",
        fields: type.fields.map((f) => ({
          id: nextId(),
          name: f.name,
          required: false,
          type: icebergType(f.type, nextId),
        })),
      };
  }
}

/** A format v2 Iceberg metadata file for the shape (live-only types such as timestamptz pass through). */
export function icebergMetadata(shape: LiveTableShape): Record<string, unknown> {
  let lastId = shape.columns.length;
  const nextId = () => ++lastId;
  const fields = shape.columns.map((column, i) => {
    let type: unknown = column.type;
    try {
      type = icebergType(parseAthenaType(column.type), nextId);
    } catch {
      // a type only Iceberg has (timestamptz, uuid): written as is
    }
    return {
      id: i + 1,
      name: column.name,
      required: false,
      type,
      ...(column.comment === undefined ? {} : { doc: column.comment }),
    };
  });
  const specFields = (shape.partitionBy ?? []).map((field, i) => ({
    name: `${field.column}_${field.transform}`,
    transform: icebergTransform(field),
    "source-id": fields.find((f) => f.name === field.column)!.id,
    "field-id": 1000 + i,
  }));
  return {
    "format-version": 2,
    "table-uuid": randomUUID(),
    location: shape.location.replace(/\/+$/, ""),
    "last-sequence-number": 0,
    "last-updated-ms": 1767225600000,
    "last-column-id": lastId,
    "current-schema-id": 0,
    schemas: [{ type: "struct", "schema-id": 0, fields }],
    "default-spec-id": 0,
    "partition-specs": [{ "spec-id": 0, fields: specFields }],
    "last-partition-id": 999 + specFields.length,
    "default-sort-order-id": 0,
    "sort-orders": [{ "order-id": 0, fields: [] }],
    properties: { ...(shape.properties ?? {}), "write.parquet.compression-codec": "zstd" },
    refs: {},
    snapshots: [],
    "snapshot-log": [],
    "metadata-log": [],
  };
}

function glueColumns(shape: LiveTableShape) {
  const column = (c: ColumnDefinition, id: number, current: boolean) => ({
    Name: c.name,
    Type: c.type,
    ...(c.comment === undefined ? {} : { Comment: c.comment }),
    Parameters: {
      "iceberg.field.current": String(current),
      "iceberg.field.id": String(id),
      "iceberg.field.optional": "true",
    },
  });
  return [
    ...shape.columns.map((c, i) => column(c, i + 1, true)),
    ...(shape.droppedColumns ?? []).map((c, i) => column(c, 900 + i, false)),
  ];
}

/** The Glue parameters of a table (the ownership marker among them), or undefined when there is no such table. */
export async function glueParameters(
  clients: AwsClients,
  database: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  return clients.glue
    .send(new GetTableCommand({ DatabaseName: database, Name: name }))
    .then((answer) => answer.Table?.Parameters ?? {})
    .catch(() => undefined);
}

/** Creates the bucket and database if needed, writes a new metadata file and points the Glue table at it. */
export function seedLiveTable(clients: AwsClients, shape: LiveTableShape): Promise<string> {
  return seedMetadata(clients, shape, icebergMetadata(shape), glueColumns(shape));
}

/** Where a metadata file is seeded: the Glue table and its folder. */
export type SeedPlacement = Pick<
  LiveTableShape,
  "database" | "name" | "location" | "tableType" | "otherParameters"
>;

/**
 * Writes `metadata` as a new metadata file in the table's folder and points the Glue table at it (a
 * new Glue table version), creating the bucket and database if needed: what a commit leaves behind.
 */
export async function seedMetadata(
  clients: AwsClients,
  shape: SeedPlacement,
  metadata: unknown,
  columns: ReturnType<typeof glueColumns> = [],
): Promise<string> {
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(shape.location)!;
  const region = await clients.s3.config.region();
  await clients.s3
    .send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: region as never },
      }),
    )
    .catch((error: Error) => {
      if (!["BucketAlreadyOwnedByYou", "BucketAlreadyExists"].includes(error.name)) {
        throw error;
      }
    });
  await clients.glue
    .send(new CreateDatabaseCommand({ DatabaseInput: { Name: shape.database } }))
    .catch((error: Error) => {
      if (error.name !== "AlreadyExistsException") {
        throw error;
      }
    });
  const key = `${prefix}metadata/${randomUUID()}.metadata.json`;
  await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(metadata) }));
  const metadataLocation = `s3://${bucket}/${key}`;
  const existing = await clients.glue
    .send(new GetTableCommand({ DatabaseName: shape.database, Name: shape.name }))
    .then((answer) => answer.Table)
    .catch(() => undefined);
  const kept = shape.otherParameters === "drop" ? {} : (existing?.Parameters ?? {});
  const input = {
    Name: shape.name,
    TableType: "EXTERNAL_TABLE",
    Parameters: { ...kept, table_type: shape.tableType ?? "ICEBERG", metadata_location: metadataLocation },
    StorageDescriptor: { Location: shape.location.replace(/\/+$/, ""), Columns: columns },
  };
  await clients.glue.send(
    existing !== undefined
      ? new UpdateTableCommand({ DatabaseName: shape.database, TableInput: input })
      : new CreateTableCommand({ DatabaseName: shape.database, TableInput: input }),
  );
  return metadataLocation;
}
