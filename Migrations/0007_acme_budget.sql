-- The ACME order budget. One ACME account orders for every tenant, so the CA's limits are shared: every order
-- placed is recorded here, and the worker places a new one only while the last hour's orders stay under
-- MTASTS_ACME_ORDERS_PER_HOUR (first issuances leave a reserve to renewals) and the account's under
-- MTASTS_ACME_ORDERS_PER_ACCOUNT.
CREATE TABLE acme_orders (
    id bigserial PRIMARY KEY,
    domain_id uuid REFERENCES domains (id) ON DELETE SET NULL,
    account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
    renewal boolean NOT NULL,
    placed_at timestamptz NOT NULL
);
CREATE INDEX acme_orders_placed_idx ON acme_orders (placed_at);
CREATE INDEX acme_orders_account_idx ON acme_orders (account_id, placed_at);

-- Orders that failed in a row for a domain; at MTASTS_ACME_MAX_FAILED_ORDERS the worker stops ordering and
-- waits for the tenant (status waiting_for_tenant, the CA's last problem in last_error).
ALTER TABLE certificate_states ADD COLUMN failed_orders integer NOT NULL DEFAULT 0 CHECK (failed_orders >= 0);
ALTER TABLE certificate_states DROP CONSTRAINT certificate_states_status_check;
ALTER TABLE certificate_states ADD CONSTRAINT certificate_states_status_check CHECK (status IN (
    'waiting_for_cname', 'caa_forbidden', 'ordering', 'issued', 'renewing', 'failed', 'waiting_for_tenant',
    'stopped'));
