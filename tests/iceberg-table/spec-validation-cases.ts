/** The spec validation test's base spec and the specs it refuses (spec-validation.test.ts). */
import { S3_BUCKET_NAME_RULE } from "../../components/s3-bucket-name";

export const ACCEPTED_TYPES =
  "boolean, int, bigint, float, double, decimal(p,s), string, binary, date, timestamp, array<T>, map<K,V>, struct<name:T,...>";
export const ACCEPTED_KEYS =
  "format, write_compression, write_target_data_file_size_bytes, optimize_rewrite_min_data_file_size_bytes, optimize_rewrite_max_data_file_size_bytes, optimize_rewrite_data_file_threshold, optimize_rewrite_delete_file_threshold, vacuum_min_snapshots_to_keep, vacuum_max_snapshot_age_seconds, vacuum_max_metadata_files_to_keep";
export const LOCATION_RULE =
  'must be an S3 folder such as "s3://bucket/prefix/": a lowercase bucket name, then one or more folders of letters, digits, "_", "-", ".", "=", each ending in "/" (never the bucket root)';

export const base = {
  name: "orders",
  database: "sales",
  location: "s3://data-bucket/curated/orders/",
  workgroup: "lakehouse-athena",
  region: "eu-west-1",
  columns: [
    { name: "order_id", type: "string" },
    { name: "order_date", type: "timestamp" },
    { name: "attributes", type: "map<string,string>" },
    { name: "total", type: "decimal(12,2)" },
  ],
  partitionBy: [{ column: "order_date", transform: "day" }],
  properties: { format: "parquet", write_compression: "zstd" },
};

export const column = (overrides: Record<string, unknown>) => ({
  columns: [{ ...base.columns[0], ...overrides }, ...base.columns.slice(1)],
});

