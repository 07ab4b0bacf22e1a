-- name: quality-results-latest-run
-- description: Every quality check of the latest audited run (failed first): what stopped it, or what it published
SELECT run_id, job_name, table_name, check_name, passed, accepted, observed, unit, checked, threshold, detail,
       audit_branch, checked_at
FROM quality_results
WHERE run_id = (SELECT max_by(run_id, checked_at) FROM quality_results)
ORDER BY passed, job_name, table_name, check_name;
