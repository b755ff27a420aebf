-- The sweep no longer reads recent progress reports by date (it reads `tasks.report_months`,
-- migration 0010), and nothing else reads reports by date: the index only cost writes.
DROP INDEX progress_reports_day;
