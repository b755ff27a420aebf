-- Delivery of supervision messages beyond the in-app inbox (issue #5): each user's e-mail
-- contact and preference, each unit's chat robots, and a lease on queued deliveries so that two
-- app servers never send the same delivery at once (a crashed sender's lease expires).

-- A user's contact and preferences; in-app messages are always on. No row: no e-mail.
CREATE TABLE user_contacts (
    region_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    email TEXT,
    email_on INTEGER NOT NULL,
    version BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region_id, user_id),
    FOREIGN KEY (region_id, user_id) REFERENCES users (region_id, id)
);

-- A unit's chat group robots (dingtalk | wecom | feishu). The secret is write-only in the UI.
CREATE TABLE unit_robots (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    unit_id BLOB NOT NULL,
    platform TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT,
    enabled INTEGER NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE INDEX unit_robots_unit ON unit_robots (region_id, unit_id);

-- The message's title (an e-mail's subject, a robot message's heading); who holds the delivery
-- and until when (a claim is a conditional UPDATE; an expired lease may be claimed again).
ALTER TABLE deliveries ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
