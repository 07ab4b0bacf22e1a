-- name: revenue-by-customer-segment
-- description: Revenue per customer segment per day for the last 30 days (gold layer)
SELECT metric_date,
       dimension_value AS customer_segment,
       metric_value AS revenue,
       metric_count AS orders
FROM agg_daily_metrics
WHERE metric_type = 'segment_revenue'
  AND metric_date >= current_date - INTERVAL '30' DAY
ORDER BY metric_date, customer_segment;
