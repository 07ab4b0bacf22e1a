import { gunzipSync } from "zlib";
import { AwsClients } from "./aws-clients";
import { isIcebergMetadataError, liveTableFromIcebergMetadata } from "./iceberg-metadata";
import { LiveTable } from "./live-table";
import { namedError, NamedError } from "../../tables/named-error";

/**
 * Reads a live Iceberg table: its Glue Data Catalog entry (Athena's AwsDataCatalog is the Glue Data
 * Catalog) for `table_type` and `metadata_location`, then that Iceberg metadata file from S3 for the
 * current schema, partition spec, location and properties.
 *
 * Why not Athena GetTableMetadata: its columns carry no parameters, so a dropped Iceberg column (which
 * Glue keeps, marked `iceberg.field.current=false`) could not be told from a current one; neither it
 * nor Glue carry the partition spec or the Iceberg properties, which live only in the metadata file;
 * and the local AWS emulator the tests run against (moto 5.2.5) does not implement it.
 */

/** A live table the provider refuses to read or manage (a named error: see tables/named-error.ts). */
export type LiveTableError = NamedError<"LiveTableError">;

const liveTableError = (message: string): LiveTableError => namedError("LiveTableError", message);

function s3Address(uri: string): { Bucket: string; Key: string } {
  const match = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (match === null) {
    throw liveTableError(`metadata_location ${JSON.stringify(uri)} is not an s3:// URI`);
  }
  return { Bucket: match[1], Key: match[2] };
}

/** The live table, or undefined when the catalog has no such table. */
export async function readLiveTable(
  clients: AwsClients,
  database: string,
  name: string,
): Promise<LiveTable | undefined> {
  const { GetTableCommand } = await import("@aws-sdk/client-glue");
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  const qualified = `${database}.${name}`;
  let parameters: Record<string, string>;
  let versionId: string | undefined;
  try {
    const response = await clients.glue.send(new GetTableCommand({ DatabaseName: database, Name: name }));
    parameters = response.Table?.Parameters ?? {};
    versionId = response.Table?.VersionId;
  } catch (error) {
    if ((error as { name?: string }).name === "EntityNotFoundException") {
      return undefined;
    }
    throw error;
  }
  const tableType = parameters.table_type ?? parameters.TABLE_TYPE;
  if (tableType?.toUpperCase() !== "ICEBERG") {
    throw liveTableError(
      `${qualified} exists but is not an Iceberg table (table_type ${JSON.stringify(tableType ?? null)}); it is left untouched`,
    );
  }
  const metadataLocation = parameters.metadata_location;
  if (metadataLocation === undefined) {
    throw liveTableError(`${qualified} is an Iceberg table without metadata_location in the catalog`);
  }
  const object = await clients.s3.send(new GetObjectCommand(s3Address(metadataLocation)));
  const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  // Iceberg writes gzip metadata files (`.metadata.json.gz`) when write.metadata.compression-codec=gzip.
  const text = metadataLocation.endsWith(".gz")
    ? gunzipSync(bytes).toString("utf8")
    : Buffer.from(bytes).toString("utf8");
  try {
    const live = liveTableFromIcebergMetadata(database, name, JSON.parse(text));
    return versionId === undefined ? live : { ...live, catalogVersionId: versionId };
  } catch (error) {
    if (isIcebergMetadataError(error) || error instanceof SyntaxError) {
      throw liveTableError(
        `${qualified}: cannot read its Iceberg metadata ${metadataLocation}: ${error.message}`,
      );
    }
    throw error;
  }
}
