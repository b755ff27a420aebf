-- Files attached to progress reports (evidence: photos, acceptance documents). Stored in the
-- database so that backups and several app servers need nothing else; size is capped by the app.
CREATE TABLE attachments (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    task_id BLOB NOT NULL,
    report_id BLOB NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by BLOB,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id),
    FOREIGN KEY (region_id, report_id) REFERENCES progress_reports (region_id, id)
);
CREATE INDEX attachments_task ON attachments (region_id, task_id);
