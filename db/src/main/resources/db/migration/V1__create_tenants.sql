-- A tenant is one customer (a hospital or a research group); every tenant-owned row names one.
CREATE TABLE tenants (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text        NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE tenants IS 'Customers; the unit of isolation enforced by row-level security.';
COMMENT ON COLUMN tenants.created_at IS 'Instant of creation (UTC).';
