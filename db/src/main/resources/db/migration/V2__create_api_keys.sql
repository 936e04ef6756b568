-- API keys authenticate REST clients. Only a SHA-256 hash of the secret is stored, so a copy of
-- the database does not let anyone call the API; the short public prefix finds the row without
-- scanning every hash.
CREATE TABLE api_keys (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    prefix      text        NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{8,16}$'),
    key_sha256  bytea       NOT NULL CHECK (length(key_sha256) = 32),
    label       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

COMMENT ON TABLE api_keys IS 'Client credentials: public lookup prefix plus SHA-256 of the full key; the key itself is never stored.';
COMMENT ON COLUMN api_keys.prefix IS 'Public part of the key, shown in logs and used for lookup.';
COMMENT ON COLUMN api_keys.key_sha256 IS 'SHA-256 (32 bytes) of the complete key string as presented by the client.';
COMMENT ON COLUMN api_keys.revoked_at IS 'Instant after which the key is refused; NULL while valid.';
