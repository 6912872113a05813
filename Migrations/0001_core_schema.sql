-- Core schema for the whole platform: accounts, tokens, domains with ownership proof, policies with id
-- history, certificates and the ACME state behind them, background jobs, the change log the edge follows,
-- and the counters that rate-limit logins. Constraints mirror the MTASTS model's rules so that no code path
-- can write a row the model would reject.

CREATE TABLE accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL
        CHECK (length(email) BETWEEN 3 AND 254 AND email = btrim(email) AND position('@' IN email) > 1),
    password_hash text NOT NULL CHECK (length(password_hash) BETWEEN 20 AND 512),
    -- NULL means the operator's MTASTS_DOMAIN_LIMIT applies.
    domain_limit integer CHECK (domain_limit IS NULL OR domain_limit >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind text NOT NULL CHECK (kind IN ('api', 'session')),
    -- Only the SHA-256 of the secret is stored; the secret is shown once.
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz CHECK (expires_at IS NULL OR expires_at > created_at),
    last_used_at timestamptz
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

CREATE TABLE domains (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
    -- Lower-case A-labels, no trailing dot, at least two labels (the model's DomainName).
    name text NOT NULL CHECK (
        length(name) <= 253
        AND name ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    status text NOT NULL DEFAULT 'pending_verification'
        CHECK (status IN ('pending_verification', 'verified', 'offboarding', 'deleted')),
    verification_token text NOT NULL CHECK (verification_token ~ '^[A-Za-z0-9_-]{16,128}$'),
    verified_at timestamptz,
    verification_method text CHECK (verification_method IS NULL OR verification_method IN ('dns_txt')),
    last_checked_at timestamptz,
    last_check_result text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    -- Offboarding (RFC 8461 §8.3): the `none` policy is served until every policy ever served has expired.
    serve_until timestamptz,
    CHECK (status <> 'pending_verification' OR (verified_at IS NULL AND deleted_at IS NULL)),
    CHECK (status <> 'verified' OR (verified_at IS NOT NULL AND deleted_at IS NULL)),
    CHECK (status <> 'offboarding' OR (verified_at IS NOT NULL AND deleted_at IS NOT NULL AND serve_until IS NOT NULL)),
    CHECK (status <> 'deleted' OR deleted_at IS NOT NULL)
);
-- An account claims a name once at a time; several accounts may claim it while unverified.
CREATE UNIQUE INDEX domains_account_name_key ON domains (account_id, name) WHERE status <> 'deleted';
-- But only one account at a time owns a verified (or still-served) name.
CREATE UNIQUE INDEX domains_verified_name_key ON domains (name) WHERE status IN ('verified', 'offboarding');
CREATE INDEX domains_account_idx ON domains (account_id, created_at, id);

CREATE TABLE policies (
    id bigserial PRIMARY KEY,
    domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    policy_id text NOT NULL CHECK (policy_id ~ '^[A-Za-z0-9]{1,32}$'),
    mode text NOT NULL CHECK (mode IN ('enforce', 'testing', 'none')),
    mx text[] NOT NULL,
    max_age integer NOT NULL CHECK (max_age BETWEEN 0 AND 31557600),
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 65536),
    created_at timestamptz NOT NULL DEFAULT now(),
    superseded_at timestamptz,
    CHECK (mode = 'none' OR cardinality(mx) >= 1),
    CHECK (superseded_at IS NULL OR superseded_at >= created_at),
    -- A domain never reuses an id it has served (RFC 8461 §3.1: the id identifies one policy instance).
    UNIQUE (domain_id, policy_id)
);
-- The current policy is the one row per domain that has not been superseded.
CREATE UNIQUE INDEX policies_current_key ON policies (domain_id) WHERE superseded_at IS NULL;

CREATE TABLE certificates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    host text NOT NULL,
    chain_pem text NOT NULL,
    -- The private key, AES-256-GCM with the master key identified by key_id.
    key_ciphertext bytea NOT NULL,
    key_nonce bytea NOT NULL CHECK (length(key_nonce) = 12),
    key_id text NOT NULL,
    not_before timestamptz NOT NULL,
    not_after timestamptz NOT NULL,
    issuer text NOT NULL DEFAULT '',
    serial text NOT NULL DEFAULT '',
    ari_cert_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Deferred so a renewal can point the old row at the new one before inserting it (one current per host).
    replaced_by uuid REFERENCES certificates (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    CHECK (not_after > not_before)
);
CREATE UNIQUE INDEX certificates_current_key ON certificates (host) WHERE replaced_by IS NULL;
CREATE INDEX certificates_domain_idx ON certificates (domain_id);

-- What the worker knows about each domain's certificate, for the API and for scheduling.
CREATE TABLE certificate_states (
    domain_id uuid PRIMARY KEY REFERENCES domains (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN (
        'waiting_for_cname', 'caa_forbidden', 'ordering', 'issued', 'renewing', 'failed', 'stopped')),
    last_error text,
    last_error_at timestamptz,
    renew_after timestamptz,
    -- The ACME order in progress, so a worker that takes over after a crash can resume it.
    order_url text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE acme_accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    directory_url text NOT NULL UNIQUE,
    key_ciphertext bytea NOT NULL,
    key_nonce bytea NOT NULL CHECK (length(key_nonce) = 12),
    key_id text NOT NULL,
    account_url text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- http-01 answers, served by every edge process from its snapshot.
CREATE TABLE acme_challenges (
    token text PRIMARY KEY CHECK (token ~ '^[A-Za-z0-9_-]{1,255}$'),
    host text NOT NULL,
    key_authorization text NOT NULL CHECK (length(key_authorization) BETWEEN 1 AND 512),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX acme_challenges_host_idx ON acme_challenges (host);

-- Background work, taken with SELECT … FOR UPDATE SKIP LOCKED so any number of workers cooperate.
CREATE TABLE jobs (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,64}$'),
    domain_id uuid REFERENCES domains (id) ON DELETE CASCADE,
    run_after timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text,
    locked_by text,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((locked_by IS NULL) = (locked_until IS NULL))
);
-- At most one pending job of a kind per domain (and one global job of a kind).
CREATE UNIQUE INDEX jobs_kind_domain_key
    ON jobs (kind, coalesce(domain_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX jobs_run_after_idx ON jobs (run_after);

-- Every write the edge must see appends a row here in the same transaction and sends
-- NOTIFY mtasts_changes; edges apply rows after the last seq they know, so missed notifications heal.
CREATE TABLE changes (
    seq bigserial PRIMARY KEY,
    host text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('policy', 'certificate', 'challenge', 'domain')),
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_at_idx ON changes (at);

-- Sliding-window counters for login rate limits, shared by every API process.
CREATE TABLE rate_limit_hits (
    bucket text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 300),
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_limit_hits_bucket_idx ON rate_limit_hits (bucket, at);
