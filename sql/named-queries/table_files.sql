-- name: table-files-orders
-- description: Data files of curated_orders with sizes, to judge whether compaction is due
SELECT partition,
       count(*) AS files,
       sum(file_size_in_bytes) AS bytes,
       avg(file_size_in_bytes) AS avg_file_bytes
FROM "curated_orders$files"
GROUP BY partition
ORDER BY files DESC;