/** Each spec the validation refuses: what it is, the override of `base`, the exact problems. */
export const INVALID_SPECS: [string, Record<string, unknown>, string[]][] = [
  [
    "an uppercase name",
    { name: "Orders" },
    ['[name] "Orders" must be 1-128 lowercase letters, digits or underscores'],
  ],
  [
    "a backtick and statement in the name",
    { name: "orders`; DROP TABLE sales.customers; --" },
    [
      '[name] "orders`; DROP TABLE sales.customers; --" must be 1-128 lowercase letters, digits or underscores',
    ],
  ],
  [
    "a 129-character name",
    { name: "t".repeat(129) },
    [`[name] "${"t".repeat(129)}" must be 1-128 lowercase letters, digits or underscores`],
  ],
  [
    "a quote in the database",
    { database: "sales'" },
    [`[database] "sales'" must be 1-128 lowercase letters, digits or underscores`],
  ],
  [
    "renamedFrom equal to the name",
    { renamedFrom: "orders" },
    ['[renamedFrom] is the table\'s own name "orders"; accepted: the previous name, or leave it out'],
  ],
  [
    "a bucket root location",
    { location: "s3://data-bucket/" },
    [`[location] "s3://data-bucket/" ${LOCATION_RULE}`],
  ],
  [
    "a location without the folder slash",
    { location: "s3://data-bucket/orders" },
    [`[location] "s3://data-bucket/orders" ${LOCATION_RULE}`],
  ],
  [
    "a quote in the location",
    { location: "s3://data-bucket/x'/" },
    [`[location] "s3://data-bucket/x'/" ${LOCATION_RULE}`],
  ],
  [
    "two adjacent periods in the location's bucket",
    { location: "s3://data..bucket/orders/" },
    [
      `[location] "s3://data..bucket/orders/": bucket "data..bucket" is not an S3 bucket name: it has two adjacent periods; accepted: ${S3_BUCKET_NAME_RULE}`,
    ],
  ],
  [
    "an IP address as the location's bucket",
    { location: "s3://192.168.5.4/orders/" },
    [
      `[location] "s3://192.168.5.4/orders/": bucket "192.168.5.4" is not an S3 bucket name: it is formatted as an IP address; accepted: ${S3_BUCKET_NAME_RULE}`,
    ],
  ],
  [
    "an access point alias as the location's bucket",
    { location: "s3://orders-ap-abc-s3alias/orders/" },
    [
      `[location] "s3://orders-ap-abc-s3alias/orders/": bucket "orders-ap-abc-s3alias" is not an S3 bucket name: it ends with the reserved suffix "-s3alias"; accepted: ${S3_BUCKET_NAME_RULE}`,
    ],
  ],
  [
    "an uppercase bucket in the location",
    { location: "s3://Data-Bucket/orders/" },
    [
      `[location] "s3://Data-Bucket/orders/": bucket "Data-Bucket" is not an S3 bucket name: it has a character other than a lowercase letter, a digit, a period or a hyphen; accepted: ${S3_BUCKET_NAME_RULE}`,
    ],
  ],
  [
    "a parent folder in the location",
    { location: "s3://data-bucket/raw/../curated/" },
    ['[location] "s3://data-bucket/raw/../curated/" has a "." or ".." folder; accepted: plain folder names'],
  ],
  [
    "an https location",
    { location: "https://data-bucket.s3.amazonaws.com/x/" },
    [`[location] "https://data-bucket.s3.amazonaws.com/x/" ${LOCATION_RULE}`],
  ],
  [
    "a workgroup with a space",
    { workgroup: "my workgroup" },
    ['[workgroup] "my workgroup" must be 1-128 letters, digits, ".", "_" or "-"'],
  ],
  ["a region", { region: "europe" }, ['[region] "europe" must be an AWS region such as "us-east-1"']],
  ["no columns", { columns: [], partitionBy: [] }, ["[columns] must declare at least one column"]],
  [
    "a duplicate column",
    { columns: [...base.columns, { name: "total", type: "bigint" }] },
    ['[columns[4].name] "total" is declared twice; accepted: unique column names'],
  ],
  [
    "a varchar column",
    column({ type: "varchar(10)" }),
    [
      `[columns[0].type] "varchar(10)" is not an Athena Iceberg DDL type: "varchar" at position 0 is not supported for Iceberg tables in Athena; use string; accepted: ${ACCEPTED_TYPES}`,
    ],
  ],
  [
    "a type smuggling a statement",
    column({ type: "string) LOCATION 's3://evil/'; --" }),
    [
      `[columns[0].type] "string) LOCATION 's3://evil/'; --" is not an Athena Iceberg DDL type: unexpected character "'" at position 17; accepted: ${ACCEPTED_TYPES}`,
    ],
  ],
  [
    "a type closing the column list",
    column({ type: "string) PARTITIONED BY (x" }),
    [
      `[columns[0].type] "string) PARTITIONED BY (x" is not an Athena Iceberg DDL type: unexpected ")" at position 6; accepted: ${ACCEPTED_TYPES}`,
    ],
  ],
  [
    "a column name with a backtick",
    column({ name: "id`" }),
    ['[columns[0].name] "id`" must be 1-128 lowercase letters, digits or underscores'],
  ],
  [
    "a newline in a comment",
    column({ comment: "first line\nsecond" }),
    ["[columns[0].comment] contains a control character (newline, tab, NUL, ...); accepted: printable text"],
  ],
  [
    "a NUL in a comment",
    column({ comment: "a\u0000b" }),
    ["[columns[0].comment] contains a control character (newline, tab, NUL, ...); accepted: printable text"],
  ],
  [
    "a 256-character comment",
    column({ comment: "c".repeat(256) }),
    ["[columns[0].comment] is 256 characters long; accepted: at most 255"],
  ],
  [
    "a control character in the table comment",
    { comment: "bad\u2028line" },
    ["[comment] contains a control character (newline, tab, NUL, ...); accepted: printable text"],
  ],
  [
    "renamedFrom equal to the column's name",
    column({ renamedFrom: "order_id" }),
    ["[columns[0].renamedFrom] is the column's own name; accepted: its previous name, or leave it out"],
  ],
  [
    "renamedFrom naming a declared column",
    column({ renamedFrom: "total" }),
    [
      '[columns[0].renamedFrom] "total" is also a declared column; a rename chain or swap takes two updates (rename through a temporary name first)',
    ],
  ],
  [
    "two columns renamed from one",
    {
      columns: [
        ...base.columns,
        { name: "a", type: "int", renamedFrom: "old" },
        { name: "b", type: "int", renamedFrom: "old" },
      ],
    },
    ['[columns[5].renamedFrom] "old" is the previous name of two columns; accepted: one rename per column'],
  ],
  [
    "a partition on an undeclared column",
    { partitionBy: [{ column: "region", transform: "identity" }] },
    [
      '[partitionBy[0].column] "region" is not a declared column; accepted: order_id, order_date, attributes, total',
    ],
  ],
  [
    "day() on a string",
    { partitionBy: [{ column: "order_id", transform: "day" }] },
    ['[partitionBy[0]] day() needs a date, timestamp column; "order_id" is string'],
  ],
  [
    "hour() on a date",
    { columns: [{ name: "d", type: "date" }], partitionBy: [{ column: "d", transform: "hour" }] },
    ['[partitionBy[0]] hour() needs a timestamp column; "d" is date'],
  ],
  [
    "bucket() on a map",
    { partitionBy: [{ column: "attributes", transform: "bucket", buckets: 16 }] },
    [
      '[partitionBy[0]] bucket() needs a int, bigint, decimal, date, timestamp, string, binary column; "attributes" is map<string,string>',
    ],
  ],
  [
    "truncate() on a timestamp",
    { partitionBy: [{ column: "order_date", transform: "truncate", width: 4 }] },
    ['[partitionBy[0]] truncate() needs a int, bigint, decimal, string column; "order_date" is timestamp'],
  ],
  [
    "identity on a map",
    { partitionBy: [{ column: "attributes", transform: "identity" }] },
    [
      '[partitionBy[0]] identity needs a boolean, int, bigint, float, double, decimal, string, binary, date, timestamp column; "attributes" is map<string,string>',
    ],
  ],
  [
    "a sort order on an undeclared column",
    { sortOrder: [{ column: "region" }] },
    [
      '[sortOrder[0].column] "region" is not a declared column; accepted: order_id, order_date, attributes, total',
    ],
  ],
  [
    "a sort order naming a column twice",
    { sortOrder: [{ column: "total" }, { column: "total", direction: "desc" }] },
    ['[sortOrder[1].column] "total" is sorted by twice; accepted: each column once'],
  ],
  [
    "a sort order on a map",
    { sortOrder: [{ column: "attributes" }] },
    ['[sortOrder[0].column] Iceberg sorts by primitive columns only; "attributes" is map<string,string>'],
  ],
  [
    "an unknown sort direction and null order",
    { sortOrder: [{ column: "total", direction: "descending", nulls: "middle" }] },
    [
      "[sortOrder[0].direction] Invalid enum value. Expected 'asc' | 'desc', received 'descending'",
      "[sortOrder[0].nulls] Invalid enum value. Expected 'first' | 'last', received 'middle'",
    ],
  ],
  [
    "zero buckets",
    { partitionBy: [{ column: "order_id", transform: "bucket", buckets: 0 }] },
    ["[partitionBy[0].buckets] Number must be greater than or equal to 1"],
  ],
  [
    "an unknown transform",
    { partitionBy: [{ column: "order_id", transform: "days" }] },
    [
      "[partitionBy[0].transform] Invalid discriminator value. Expected 'identity' | 'year' | 'month' | 'day' | 'hour' | 'bucket' | 'truncate'",
    ],
  ],
  [
    "a repeated partition field",
    {
      partitionBy: [
        { column: "order_date", transform: "day" },
        { column: "order_date", transform: "day" },
      ],
    },
    ["[partitionBy[1]] day(order_date) is declared twice"],
  ],
  [
    "two time transforms on one column",
    {
      partitionBy: [
        { column: "order_date", transform: "day" },
        { column: "order_date", transform: "hour" },
      ],
    },
    [
      '[partitionBy[1]] "order_date" already has a time transform; Iceberg allows one of year, month, day, hour per column',
    ],
  ],
  [
    "a native Iceberg property",
    { properties: { "write.parquet.compression-codec": "zstd" } },
    [
      `[properties.write.parquet.compression-codec] "write.parquet.compression-codec" is not an Athena Iceberg table property (a native Iceberg key, rejected by Athena: declare "write_compression" instead); accepted keys: ${ACCEPTED_KEYS}`,
    ],
  ],
  [
    "a custom property",
    { properties: { owner: "me" } },
    [`[properties.owner] "owner" is not an Athena Iceberg table property; accepted keys: ${ACCEPTED_KEYS}`],
  ],
  [
    "table_type",
    { properties: { table_type: "HIVE" } },
    ["[properties.table_type] is set to ICEBERG by the provider; do not declare it"],
  ],
  [
    "lz4 for parquet",
    { properties: { write_compression: "lz4" } },
    [
      '[properties.write_compression] "lz4" is not accepted; accepted: per format: parquet: gzip|snappy|zstd|none; orc: lz4|snappy|zlib|zstd|none; avro: gzip|snappy|zstd|none',
    ],
  ],
  [
    "an unknown format",
    { properties: { format: "csv" } },
    ['[properties.format] "csv" is not accepted; accepted: parquet, orc, avro'],
  ],
  [
    "a size with a unit",
    { properties: { write_target_data_file_size_bytes: "128MB" } },
    [
      `[properties.write_target_data_file_size_bytes] "128MB" is not accepted; accepted: an integer from 1 to 9223372036854775807 (Iceberg's write.target-file-size-bytes is a long)`,
    ],
  ],
  [
    "a target file size past a long",
    { properties: { write_target_data_file_size_bytes: "9223372036854775808" } },
    [
      `[properties.write_target_data_file_size_bytes] "9223372036854775808" is not accepted; accepted: an integer from 1 to 9223372036854775807 (Iceberg's write.target-file-size-bytes is a long)`,
    ],
  ],
  [
    "zero snapshots",
    { properties: { vacuum_min_snapshots_to_keep: "0" } },
    [
      `[properties.vacuum_min_snapshots_to_keep] "0" is not accepted; accepted: an integer from 1 to 2147483647 (Iceberg's history.expire.min-snapshots-to-keep is an int)`,
    ],
  ],
  [
    "snapshots to keep past an int",
    { properties: { vacuum_min_snapshots_to_keep: "2147483648" } },
    [
      `[properties.vacuum_min_snapshots_to_keep] "2147483648" is not accepted; accepted: an integer from 1 to 2147483647 (Iceberg's history.expire.min-snapshots-to-keep is an int)`,
    ],
  ],
  [
    "a snapshot age whose milliseconds overflow a long",
    { properties: { vacuum_max_snapshot_age_seconds: "9223372036854776" } },
    [
      `[properties.vacuum_max_snapshot_age_seconds] "9223372036854776" is not accepted; accepted: an integer from 1 to 9223372036854775 (in milliseconds, Iceberg's history.expire.max-snapshot-age-ms is a long)`,
    ],
  ],
  [
    "metadata files to keep past an int",
    { properties: { vacuum_max_metadata_files_to_keep: "99999999999" } },
    [
      `[properties.vacuum_max_metadata_files_to_keep] "99999999999" is not accepted; accepted: an integer from 1 to 2147483647 (Iceberg's write.metadata.previous-versions-max is an int)`,
    ],
  ],
  [
    "a data file threshold of 50",
    {
      properties: {
        optimize_rewrite_data_file_threshold: "50",
        optimize_rewrite_delete_file_threshold: "0",
      },
    },
    [
      '[properties.optimize_rewrite_data_file_threshold] "50" is not accepted; accepted: an integer from 1 to 49 (Athena: less than 50)',
      '[properties.optimize_rewrite_delete_file_threshold] "0" is not accepted; accepted: an integer from 1 to 49 (Athena: less than 50)',
    ],
  ],
  [
    "a compaction bound of 10 GB",
    { properties: { optimize_rewrite_max_data_file_size_bytes: "10000000000" } },
    [
      '[properties.optimize_rewrite_max_data_file_size_bytes] "10000000000" is not accepted; accepted: an integer from 1 to 9999999999 (Athena: less than 10 GB)',
    ],
  ],
  [
    "a quote in a property value",
    { properties: { vacuum_max_snapshot_age_seconds: "1'); DROP TABLE x; --" } },
    [
      `[properties.vacuum_max_snapshot_age_seconds] "1'); DROP TABLE x; --" is not accepted; accepted: an integer from 1 to 9223372036854775 (in milliseconds, Iceberg's history.expire.max-snapshot-age-ms is a long)`,
    ],
  ],
  [
    "compaction bounds on the wrong side of Athena's default target",
    {
      properties: {
        optimize_rewrite_min_data_file_size_bytes: "600000000",
        optimize_rewrite_max_data_file_size_bytes: "100",
      },
    },
    [
      "[properties.optimize_rewrite_min_data_file_size_bytes] 600000000 is not below write_target_data_file_size_bytes (536870912, Athena's default); accepted: less than the target file size",
      "[properties.optimize_rewrite_max_data_file_size_bytes] 100 is not above write_target_data_file_size_bytes (536870912, Athena's default); accepted: more than the target file size",
    ],
  ],
  [
    "a compaction minimum equal to the declared target",
    {
      properties: {
        write_target_data_file_size_bytes: "134217728",
        optimize_rewrite_min_data_file_size_bytes: "134217728",
      },
    },
    [
      "[properties.optimize_rewrite_min_data_file_size_bytes] 134217728 is not below write_target_data_file_size_bytes (134217728); accepted: less than the target file size",
    ],
  ],
  [
    "an unknown deletion policy",
    { deletionPolicy: "delete" },
    ["[deletionPolicy] Invalid enum value. Expected 'retain' | 'drop', received 'delete'"],
  ],
  [
    "a misspelt field",
    { partitionedBy: [] },
    [
      "[partitionedBy] is not a field of IcebergTable; accepted: name, renamedFrom, comment, database, location, columns, partitionBy, sortOrder, properties, workgroup, region, deletionPolicy, allowColumnDrops",
    ],
  ],
  [
    "an unknown column field",
    column({ nullable: false }),
    ["[columns[0].nullable] is not a field of columns[0]; accepted: name, type, comment, renamedFrom"],
  ],
  [
    "a bucket count on a day() field",
    { partitionBy: [{ column: "order_date", transform: "day", buckets: 4 }] },
    ["[partitionBy[0].buckets] is not a field of partitionBy[0]; accepted: column, transform"],
  ],
  ["a numeric type", column({ type: 12 }), ["[columns[0].type] Expected string, received number"]],
];
