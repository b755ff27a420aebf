-- The sweep reads each region's recent progress reports by date (`supervision::report_dates`);
-- the task index cannot serve a date range, so every report of the region was read.
CREATE INDEX progress_reports_day ON progress_reports (region_id, reported_at);
