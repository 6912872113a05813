-- Operator suspension (`mtasts admin suspend` / `reactivate`). A suspended account cannot sign in, and its sessions
-- and API tokens are refused (403 account-suspended) but kept, so reactivation restores them as they were. Its
-- domains are untouched: edges and DNS keep serving their last policy, and the worker keeps renewing their
-- certificates, until the operator offboards them. suspension_reason is the operator's note, never shown to the
-- tenant.
ALTER TABLE accounts ADD COLUMN suspended_at timestamptz;
ALTER TABLE accounts ADD COLUMN suspension_reason text CHECK (length(suspension_reason) BETWEEN 1 AND 500);
ALTER TABLE accounts ADD CONSTRAINT accounts_suspension_check
    CHECK (suspension_reason IS NULL OR suspended_at IS NOT NULL);

-- When the account last opened a session (sign-up or login), for the operator's account list.
ALTER TABLE accounts ADD COLUMN last_sign_in_at timestamptz;
