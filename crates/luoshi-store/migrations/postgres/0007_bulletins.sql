-- Bulletins (通报, issue #5): a published bulletin is immutable. The body is the canonical JSON
-- text whose SHA-256 is `digest` (also written to the audit row); the trigger below refuses every
-- UPDATE and DELETE, and a correction is a new version of the same period with a reason.
-- UNIQUE (region, period, version) makes scheduled publishing happen once however many sweepers run.
CREATE TABLE bulletins (
    region_id UUID NOT NULL REFERENCES regions (id),
    id UUID NOT NULL,
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    number TEXT NOT NULL,
    as_of DATE NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by UUID,
    digest TEXT NOT NULL,
    body TEXT NOT NULL,
    supersedes_id UUID,
    reason TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    UNIQUE (region_id, period, version),
    UNIQUE (region_id, supersedes_id),
    FOREIGN KEY (region_id, supersedes_id) REFERENCES bulletins (region_id, id)
);
CREATE INDEX bulletins_published ON bulletins (region_id, published_at);
CREATE TABLE bulletin_sequences (
    region_id UUID NOT NULL REFERENCES regions (id),
    year INTEGER NOT NULL,
    last_sequence INTEGER NOT NULL,
    PRIMARY KEY (region_id, year)
);
CREATE FUNCTION bulletins_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published bulletins are immutable';
END;
$$;
CREATE TRIGGER bulletins_no_update BEFORE UPDATE OR DELETE ON bulletins
    FOR EACH ROW EXECUTE FUNCTION bulletins_immutable();
