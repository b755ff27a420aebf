-- Key projects (重点项目, issue #7): the project, its coordination issues, and its append-only
-- monthly cumulative investment values (a revision is a new row, like indicator values).
CREATE TABLE projects (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    plan_id UUID,
    name TEXT NOT NULL,
    park TEXT NOT NULL,
    investment_unit TEXT NOT NULL,
    total_investment TEXT NOT NULL,
    year INTEGER NOT NULL,
    annual_investment TEXT NOT NULL,
    planned_start_year INTEGER NOT NULL,
    planned_start_month INTEGER NOT NULL,
    planned_completion DATE,
    planned_production DATE,
    stage TEXT NOT NULL,
    started_on DATE,
    completed_on DATE,
    in_production_on DATE,
    leader_id UUID,
    responsible_unit_id UUID NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, plan_id) REFERENCES plans (region_id, id),
    FOREIGN KEY (region_id, leader_id) REFERENCES people (region_id, id),
    FOREIGN KEY (region_id, responsible_unit_id) REFERENCES units (region_id, id)
);
CREATE INDEX projects_plan ON projects (region_id, plan_id);
CREATE INDEX projects_unit ON projects (region_id, responsible_unit_id);

CREATE TABLE project_issues (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    project_id UUID NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    owner_unit_id UUID NOT NULL,
    raised_on DATE NOT NULL,
    due DATE NOT NULL,
    resolved_on DATE,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, project_id) REFERENCES projects (region_id, id),
    FOREIGN KEY (region_id, owner_unit_id) REFERENCES units (region_id, id)
);
CREATE UNIQUE INDEX project_issues_position ON project_issues (region_id, project_id, position);

CREATE TABLE project_investments (
    region_id UUID NOT NULL,
    id UUID NOT NULL,
    project_id UUID NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by UUID,
    PRIMARY KEY (region_id, id),
    FOREIGN KEY (region_id, project_id) REFERENCES projects (region_id, id)
);
CREATE UNIQUE INDEX project_investments_rev ON project_investments (region_id, project_id, year, month, revision);
