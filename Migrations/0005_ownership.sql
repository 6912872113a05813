-- Ownership over time. The worker re-checks that the tenant still controls each served domain: the
-- verification TXT, the mta-sts CNAME to the edge, or the current policy served through us over HTTPS.
-- control_missing_since is when it first found none of them (NULL while one is there). After the grace period
-- the domain is offboarded (RFC 8461 §8.3) with lost_at set, and another account's fresh proof takes it over.
ALTER TABLE domains ADD COLUMN control_missing_since timestamptz;
ALTER TABLE domains ADD COLUMN lost_at timestamptz;
