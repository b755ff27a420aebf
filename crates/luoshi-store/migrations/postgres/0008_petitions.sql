-- Petition cases (信访, issue #7). A case is one versioned row with every node date; the
-- statutory clocks are computed from them, never stored. The petitioners' personal data are kept
-- only as ciphertext (one AEAD-sealed blob per case, sealed by the app with the case id as
-- associated data). Events, personal-data reads and repeat decisions are append-only.
CREATE TABLE petitions (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    channel TEXT NOT NULL,
    petitioner_count BIGINT NOT NULL,
    matter TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    handling_unit_id UUID,
    registered_on DATE NOT NULL,
    routed_on DATE,
    received_on DATE,
    accepted_on DATE,
    declined_on DATE,
    objected_on DATE,
    replied_on DATE,
    review_requested_on DATE,
    review_decided_on DATE,
    rereview_requested_on DATE,
    rereview_decided_on DATE,
    closed_on DATE,
    extension_approved_on DATE,
    extension_notice_on DATE,
    -- 0 when the case has no extension (extension_approved_on is NULL).
    extension_days BIGINT NOT NULL,
    extension_reason TEXT,
    review_outcome TEXT,
    rereview_outcome TEXT,
    leader_id UUID,
    leader_assigned_on DATE,
    leader_extended_to DATE,
    leader_resolved_on DATE,
    repeat_of_id UUID,
    rating TEXT,
    rated_on DATE,
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
    region_id UUID NOT NULL,
    petition_id UUID NOT NULL,
    sealed BYTEA NOT NULL,
    PRIMARY KEY (region_id, petition_id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id)
);

-- Every action on a case: what, the date it happened, its arguments, who and when it was recorded.
CREATE TABLE petition_events (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    petition_id UUID NOT NULL,
    action TEXT NOT NULL,
    happened_on DATE NOT NULL,
    detail JSONB NOT NULL,
    actor_id UUID,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id)
);
CREATE INDEX petition_events_case ON petition_events (region_id, petition_id, recorded_at);

-- Who read a case's personal data, when, and through which route.
CREATE TABLE petition_reads (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    petition_id UUID NOT NULL,
    user_id UUID NOT NULL,
    route TEXT NOT NULL,
    read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id)
);
CREATE INDEX petition_reads_case ON petition_reads (region_id, petition_id, read_at);

-- A handler's decision on a proposed repeat: confirmed (the case repeats the earlier one) or
-- rejected (not proposed again).
CREATE TABLE petition_repeat_links (
    region_id UUID NOT NULL,
    petition_id UUID NOT NULL,
    earlier_id UUID NOT NULL,
    confirmed BOOLEAN NOT NULL,
    score_pct TEXT NOT NULL,
    decided_by UUID,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (region_id, petition_id, earlier_id),
    FOREIGN KEY (region_id, petition_id) REFERENCES petitions (region_id, id),
    FOREIGN KEY (region_id, earlier_id) REFERENCES petitions (region_id, id)
);

CREATE FUNCTION petition_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'petition events and the personal-data read log are append-only';
END;
$$;
CREATE TRIGGER petition_events_no_update BEFORE UPDATE OR DELETE ON petition_events
    FOR EACH ROW EXECUTE FUNCTION petition_log_immutable();
CREATE TRIGGER petition_reads_no_update BEFORE UPDATE OR DELETE ON petition_reads
    FOR EACH ROW EXECUTE FUNCTION petition_log_immutable();
