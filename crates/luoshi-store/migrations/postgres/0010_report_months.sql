-- The first day (UTC) on which each task reported progress in each month, as sorted
-- `YYYY-MM-DD` days joined by commas. It is derived from the append-only progress reports and
-- kept in the transaction that appends one; the assessment reads it instead of every report
-- (a task's monthly report is on time when the month's first report is by the reporting day).
ALTER TABLE tasks ADD COLUMN report_months TEXT NOT NULL DEFAULT '';

UPDATE tasks t SET report_months = s.days
FROM (
    SELECT m.region_id, m.task_id, string_agg(m.d, ',' ORDER BY m.d) AS days
    FROM (
        SELECT region_id, task_id, to_char(min(reported_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS d
        FROM progress_reports
        GROUP BY region_id, task_id, to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM')
    ) m
    GROUP BY m.region_id, m.task_id
) s
WHERE t.region_id = s.region_id AND t.id = s.task_id;
