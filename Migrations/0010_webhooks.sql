-- Alert channels and the notification outbox (issue 11). A tenant's webhooks receive every alert of its account;
-- each alert becomes one row of notification_deliveries per webhook, written in one statement, and the worker
-- delivers, retries and finally marks each row. Everything a delivery needs is in its row, so a worker restart or
-- a second worker picks up exactly where the last attempt left off.

CREATE TABLE webhooks (
    -- Chosen by the store before the insert: the signing secret is sealed bound to it (`webhook:<id>`).
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Validated by the API (https, no userinfo, no fragment, public IP literal); re-checked at delivery.
    url text NOT NULL CHECK (length(url) BETWEEN 10 AND 2048 AND url ~ '^https?://'),
    description text CHECK (description IS NULL OR length(description) BETWEEN 1 AND 200),
    -- The HMAC-SHA256 signing secret (`whsec_…`), sealed with the master key like certificate keys (AES-256-GCM,
    -- the key id stored beside it for rotation) and bound to the row as additional data.
    secret_ciphertext bytea NOT NULL,
    secret_nonce bytea NOT NULL CHECK (length(secret_nonce) = 12),
    secret_key_id text NOT NULL,
    secret_binding text NOT NULL CHECK (secret_binding IN ('unbound', 'row')),
    created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_account_idx ON webhooks (account_id, created_at, id);
-- One webhook per URL per account: the same URL twice would receive every alert twice.
CREATE UNIQUE INDEX webhooks_account_url_key ON webhooks (account_id, url);

-- The outbox: one row per event and destination. `channel` names the kind of destination so that e-mail can be
-- added beside webhooks (with its own destination column) without a second outbox.
CREATE TABLE notification_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
    -- Deleting a webhook deletes its deliveries: pending ones stop, and its log goes with it.
    webhook_id uuid REFERENCES webhooks (id) ON DELETE CASCADE,
    -- An e-mail delivery's recipients (the account's alert addresses when the event was queued).
    recipients text[],
    event_id uuid NOT NULL,
    event_type text NOT NULL CHECK (event_type IN (
        'alert.opened', 'alert.resolved', 'mx_change.ready', 'mx_change.completed', 'test')),
    -- The event's JSON exactly as it is sent (the signature covers these bytes).
    body text NOT NULL CHECK (length(body) BETWEEN 2 AND 16384),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz,
    first_attempt_at timestamptz,
    last_attempt_at timestamptz,
    -- The receiver's last HTTP status, and why the last attempt failed (no status, or not 2xx).
    last_status integer CHECK (last_status BETWEEN 100 AND 599),
    last_error text CHECK (length(last_error) <= 1000),
    -- A worker's lease while it attempts the delivery; an expired lease lets another worker take it.
    locked_by text,
    locked_until timestamptz,
    created_at timestamptz NOT NULL,
    completed_at timestamptz,
    CHECK (channel <> 'webhook' OR webhook_id IS NOT NULL),
    CHECK (channel <> 'email' OR cardinality(recipients) BETWEEN 1 AND 5),
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
    CHECK ((status = 'pending') = (completed_at IS NULL))
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_deliveries_webhook_idx ON notification_deliveries (webhook_id, created_at DESC, id DESC);
CREATE INDEX notification_deliveries_account_idx ON notification_deliveries (account_id);

-- Where an account's alerts go by e-mail, through the operator's relay (MTASTS_SMTP_URL); empty: not by e-mail.
ALTER TABLE accounts ADD COLUMN alert_email_recipients text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(alert_email_recipients) <= 5);
