/**
 * Athena's Iceberg table properties: the allow-list its CREATE TABLE and ALTER TABLE SET TBLPROPERTIES
 * accept (custom keys are rejected), what each value may be, and the native Iceberg property Spark uses
 * for the same setting (so a local Spark table behaves like the Athena-created one on AWS).
 */

type Properties = Readonly<Record<string, string>>;

interface PropertyRule {
  /** What the value may be, for error messages. */
  readonly accepted: string;
  readonly valid: (value: string, all: Properties) => boolean;
  /** The native Iceberg key and value Spark sets for the same behaviour; undefined when Athena-only. */
  readonly native?: (value: string, all: Properties) => readonly [string, string];
}

/** A decimal integer without sign or leading zero. */
const INTEGER = /^(0|[1-9][0-9]*)$/;

/**
 * An integer property within the range both engines accept: Athena's documented limits, and the Java
 * type Iceberg parses the equivalent native property into (Spark reads it; out of range, every write
 * fails). Bounds are inclusive decimal text, compared as BigInt inside the function (a captured BigInt
 * would not survive the provider's serialization).
 */
function integerIn(min: string, max: string, why: string): Pick<PropertyRule, "accepted" | "valid"> {
  return {
    accepted: `an integer from ${min} to ${max} (${why})`,
    valid: (value) =>
      INTEGER.test(value) &&
      value.length <= 20 &&
      BigInt(value) >= BigInt(min) &&
      BigInt(value) <= BigInt(max),
  };
}

/** Largest Java int and long: Iceberg reads these properties with Integer/Long.parseLong. */
const JAVA_INT_MAX = "2147483647";
const JAVA_LONG_MAX = "9223372036854775807";
/** Athena: compaction file size bounds "must be less than 10GB" (taken as 10^10 bytes, the stricter reading). */
const UNDER_10_GB = "9999999999";
/** Athena's write_target_data_file_size_bytes when a table does not set it (512 MB). */
export const ATHENA_DEFAULT_TARGET_FILE_SIZE_BYTES = "536870912";

export const FILE_FORMATS = ["parquet", "orc", "avro"] as const;
type FileFormat = (typeof FILE_FORMATS)[number];

/** Compression Athena engine v3 writes per Iceberg file format (Athena's "Iceberg table compression"). */
export const COMPRESSION_BY_FORMAT: Readonly<Record<FileFormat, readonly string[]>> = {
  parquet: ["gzip", "snappy", "zstd", "none"],
  orc: ["lz4", "snappy", "zlib", "zstd", "none"],
  avro: ["gzip", "snappy", "zstd", "none"],
};

function fileFormat(all: Properties): FileFormat {
  const format = all.format ?? "parquet";
  return (FILE_FORMATS as readonly string[]).includes(format) ? (format as FileFormat) : "parquet";
}

export const ATHENA_TABLE_PROPERTIES: Readonly<Record<string, PropertyRule>> = {
  format: {
    accepted: FILE_FORMATS.join(", "),
    valid: (value) => (FILE_FORMATS as readonly string[]).includes(value),
    native: (value) => ["write.format.default", value],
  },
  write_compression: {
    accepted: `per format: ${FILE_FORMATS.map((f) => `${f}: ${COMPRESSION_BY_FORMAT[f].join("|")}`).join("; ")}`,
    valid: (value, all) => COMPRESSION_BY_FORMAT[fileFormat(all)].includes(value),
    native: (value, all) => {
      const format = fileFormat(all);
      // Iceberg spells "no compression" per format: parquet and avro say "uncompressed", ORC "none".
      const codec = value === "none" && format !== "orc" ? "uncompressed" : value;
      return [`write.${format}.compression-codec`, codec];
    },
  },
  write_target_data_file_size_bytes: {
    ...integerIn("1", JAVA_LONG_MAX, "Iceberg's write.target-file-size-bytes is a long"),
    native: (value) => ["write.target-file-size-bytes", value],
  },
  optimize_rewrite_min_data_file_size_bytes: integerIn("0", UNDER_10_GB, "Athena: less than 10 GB"),
  optimize_rewrite_max_data_file_size_bytes: integerIn("1", UNDER_10_GB, "Athena: less than 10 GB"),
  optimize_rewrite_data_file_threshold: integerIn("1", "49", "Athena: less than 50"),
  optimize_rewrite_delete_file_threshold: integerIn("1", "49", "Athena: less than 50"),
  vacuum_min_snapshots_to_keep: {
    ...integerIn("1", JAVA_INT_MAX, "Iceberg's history.expire.min-snapshots-to-keep is an int"),
    native: (value) => ["history.expire.min-snapshots-to-keep", value],
  },
  vacuum_max_snapshot_age_seconds: {
    // Iceberg holds the age in milliseconds, as a long.
    ...integerIn(
      "1",
      "9223372036854775",
      "in milliseconds, Iceberg's history.expire.max-snapshot-age-ms is a long",
    ),
    native: (value) => ["history.expire.max-snapshot-age-ms", (BigInt(value) * 1000n).toString()],
  },
  vacuum_max_metadata_files_to_keep: {
    ...integerIn("1", JAVA_INT_MAX, "Iceberg's write.metadata.previous-versions-max is an int"),
    native: (value) => ["write.metadata.previous-versions-max", value],
  },
};

