-- Performance assessment (issue #6). Scheme books are versioned text (TOML, read by the app);
-- entered facts are append-only and dated; a published result set is immutable: the triggers
-- below refuse every UPDATE and DELETE, and a correction is a new row that supersedes the old.
CREATE TABLE assessment_schemes (
    region_id UUID NOT NULL REFERENCES regions (id),
    id UUID NOT NULL,
    scheme_key TEXT NOT NULL,
    category TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    PRIMARY KEY (region_id, id),
    UNIQUE (region_id, scheme_key, version)
);
CREATE TABLE manual_scores (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    unit_id UUID NOT NULL,
    item TEXT NOT NULL,
    points TEXT NOT NULL,
    note TEXT NOT NULL,
    on_date DATE NOT NULL,
    entered_at TIMESTAMPTZ NOT NULL,
    entered_by UUID,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE TABLE bonus_facts (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    unit_id UUID NOT NULL,
    item TEXT NOT NULL,
    points TEXT NOT NULL,
    evidence TEXT NOT NULL,
    on_date DATE NOT NULL,
    entered_at TIMESTAMPTZ NOT NULL,
    entered_by UUID,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE TABLE veto_facts (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    unit_id UUID NOT NULL,
    item TEXT NOT NULL,
    evidence TEXT NOT NULL,
    on_date DATE NOT NULL,
    entered_at TIMESTAMPTZ NOT NULL,
    entered_by UUID,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE TABLE assessment_results (
    region_id UUID NOT NULL REFERENCES regions (id),
    id UUID NOT NULL,
    schemes TEXT NOT NULL,
    as_of DATE NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by UUID,
    digest TEXT NOT NULL,
    body JSONB NOT NULL,
    supersedes_id UUID,
    reason TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    UNIQUE (region_id, supersedes_id),
    FOREIGN KEY (region_id, supersedes_id) REFERENCES assessment_results (region_id, id)
);
CREATE INDEX assessment_results_as_of ON assessment_results (region_id, as_of);
CREATE FUNCTION assessment_results_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published assessment results are immutable';
END;
$$;
CREATE TRIGGER assessment_results_no_update BEFORE UPDATE OR DELETE ON assessment_results
    FOR EACH ROW EXECUTE FUNCTION assessment_results_immutable();
