-- Petition cases (信访, issue #7). A case is one versioned row with every node date; the
-- statutory clocks are computed from them, never stored. The petitioners' personal data are kept
-- only as ciphertext (one AEAD-sealed blob per case, sealed by the app with the case id as
-- associated data). Events, personal-data reads and repeat decisions are append-only.
CREATE TABLE petitions (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    channel TEXT NOT NULL,
    petitioner_count BIGINT NOT NULL,
    matter TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    handling_unit_id BLOB,
    registered_on TEXT NOT NULL,
    routed_on TEXT,
    received_on TEXT,
    accepted_on TEXT,
    declined_on TEXT,
    objected_on TEXT,
    replied_on TEXT,
    review_requested_on TEXT,
    review_decided_on TEXT,
    rereview_requested_on TEXT,
    rereview_decided_on TEXT,
    closed_on TEXT,
    extension_approved_on TEXT,
    extension_notice_on TEXT,
    -- 0 when the case has no extension (extension_approved_on is NULL).
    extension_days BIGINT NOT NULL,
    extension_reason TEXT,
    review_outcome TEXT,
    rereview_outcome TEXT,
    leader_id BLOB,
    leader_assigned_on TEXT,
    leader_extended_to TEXT,
    leader_resolved_on TEXT,
    repeat_of_id BLOB,
    rating TEXT,
    rated_on TEXT,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, handling_unit_id) REFERENCES units (region_id, id),
    FOREIGN KEY (region_id, leader_id) REFERENCES people (region_id, id),
    FOREIGN KEY (region_id, repeat_of_id) REFERENCES petitions (region_id, id)
);
CREATE INDEX petitions_unit ON petitions (region_id, handling_unit_id);
CREATE INDEX petitions_leader ON petitions (region_id, leader_id);
CREATE INDEX petitions_registered ON petitions (region_id, registered_on);

-- The personal data of a case: version byte, nonce and ciphertext, nothing in the clear.
CREATE TABLE petition_personal (
    region_id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (region_id, petition_id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id)
);

-- Every action on a case: what, the date it happened, its arguments, who and when it was recorded.
CREATE TABLE petition_events (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    action TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    detail TEXT NOT NULL,
    actor_id BLOB,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id)
);
CREATE INDEX petition_events_case ON petition_events (region_id, petition_id, recorded_at);

-- Who read a case's personal data, when, and through which route.
CREATE TABLE petition_reads (
    region_id BLOB NOT NULL,
    id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    route TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id)
);
CREATE INDEX petition_reads_case ON petition_reads (region_id, petition_id, read_at);

-- A handler's decision on a proposed repeat: confirmed (the case repeats the earlier one) or
-- rejected (not proposed again).
CREATE TABLE petition_repeat_links (
    region_id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    earlier_id BLOB NOT NULL,
    confirmed BOOLEAN NOT NULL,
    score_pct TEXT NOT NULL,
    decided_by BLOB,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (region_id, petition_id, earlier_id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id),
    FOREIGN KEY (region_id, earlier_id) REFERENCES petitions (region_id, id)
);

CREATE TRIGGER petition_events_no_update BEFORE UPDATE ON petition_events
BEGIN
    SELECT RAISE(ABORT, 'petition events are append-only');
END;
CREATE TRIGGER petition_events_no_delete BEFORE DELETE ON petition_events
BEGIN
    SELECT RAISE(ABORT, 'petition events are append-only');
END;
CREATE TRIGGER petition_reads_no_update BEFORE UPDATE ON petition_reads
BEGIN
    SELECT RAISE(ABORT, 'the personal-data read log is append-only');
END;
CREATE TRIGGER petition_reads_no_delete BEFORE DELETE ON petition_reads
BEGIN
    SELECT RAISE(ABORT, 'the personal-data read log is append-only');
END;
