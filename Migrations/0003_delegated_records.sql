-- The platform's own authoritative zone (the `dns` role): a tenant may CNAME `_mta-sts.<domain>` to
-- `<label>._mta-sts.<zone>` and `_smtp._tls.<domain>` to `<label>._smtp._tls.<zone>` (RFC 8461 §3.1, RFC 8460 §3),
-- and the platform announces every new policy id itself.

-- A stable, opaque label per domain: random (the zone must not list customers), unique over every row ever
-- written (a deleted domain's label is never reused, since rows are never removed).
ALTER TABLE domains ADD COLUMN dns_label text;
UPDATE domains SET dns_label = substr(replace(gen_random_uuid()::text, '-', ''), 1, 20);
ALTER TABLE domains ALTER COLUMN dns_label SET DEFAULT substr(replace(gen_random_uuid()::text, '-', ''), 1, 20);
ALTER TABLE domains ALTER COLUMN dns_label SET NOT NULL;
ALTER TABLE domains ADD CONSTRAINT domains_dns_label_check CHECK (dns_label ~ '^[a-z0-9]{20}$');
CREATE UNIQUE INDEX domains_dns_label_key ON domains (dns_label);

-- Where senders send TLS reports for the domain (RFC 8460 §3 `rua`), as the tenant configured them.
ALTER TABLE domains ADD COLUMN tlsrpt_rua text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(tlsrpt_rua) <= 10);

-- The change-log row that published each policy: an id is announced only once every live edge has applied
-- that row (RFC 8461 §8.1). NULL for policies published before this migration (long since applied).
ALTER TABLE policies ADD COLUMN change_seq bigint;
CREATE INDEX policies_domain_created_idx ON policies (domain_id, created_at DESC, id DESC);

-- Each edge process records the change-log position it has applied; the `dns` role reads these.
CREATE TABLE edge_heartbeats (
    instance text PRIMARY KEY CHECK (length(instance) BETWEEN 1 AND 200),
    applied_seq bigint NOT NULL CHECK (applied_seq >= 0),
    seen_at timestamptz NOT NULL
);

ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('policy', 'certificate', 'challenge', 'domain', 'tlsrpt'));

-- What the worker last found for each served domain, from the outside and through the configured resolvers:
-- the tenant's own `_mta-sts.<domain>` compared with the current id (drift for tenants who keep the TXT),
-- `_smtp._tls.<domain>`, and the policy fetched over HTTPS compared with the current text.
CREATE TABLE domain_checks (
    domain_id uuid PRIMARY KEY REFERENCES domains (id) ON DELETE CASCADE,
    sts_record_status text NOT NULL CHECK (sts_record_status IN (
        'current', 'delegated', 'stale', 'missing', 'multiple', 'invalid', 'unknown')),
    sts_record_id text,
    sts_record_detail text NOT NULL CHECK (length(sts_record_detail) <= 1000),
    tlsrpt_record_status text NOT NULL CHECK (tlsrpt_record_status IN (
        'found', 'delegated', 'missing', 'invalid', 'unknown')),
    tlsrpt_record_detail text NOT NULL CHECK (length(tlsrpt_record_detail) <= 1000),
    policy_fetch_status text NOT NULL CHECK (policy_fetch_status IN ('served', 'mismatch', 'unreachable')),
    policy_fetch_detail text NOT NULL CHECK (length(policy_fetch_detail) <= 1000),
    checked_at timestamptz NOT NULL,
    next_check_at timestamptz NOT NULL
);
