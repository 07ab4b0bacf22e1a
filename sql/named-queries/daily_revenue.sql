-- name: daily-revenue
-- description: Revenue and order count per day for the last 30 days (gold layer)
SELECT metric_date,
       metric_value AS revenue,
       metric_count AS orders
FROM agg_daily_metrics
WHERE metric_type = 'daily_revenue'
  AND metric_date >= current_date - INTERVAL '30' DAY
ORDER BY metric_date;
