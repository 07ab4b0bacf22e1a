import { editInput, PlantedDefect, set } from "./lakehouse-variant";

/**
 * Planted defects of the insecure prod variant on the stack's real Iceberg tables (the dynamic
 * resource each IcebergTable component wraps): the config refuses these settings in prod, so a
 * transformation plants them after the component has validated its arguments, as a hand edit of the
 * program would.
 */

const TABLE = "pulumi-nodejs:dynamic/lakehouse:IcebergTable";
const ORPHAN_OPTIMIZER = "lakehouse-managed-maintenance-raw-orders-orphan-file-deletion";

export const TABLE_DEFECTS: readonly PlantedDefect[] = [
  {
    what: "a managed table (raw_orders in the insecure variant) whose orphan files go after one day",
    type: "aws:glue/catalogTableOptimizer:CatalogTableOptimizer",
    name: ORPHAN_OPTIMIZER,
    props: (props) => ({
      ...props,
      configuration: editInput(props.configuration, (c) => ({
        ...c,
        orphanFileDeletionConfiguration: { icebergConfiguration: { orphanFileRetentionPeriodInDays: 1 } },
      })),
    }),
    expected: {
      policy: "glue-table-optimizer-safety-floors",
      resource: ORPHAN_OPTIMIZER,
      message:
        `table optimizer "${ORPHAN_OPTIMIZER}" (orphan_file_deletion of raw_orders) deletes orphan files once ` +
        "they are 1 day old; at least 3 days are required: younger files can belong to writes in flight",
    },
  },
  {
    what: "a prod table that drops its data on delete",
    type: TABLE,
    name: "lakehouse-raw_customers-table",
    props: set({ deletionPolicy: "drop" }),
    expected: {
      policy: "iceberg-table-retains-data",
      resource: "lakehouse-raw_customers-table",
      message: 'table "raw_customers" has deletionPolicy "drop" in environment "prod"',
    },
  },
  {
    what: "an unprotected prod table",
    type: TABLE,
    name: "lakehouse-curated_orders-table",
    opts: (opts) => ({ ...opts, protect: false }),
    expected: {
      policy: "prod-stateful-resources-protected",
      resource: "lakehouse-curated_orders-table",
      message: 'Iceberg table "lakehouse-curated_orders-table" is not protected in production',
    },
  },
  {
    what: "a table inside another table's folder",
    type: TABLE,
    name: "lakehouse-quarantine_records-table",
    props: (props) => ({
      ...props,
      location: editInput<string>(props.location, (l) => l.replace("/quarantine/records/", "/raw/orders/q/")),
    }),
    expected: {
      policy: "iceberg-table-own-location",
      resource: "lakehouse-quarantine_records-table",
      message:
        'table "quarantine_records" at "s3://lakehouse-data/raw/orders/q/" overlaps the location of table "raw_orders" ("s3://lakehouse-data/raw/orders/")',
    },
  },
  {
    what: "a table deleted before its replacement exists",
    type: TABLE,
    name: "lakehouse-agg_daily_metrics-table",
    opts: (opts) => ({ ...opts, deleteBeforeReplace: true }),
    expected: {
      policy: "stateful-no-delete-before-replace",
      resource: "lakehouse-agg_daily_metrics-table",
      message:
        'Iceberg table "lakehouse-agg_daily_metrics-table" is set to be deleted before its replacement is created (deleteBeforeReplace)',
    },
  },
];
