-- Closing an account revokes its credentials and offboards its domains (RFC 8461 §8.3); the row stays (its
-- domains reference it until their `none` policy has expired), and its email can sign up again.
ALTER TABLE accounts ADD COLUMN closed_at timestamptz;
DROP INDEX accounts_email_key;
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email)) WHERE closed_at IS NULL;

-- Invitation codes for MTASTS_SIGNUP=invite (`mtasts admin invite`): only the code's SHA-256 is stored.
CREATE TABLE invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code_sha256 bytea NOT NULL UNIQUE CHECK (length(code_sha256) = 32),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
    CHECK (expires_at > created_at),
    CHECK ((used_at IS NULL) = (account_id IS NULL))
);

-- Where a session was opened from (the client address), shown in GET /v1/sessions.
ALTER TABLE api_tokens ADD COLUMN created_from text CHECK (length(created_from) <= 64);
