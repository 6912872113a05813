-- A follower's reconcile reads served domains in slices, in the byte order of their names (`COLLATE "C"`, the
-- order a follower sorts its Policy Hosts in, whatever the database's default collation). This index lets each
-- slice start where the last one ended instead of scanning every domain.
CREATE INDEX domains_name_bytewise_idx ON domains (name COLLATE "C");
