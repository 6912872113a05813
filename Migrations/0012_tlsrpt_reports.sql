-- TLS-RPT intake (docs/reports.md): every domain gets its own reporting address. The token names the domain in
-- `https://<MTASTS_REPORTS_HOSTNAME>/v1/tlsrpt/<token>` and `mailto:<token>@<MTASTS_REPORTS_MAIL_DOMAIN>`; it is
-- published in DNS, so it is no secret, only an unguessable route (lower-case hex, fit for a mail local part).
ALTER TABLE domains ADD COLUMN report_token text NOT NULL
    DEFAULT substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)
    CHECK (report_token ~ '^[a-f0-9]{24}$');
CREATE UNIQUE INDEX domains_report_token_key ON domains (report_token);

-- One row per distinct report a domain received (RFC 8460 §4.4), deduplicated by its fingerprint: the reporter,
-- report-id, policy domains and date range (the same report delivered twice, or to both addresses, is one row).
CREATE TABLE tlsrpt_reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    fingerprint text NOT NULL CHECK (fingerprint ~ '^[a-f0-9]{64}$'),
    organization_name text NOT NULL CHECK (length(organization_name) BETWEEN 1 AND 2048),
    contact_info text CHECK (length(contact_info) <= 2048),
    report_id text NOT NULL CHECK (length(report_id) BETWEEN 1 AND 2048),
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL CHECK (end_at >= start_at),
    received_at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('https', 'smtp', 'import')),
    successful_sessions bigint NOT NULL CHECK (successful_sessions >= 0),
    failed_sessions bigint NOT NULL CHECK (failed_sessions >= 0),
    -- The report's JSON exactly as the sender wrote it (after decompression), for download.
    raw_json text NOT NULL CHECK (length(raw_json) <= 4194304),
    UNIQUE (domain_id, fingerprint)
);
CREATE INDEX tlsrpt_reports_by_domain ON tlsrpt_reports (domain_id, start_at DESC, id);

-- Each policy a report covers, with the version of the domain's policy the sender applied when its
-- policy-string matches one the platform served (applied_policy_id; NULL when it matches none).
CREATE TABLE tlsrpt_report_policies (
    report_id uuid NOT NULL REFERENCES tlsrpt_reports (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    policy_type text NOT NULL,
    policy_domain text NOT NULL,
    mx_hosts text[] NOT NULL,
    policy_string text[] NOT NULL,
    applied_policy_id text,
    successful_sessions bigint NOT NULL CHECK (successful_sessions >= 0),
    failed_sessions bigint NOT NULL CHECK (failed_sessions >= 0),
    PRIMARY KEY (report_id, position)
);

CREATE TABLE tlsrpt_failures (
    report_id uuid NOT NULL,
    policy_position integer NOT NULL,
    position integer NOT NULL CHECK (position >= 0),
    result_type text NOT NULL,
    sending_mta_ip text,
    receiving_mx_hostname text,
    receiving_mx_helo text,
    receiving_ip text,
    failed_session_count bigint NOT NULL CHECK (failed_session_count >= 0),
    additional_information text,
    failure_reason_code text,
    PRIMARY KEY (report_id, policy_position, position),
    FOREIGN KEY (report_id, policy_position) REFERENCES tlsrpt_report_policies (report_id, position) ON DELETE CASCADE
);
