-- name: snapshot-history-orders
-- description: Commits of curated_orders, newest first, with what each changed
SELECT committed_at,
       snapshot_id,
       parent_id,
       operation,
       summary['added-records'] AS added_records,
       summary['deleted-records'] AS deleted_records
FROM "curated_orders$snapshots"
ORDER BY committed_at DESC;
