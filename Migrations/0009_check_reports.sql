-- The MTA-STS check's reports (docs/checks.md): the worker checks every served domain on a schedule and right
-- after a change; each run's whole report (findings with stable codes) is kept, newest first, at most 50 per
-- domain. domain_checks, the latest verdicts the setup checklist reads, gains the report's worst severity and
-- counts so the domain list shows them without reading reports.
CREATE TABLE check_reports (
    id bigserial PRIMARY KEY,
    domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    checked_at timestamptz NOT NULL,
    worst_severity text CHECK (worst_severity IN ('info', 'warning', 'error')),
    error_count integer NOT NULL CHECK (error_count >= 0),
    warning_count integer NOT NULL CHECK (warning_count >= 0),
    report jsonb NOT NULL CHECK (jsonb_typeof(report) = 'object')
);
CREATE INDEX check_reports_by_domain ON check_reports (domain_id, id DESC);

ALTER TABLE domain_checks ADD COLUMN worst_severity text CHECK (worst_severity IN ('info', 'warning', 'error'));
ALTER TABLE domain_checks ADD COLUMN error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0);
ALTER TABLE domain_checks ADD COLUMN warning_count integer NOT NULL DEFAULT 0 CHECK (warning_count >= 0);
-- When a check first found no error: alerts go out only for domains that have been live once, so a tenant in
-- the middle of setting up is not told about records it has not published yet.
ALTER TABLE domain_checks ADD COLUMN first_clean_at timestamptz;

-- Alert conditions (docs/checks.md, "Alerts"): one row per condition while it holds, closed when it clears.
-- An alert goes out when a row opens and a "resolved" notice when it closes; nothing while it persists.
CREATE TABLE alert_conditions (
    id bigserial PRIMARY KEY,
    domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    condition text NOT NULL CHECK (condition ~ '^[a-z0-9-]{1,64}$'),
    severity text NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    message text NOT NULL CHECK (length(message) <= 2000),
    fix text NOT NULL CHECK (length(fix) <= 2000),
    opened_at timestamptz NOT NULL,
    resolved_at timestamptz
);
CREATE UNIQUE INDEX alert_conditions_open ON alert_conditions (domain_id, condition) WHERE resolved_at IS NULL;
