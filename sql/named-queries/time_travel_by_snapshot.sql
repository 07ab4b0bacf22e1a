-- name: time-travel-orders-by-snapshot
-- description: Orders as of one snapshot; take an id from the snapshot-history query
SELECT order_id, order_status, net_amount, _processing_timestamp
FROM curated_orders FOR VERSION AS OF 1234567890123456789
ORDER BY order_id
LIMIT 100;