/** Set by the provider on every table (`'table_type'='ICEBERG'`); never declared. */
export const TABLE_TYPE_PROPERTY = "table_type";

/** Native keys users reach for, with the Athena key that does the same (for a helpful refusal). */
const ATHENA_KEY_FOR_NATIVE: Readonly<Record<string, string>> = {
  "write.format.default": "format",
  "write.parquet.compression-codec": "write_compression",
  "write.orc.compression-codec": "write_compression",
  "write.avro.compression-codec": "write_compression",
  "write.target-file-size-bytes": "write_target_data_file_size_bytes",
  "history.expire.min-snapshots-to-keep": "vacuum_min_snapshots_to_keep",
  "history.expire.max-snapshot-age-ms": "vacuum_max_snapshot_age_seconds",
  "write.metadata.previous-versions-max": "vacuum_max_metadata_files_to_keep",
};

export interface PropertyProblem {
  /** The property key the problem is about (the field is `properties.<key>`). */
  readonly key: string;
  readonly message: string;
}

/** Every problem of a property map: keys outside Athena's allow-list, invalid values, inconsistent pairs. */
export function athenaPropertyProblems(properties: Properties): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  const acceptedKeys = Object.keys(ATHENA_TABLE_PROPERTIES).join(", ");
  for (const [key, value] of Object.entries(properties)) {
    const rule = ATHENA_TABLE_PROPERTIES[key];
    if (key === TABLE_TYPE_PROPERTY) {
      problems.push({ key, message: `is set to ICEBERG by the provider; do not declare it` });
    } else if (rule === undefined) {
      const equivalent = ATHENA_KEY_FOR_NATIVE[key];
      const hint =
        equivalent === undefined
          ? ""
          : ` (a native Iceberg key, rejected by Athena: declare "${equivalent}" instead)`;
      problems.push({
        key,
        message: `"${key}" is not an Athena Iceberg table property${hint}; accepted keys: ${acceptedKeys}`,
      });
    } else if (!rule.valid(value, properties)) {
      problems.push({ key, message: `${JSON.stringify(value)} is not accepted; accepted: ${rule.accepted}` });
    }
  }
  problems.push(...fileSizeOrderProblems(properties));
  return problems;
}

/**
 * Athena's order of the compaction bounds around the target file size (its default when the table does
 * not set one): min < target < max. Values already refused for their range are not compared.
 */
function fileSizeOrderProblems(properties: Properties): PropertyProblem[] {
  const valid = (key: string) =>
    properties[key] !== undefined && ATHENA_TABLE_PROPERTIES[key].valid(properties[key], properties);
  const declaredTarget = properties.write_target_data_file_size_bytes;
  if (declaredTarget !== undefined && !valid("write_target_data_file_size_bytes")) {
    return [];
  }
  const target = declaredTarget ?? ATHENA_DEFAULT_TARGET_FILE_SIZE_BYTES;
  const targetText = `write_target_data_file_size_bytes (${target}${declaredTarget === undefined ? ", Athena's default" : ""})`;
  const problems: PropertyProblem[] = [];
  const min = "optimize_rewrite_min_data_file_size_bytes";
  if (valid(min) && BigInt(properties[min]) >= BigInt(target)) {
    problems.push({
      key: min,
      message: `${properties[min]} is not below ${targetText}; accepted: less than the target file size`,
    });
  }
  const max = "optimize_rewrite_max_data_file_size_bytes";
  if (valid(max) && BigInt(properties[max]) <= BigInt(target)) {
    problems.push({
      key: max,
      message: `${properties[max]} is not above ${targetText}; accepted: more than the target file size`,
    });
  }
  return problems;
}

/**
 * The native Iceberg properties equivalent to validated Athena properties, sorted by key (for the
 * local Spark harness). Athena-only settings (OPTIMIZE thresholds) have no equivalent and are left out.
 */
export function nativeIcebergProperties(properties: Properties): Record<string, string> {
  const native: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    const pair = ATHENA_TABLE_PROPERTIES[key]?.native?.(value, properties);
    if (pair !== undefined) {
      native[pair[0]] = pair[1];
    }
  }
  return Object.fromEntries(Object.entries(native).sort(([a], [b]) => a.localeCompare(b)));
}
