/**
 * The quality expectations of a table, declared beside its columns (`quality` of a TableDefinition).
 * The jobs check them on every run's audit branch before publishing (jobs/lakehouse_jobs/publish.py);
 * the stack passes them to each job as `--quality-expectations`, the local harness reads them from
 * build/table-specs.json. A check with `maxShare` 0 (the default) is strict; with a share it is judged
 * only over at least `minRows` rows, since the share of a handful of rows says little.
 */
export interface QualityTolerance {
  /** Share (0-1) of the checked keys or values that may fail. @default 0 */
  readonly maxShare?: number;
  /** Fewest checked keys or values a share is judged from. @default 100 */
  readonly minRows?: number;
}

export interface UniqueKey extends QualityTolerance {
  readonly columns: readonly string[];
  /**
   * `table`: the keys a run wrote, against every row of the table; `batch`: among that run's rows only
   * (a batch that repeats a key). @default "table"
   */
  readonly scope?: "table" | "batch";
  /** A boolean column: unique among the rows where it is true (the current versions of an SCD2 table). */
  readonly where?: string;
}

export interface Reference extends QualityTolerance {
  /** A column, or `array.field` for a field of an array of structs (`items.product_id`). */
  readonly column: string;
  readonly table: string;
  readonly tableColumn: string;
}

export interface TableQuality {
  readonly notNull?: readonly string[];
  readonly unique?: readonly UniqueKey[];
  readonly acceptedValues?: Readonly<Record<string, readonly string[]>>;
  /** Decimal strings, as money is written: `{ min: "0.00" }`. */
  readonly ranges?: Readonly<Record<string, { readonly min?: string; readonly max?: string }>>;
  readonly references?: readonly Reference[];
  /** The newest value of a timestamp column is at most this old when a run's checks run. */
  readonly freshness?: { readonly column: string; readonly maxAgeHours: number };
  /**
   * Rows a run adds against the median of the last `trailingRuns` published runs that added rows: inside
   * [median / maxRatio, median x maxRatio], judged once `minRuns` of them exist.
   */
  readonly volume?: { readonly maxRatio: number; readonly trailingRuns: number; readonly minRuns: number };
}

export const QUALITY_DEFAULTS = { maxShare: 0, minRows: 100 } as const;

/** The expectations as a job receives them: tolerances spelled out, so both sides use the same values. */
export function qualityForJobs(quality: TableQuality | undefined): TableQuality {
  const withDefaults = <T extends QualityTolerance>(t: T): T => ({ ...QUALITY_DEFAULTS, ...t });
  return {
    ...(quality ?? {}),
    ...(quality?.unique === undefined ? {} : { unique: quality.unique.map(withDefaults) }),
    ...(quality?.references === undefined ? {} : { references: quality.references.map(withDefaults) }),
  };
}
