-- The in-app inbox keeps each message's text once and gives every recipient a thin row with
-- their own read mark. Before, a message was copied in full to each recipient: a province's
-- first sweep wrote 148,298 rows (four B-trees each) for 74,149 events.
--
-- Existing copies are merged by region and dedup key: the earliest copy's id and text are kept,
-- and every user who had a copy becomes a recipient with the read time they had.
DROP INDEX inbox_messages_key;
DROP INDEX inbox_messages_user;
ALTER TABLE inbox_messages RENAME TO inbox_messages_0011;

CREATE TABLE inbox_messages (
    region_id BLOB NOT NULL REFERENCES regions (id),
    id BLOB NOT NULL,
    dedup_key TEXT NOT NULL,
    event_id BLOB,
    notice_id BLOB,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, event_id) REFERENCES supervision_events (region_id, id),
    FOREIGN KEY (region_id, notice_id) REFERENCES notices (region_id, id)
);
-- One message per occurrence.
CREATE UNIQUE INDEX inbox_messages_key ON inbox_messages (region_id, dedup_key);

-- Who received which message, and when they read it (a user's inbox is a range of this key).
CREATE TABLE inbox_recipients (
    region_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    message_id BLOB NOT NULL,
    read_at TEXT,
    PRIMARY KEY (region_id, user_id, message_id),
    FOREIGN KEY (region_id, user_id) REFERENCES users (region_id, id),
    FOREIGN KEY (region_id, message_id) REFERENCES inbox_messages (region_id, id)
) WITHOUT ROWID;

INSERT INTO inbox_messages (region_id, id, dedup_key, event_id, notice_id, title, body, created_at)
SELECT region_id, id, dedup_key, event_id, notice_id, title, body, created_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY region_id, dedup_key ORDER BY created_at, id) AS n
    FROM inbox_messages_0011
) AS copies
WHERE n = 1;

INSERT INTO inbox_recipients (region_id, user_id, message_id, read_at)
SELECT o.region_id, o.user_id, m.id, o.read_at
FROM inbox_messages_0011 o
JOIN inbox_messages m ON m.region_id = o.region_id AND m.dedup_key = o.dedup_key;

DROP TABLE inbox_messages_0011;
