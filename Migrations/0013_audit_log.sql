-- The audit log (issue 13, docs/security.md): one row per state-changing API call that succeeded and per action the
-- worker took on a tenant's behalf. Tenants read their own rows (GET /v1/audit-log, newest first by id); the worker's
-- retention pass deletes rows older than MTASTS_AUDIT_LOG_DAYS. Nothing secret is ever stored here: a token actor is
-- named by the token's id and public prefix, never its value, and no password or key goes into details.
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    -- The tenant whose rows were affected; NULL only where there is none (an operator action on the platform).
    -- Accounts are closed, not deleted; should an operator delete one, its history stays without the link.
    account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
    -- account: a signed-in session; token: an API token; worker: the background worker; operator: mtasts admin.
    actor_kind text NOT NULL CHECK (actor_kind IN ('account', 'token', 'worker', 'operator')),
    -- The session's or token's id (and the token's name), the worker's id, or the operator's name.
    actor_detail text NOT NULL CHECK (length(actor_detail) <= 200),
    -- A stable dotted name: domain.create, policy.update, token.revoke, certificate.issue, …
    action text NOT NULL CHECK (action ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$' AND length(action) <= 64),
    -- What the action was about: a domain name, a token, session or webhook id; NULL for the account itself.
    target text CHECK (length(target) <= 300),
    -- The X-Request-ID the API answered with; NULL for the worker.
    request_id text CHECK (length(request_id) <= 64),
    -- The client's address as the API saw it (after trusted proxies); NULL for the worker.
    source_address text CHECK (length(source_address) <= 64),
    at timestamptz NOT NULL,
    -- A few facts worth keeping (old and new policy mode, new policy id), all string values.
    details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object' AND length(details::text) <= 4096)
);
CREATE INDEX audit_log_account_idx ON audit_log (account_id, id DESC);
-- The retention pass deletes by age.
CREATE INDEX audit_log_at_idx ON audit_log (at);
