-- Supervision (督查督办): the region's policy, the events found by the sweeper, what it observed,
-- supervision notices (督办单) and their responses, the in-app inbox and outgoing deliveries.
-- The unique keys make every event, message and delivery happen once, however many sweepers run.

-- The region's supervision policy, versioned; the highest version is current.
CREATE TABLE supervision_policies (
    region_id BLOB NOT NULL REFERENCES regions (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB,
    PRIMARY KEY (region_id, version)
);

-- Append-only: one row per real-world occurrence (its dedup key).
CREATE TABLE supervision_events (
    region_id BLOB NOT NULL REFERENCES regions (id),
    id BLOB NOT NULL,
    dedup_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    unit_id BLOB NOT NULL,
    occurred_on TEXT NOT NULL,
    detail TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE UNIQUE INDEX supervision_events_key ON supervision_events (region_id, dedup_key);
CREATE INDEX supervision_events_day ON supervision_events (region_id, occurred_on);

-- The lamp last observed for each subject (a task, an item …), keyed by the subject's text.
CREATE TABLE lamp_observations (
    region_id BLOB NOT NULL REFERENCES regions (id),
    subject TEXT NOT NULL,
    lamp TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    PRIMARY KEY (region_id, subject)
);

-- A task's lamp at a monthly checkpoint (the month's last day).
CREATE TABLE checkpoints (
    region_id BLOB NOT NULL,
    task_id BLOB NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    lamp TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (region_id, task_id, year, month),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id)
);

-- The next notice number of each region and year.
CREATE TABLE notice_sequences (
    region_id BLOB NOT NULL REFERENCES regions (id),
    year INTEGER NOT NULL,
    last_sequence INTEGER NOT NULL,
    PRIMARY KEY (region_id, year)
);

CREATE TABLE notices (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    number TEXT NOT NULL,
    task_id BLOB,
    unit_id BLOB NOT NULL,
    requirement TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    respond_by TEXT NOT NULL,
    follows_id BLOB,
    status TEXT NOT NULL,
    decided_on TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id),
    FOREIGN KEY (region_id, follows_id) REFERENCES notices (region_id, id)
);
CREATE UNIQUE INDEX notices_number ON notices (region_id, year, sequence);
CREATE INDEX notices_status ON notices (region_id, status, respond_by);

-- Append-only: the unit's written responses.
CREATE TABLE notice_responses (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    notice_id BLOB NOT NULL,
    text TEXT NOT NULL,
    responded_on TEXT NOT NULL,
    responded_at TEXT NOT NULL,
    responded_by BLOB,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, notice_id) REFERENCES notices (region_id, id)
);
CREATE INDEX notice_responses_notice ON notice_responses (region_id, notice_id);

-- One message per user and occurrence (dedup key).
CREATE TABLE inbox_messages (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    dedup_key TEXT NOT NULL,
    event_id BLOB,
    notice_id BLOB,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, user_id) REFERENCES users (region_id, id),
    FOREIGN KEY (region_id, event_id) REFERENCES supervision_events (region_id, id),
    FOREIGN KEY (region_id, notice_id) REFERENCES notices (region_id, id)
);
CREATE UNIQUE INDEX inbox_messages_key ON inbox_messages (region_id, user_id, dedup_key);
CREATE INDEX inbox_messages_user ON inbox_messages (region_id, user_id, created_at);

-- Outgoing messages on other channels (e-mail, chat webhooks), sent once each.
CREATE TABLE deliveries (
    region_id BLOB NOT NULL REFERENCES regions (id),
    id BLOB NOT NULL,
    dedup_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    target TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (region_id, id)
);
CREATE UNIQUE INDEX deliveries_key ON deliveries (region_id, dedup_key, channel, recipient);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);

-- The person (e.g. a lead official) a user account belongs to, so escalations reach them.
ALTER TABLE users ADD COLUMN person_id BLOB;
