-- The one definition of a *served* domain at a moment, shared by the edge (which hosts it answers for), the
-- worker (which certificates it keeps valid, when offboarding is complete) and the tests: verified, or
-- offboarding while its `none` policy must still be served (RFC 8461 §8.3: until every policy ever served
-- has expired, `serve_until`). A plain SQL function, so the planner inlines it into the calling query.
CREATE FUNCTION served_domains(at timestamptz) RETURNS SETOF domains
    LANGUAGE sql STABLE
    AS $$
        SELECT * FROM domains
        WHERE status = 'verified' OR (status = 'offboarding' AND serve_until > at)
    $$;
