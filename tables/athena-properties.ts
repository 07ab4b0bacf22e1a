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

/** Positive decimal integer without sign or leading zero, below 2^63 (Iceberg stores these as longs). */
const POSITIVE_INTEGER = /^[1-9][0-9]{0,17}$/;
const positiveInteger: Pick<PropertyRule, "accepted" | "valid"> = {
  accepted: "a positive integer",
  valid: (value) => POSITIVE_INTEGER.test(value),
};

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
    ...positiveInteger,
    native: (value) => ["write.target-file-size-bytes", value],
  },
  optimize_rewrite_min_data_file_size_bytes: positiveInteger,
  optimize_rewrite_max_data_file_size_bytes: positiveInteger,
  optimize_rewrite_data_file_threshold: positiveInteger,
  optimize_rewrite_delete_file_threshold: positiveInteger,
  vacuum_min_snapshots_to_keep: {
    ...positiveInteger,
    native: (value) => ["history.expire.min-snapshots-to-keep", value],
  },
  vacuum_max_snapshot_age_seconds: {
    ...positiveInteger,
    native: (value) => ["history.expire.max-snapshot-age-ms", (BigInt(value) * 1000n).toString()],
  },
  vacuum_max_metadata_files_to_keep: {
    ...positiveInteger,
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
  const min = properties.optimize_rewrite_min_data_file_size_bytes;
  const max = properties.optimize_rewrite_max_data_file_size_bytes;
  if (min !== undefined && max !== undefined && POSITIVE_INTEGER.test(min) && POSITIVE_INTEGER.test(max)) {
    if (BigInt(min) > BigInt(max)) {
      problems.push({
        key: "optimize_rewrite_min_data_file_size_bytes",
        message: `${min} is above optimize_rewrite_max_data_file_size_bytes (${max}); accepted: min <= max`,
      });
    }
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
