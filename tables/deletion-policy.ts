/**
 * What deleting a declared table does: "retain" leaves the table and its data in place; "drop" runs
 * Athena DROP TABLE, which deletes the table's data. The stack's `tables.deletionPolicy` and each
 * IcebergTable's `deletionPolicy` take these values.
 */
export const TABLE_DELETION_POLICIES = ["retain", "drop"] as const;
export type DeletionPolicy = (typeof TABLE_DELETION_POLICIES)[number];
