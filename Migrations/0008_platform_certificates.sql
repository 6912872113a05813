-- The platform's own certificate: MTASTS_API_HOSTNAME's, for the API and web form served over HTTPS by the
-- API listener. It lives in `certificates` without a domain (edges serve only the certificates of served
-- domains), and its renewal time and last problem in `platform_hosts`.
ALTER TABLE certificates ALTER COLUMN domain_id DROP NOT NULL;

CREATE TABLE platform_hosts (
    host text PRIMARY KEY CHECK (host ~ '^[a-z0-9.-]{1,253}$'),
    renew_after timestamptz,
    last_error text CHECK (length(last_error) <= 1000),
    last_error_at timestamptz,
    updated_at timestamptz NOT NULL
);
