-- name: time-travel-orders-by-timestamp
-- description: Orders as they were at a moment in the past (UTC); change the timestamp
SELECT order_id, order_status, net_amount, _processing_timestamp
FROM curated_orders FOR TIMESTAMP AS OF (current_timestamp - INTERVAL '1' DAY)
ORDER BY order_id
LIMIT 100;
