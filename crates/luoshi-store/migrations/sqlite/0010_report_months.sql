-- The first day (UTC) on which each task reported progress in each month, as sorted
-- `YYYY-MM-DD` days joined by commas. It is derived from the append-only progress reports and
-- kept in the transaction that appends one; the assessment reads it instead of every report
-- (a task's monthly report is on time when the month's first report is by the reporting day).
ALTER TABLE tasks ADD COLUMN report_months TEXT NOT NULL DEFAULT '';

UPDATE tasks SET report_months = COALESCE((
    SELECT group_concat(m.d, ',' ORDER BY m.d) FROM (
        SELECT min(date(p.reported_at)) AS d FROM progress_reports p
        WHERE p.region_id = tasks.region_id AND p.task_id = tasks.id
        GROUP BY strftime('%Y-%m', p.reported_at)
    ) m
), '');
