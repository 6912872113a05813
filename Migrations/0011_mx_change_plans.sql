-- The MX-change plan (docs/checks.md, "Changing mail provider"): the safe sequence for a provider move, one
-- active plan per domain. At creation the policy gains the new patterns with a lowered max_age (the id
-- rotates); the plan waits until every earlier version has expired from senders' caches (safe_at), tells the
-- tenant to switch the MX records (ready), watches the live MX until they are on the new hosts (switched_at),
-- then removes the old patterns and restores max_age (completed). A tenant may cancel until then.
CREATE TABLE mx_change_plans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    add_patterns text[] NOT NULL,
    remove_patterns text[] NOT NULL,
    original_max_age integer NOT NULL CHECK (original_max_age BETWEEN 0 AND 31557600),
    temporary_max_age integer NOT NULL CHECK (temporary_max_age BETWEEN 0 AND 31557600),
    state text NOT NULL CHECK (state IN ('waiting', 'ready', 'completed', 'cancelled')),
    created_at timestamptz NOT NULL,
    safe_at timestamptz NOT NULL,
    ready_at timestamptz,
    switched_at timestamptz,
    finished_at timestamptz,
    next_check_at timestamptz NOT NULL,
    observed_mx text[],
    observed_at timestamptz,
    CHECK ((state IN ('completed', 'cancelled')) = (finished_at IS NOT NULL))
);
CREATE UNIQUE INDEX mx_change_plans_active ON mx_change_plans (domain_id) WHERE state IN ('waiting', 'ready');
CREATE INDEX mx_change_plans_due ON mx_change_plans (next_check_at) WHERE state IN ('waiting', 'ready');
