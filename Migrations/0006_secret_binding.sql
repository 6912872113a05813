-- Stored secrets bound to their rows. A private key is sealed with the master key (AES-256-GCM) and, from this
-- migration on, with its row's identity as additional authenticated data: `certificate:<id>:<host>` for a
-- certificate's key, `acme-account:<directory URL>` for an ACME account key. A ciphertext copied into another
-- row then fails to decrypt instead of serving one tenant's key for another's host.
--
-- key_binding says which additional data a row's ciphertext was sealed with: 'unbound' (none: rows written
-- before this migration) or 'row'. The default is 'unbound' because a process of the previous release, still
-- running during a rolling upgrade, inserts rows without the column and seals them without additional data;
-- the new code always names the binding. `mtasts admin rotate-key` re-seals unbound rows as 'row'.
ALTER TABLE certificates ADD COLUMN key_binding text NOT NULL DEFAULT 'unbound'
    CHECK (key_binding IN ('unbound', 'row'));
ALTER TABLE acme_accounts ADD COLUMN key_binding text NOT NULL DEFAULT 'unbound'
    CHECK (key_binding IN ('unbound', 'row'));
