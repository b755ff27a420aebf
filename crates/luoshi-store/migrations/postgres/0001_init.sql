-- luoshi schema, version 1. Every table carries region_id, and it leads every primary, unique and
-- foreign key, so one database can hold many regions (and be distributed by region later).
-- Decimals are canonical TEXT on both backends; formulas are never computed in SQL.

CREATE TABLE regions (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id UUID REFERENCES regions (id),
    created_at TIMESTAMPTZ NOT NULL
);

-- A counter bumped by every audited change; caches of derived values are keyed by it.
CREATE TABLE region_state (
    region_id UUID PRIMARY KEY REFERENCES regions (id),
    data_version BIGINT NOT NULL
);

CREATE TABLE units (
    region_id UUID NOT NULL REFERENCES regions (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id),
    UNIQUE (region_id, code)
);

CREATE TABLE people (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    name TEXT NOT NULL,
    post TEXT NOT NULL,
    unit_id UUID,
    phone TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);

CREATE TABLE users (
    region_id UUID NOT NULL REFERENCES regions (id),
    id UUID NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (region_id, id)
);

CREATE TABLE user_grants (
    region_id UUID NOT NULL,
    user_id UUID NOT NULL,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    unit_id UUID,
    PRIMARY KEY (region_id, user_id, position),
    FOREIGN KEY (region_id, user_id) REFERENCES users (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);

-- Sessions live in the database so any app server can serve any request.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    region_id UUID NOT NULL,
    user_id UUID NOT NULL,
    kind TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (region_id, user_id) REFERENCES users (region_id, id)
);
CREATE INDEX sessions_user ON sessions (region_id, user_id);

CREATE TABLE plans (
    region_id UUID NOT NULL REFERENCES regions (id),
    id UUID NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id)
);

CREATE TABLE sections (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    plan_id UUID NOT NULL,
    parent_id UUID,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, plan_id) REFERENCES plans (region_id, id),
    FOREIGN KEY (region_id, parent_id) REFERENCES sections (region_id, id)
);
CREATE INDEX sections_plan ON sections (region_id, plan_id);

CREATE TABLE indicators (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    plan_id UUID NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    price_basis TEXT,
    direction TEXT NOT NULL,
    accumulation TEXT NOT NULL,
    cadence TEXT NOT NULL,
    baseline TEXT,
    baseline_growth_pct TEXT,
    target_value TEXT,
    target_growth_pct TEXT,
    section_id UUID,
    lead_unit_id UUID,
    note TEXT NOT NULL,
    position INTEGER NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, plan_id) REFERENCES plans (region_id, id),
    FOREIGN KEY (region_id, section_id) REFERENCES sections (region_id, id),
    FOREIGN KEY (region_id, lead_unit_id) REFERENCES units (region_id, id)
);
CREATE INDEX indicators_plan ON indicators (region_id, plan_id);

-- The decomposition of an indicator's target to units (层层分解).
CREATE TABLE indicator_splits (
    region_id UUID NOT NULL,
    indicator_id UUID NOT NULL,
    unit_id UUID NOT NULL,
    target_value TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, indicator_id, unit_id),
    FOREIGN KEY (region_id, indicator_id) REFERENCES indicators (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);

-- Append-only: a revision is a new row; nothing is updated or deleted.
CREATE TABLE indicator_values (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    indicator_id UUID NOT NULL,
    unit_id UUID,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    value TEXT NOT NULL,
    growth_pct TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by UUID,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, indicator_id) REFERENCES indicators (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE UNIQUE INDEX indicator_values_region_rev ON indicator_values (region_id, indicator_id, year, month, revision) WHERE unit_id IS NULL;
CREATE UNIQUE INDEX indicator_values_unit_rev ON indicator_values (region_id, indicator_id, unit_id, year, month, revision) WHERE unit_id IS NOT NULL;

CREATE TABLE tasks (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    plan_id UUID NOT NULL,
    section_id UUID,
    external_id TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    source TEXT NOT NULL,
    lead_unit_id UUID NOT NULL,
    lead_official_id UUID,
    responsible_person_id UUID,
    liaison_id UUID,
    start_date DATE NOT NULL,
    deadline DATE NOT NULL,
    quantity_min TEXT,
    quantity_max TEXT,
    quantity_unit TEXT,
    weight TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_deadline DATE,
    progress_pct TEXT NOT NULL,
    quantity_done TEXT,
    last_report_on DATE,
    done_reported_on DATE,
    closed_on DATE,
    has_milestones BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, plan_id) REFERENCES plans (region_id, id),
    FOREIGN KEY (region_id, section_id) REFERENCES sections (region_id, id),
    FOREIGN KEY (region_id, lead_unit_id) REFERENCES units (region_id, id),
    FOREIGN KEY (region_id, lead_official_id) REFERENCES people (region_id, id),
    FOREIGN KEY (region_id, responsible_person_id) REFERENCES people (region_id, id),
    FOREIGN KEY (region_id, liaison_id) REFERENCES people (region_id, id)
);
CREATE INDEX tasks_plan_deadline ON tasks (region_id, plan_id, deadline, id);
CREATE INDEX tasks_unit_deadline ON tasks (region_id, lead_unit_id, deadline, id);
CREATE INDEX tasks_plan_status ON tasks (region_id, plan_id, status, deadline);
CREATE UNIQUE INDEX tasks_external_id ON tasks (region_id, plan_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE task_co_units (
    region_id UUID NOT NULL,
    task_id UUID NOT NULL,
    unit_id UUID NOT NULL,
    PRIMARY KEY (region_id, task_id, unit_id),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id),
    FOREIGN KEY (region_id, unit_id) REFERENCES units (region_id, id)
);
CREATE INDEX task_co_units_unit ON task_co_units (region_id, unit_id);

CREATE TABLE task_milestones (
    region_id UUID NOT NULL,
    task_id UUID NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    due DATE NOT NULL,
    target_pct TEXT NOT NULL,
    PRIMARY KEY (region_id, task_id, position),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id)
);

-- Append-only lifecycle history: who moved the task, when, why.
CREATE TABLE task_events (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    task_id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    deadline_after DATE NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id)
);
CREATE INDEX task_events_task ON task_events (region_id, task_id, at);

-- Append-only progress history; tasks.progress_pct caches the latest.
CREATE TABLE progress_reports (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    task_id UUID NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL,
    reporter_id UUID,
    percent TEXT NOT NULL,
    quantity_done TEXT,
    summary TEXT NOT NULL,
    problems TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, task_id) REFERENCES tasks (region_id, id)
);
CREATE INDEX progress_reports_task ON progress_reports (region_id, task_id, reported_at);

-- Every change: who, when, what, before and after, written in the same transaction.
CREATE TABLE audit_log (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json JSONB,
    after_json JSONB,
    PRIMARY KEY (region_id, id)
);
CREATE INDEX audit_log_at ON audit_log (region_id, at);
CREATE INDEX audit_log_entity ON audit_log (region_id, entity, entity_id);
