-- The tenant a transaction acts for, as set by SET LOCAL triplane.tenant_id (set_config(..., true)).
-- why: current_setting(..., true) is NULL when the setting was never defined in the session but ''
-- after a transaction that set it has ended; both must mean "no tenant", and ''::uuid would fail.
CREATE FUNCTION current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
    SELECT nullif(current_setting('triplane.tenant_id', true), '')::uuid
$$;

COMMENT ON FUNCTION current_tenant_id() IS 'Tenant of the current transaction, NULL when none is set; used by the row-level security policies.';
