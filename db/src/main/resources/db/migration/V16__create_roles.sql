-- Roles the services log in as (login and password are granted at deployment, never here).
--   triplane_app    : REST-facing services; row-level security applies, so it sees only the rows of
--                     the tenant its transaction set, and nothing without one.
--   triplane_worker : pipeline workers and the lease sweeper; they pick tasks from every tenant's
--                     queue, which a per-tenant policy cannot express without a tenant, so this role
--                     has BYPASSRLS. It never serves a client request directly.
-- why the guards: roles are cluster-wide and may exist already (another database of the cluster,
-- or created beforehand by an administrator where the migrating owner may not create BYPASSRLS roles).
DO
$$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'triplane_app') THEN
        CREATE ROLE triplane_app NOLOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'triplane_worker') THEN
        CREATE ROLE triplane_worker NOLOGIN BYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
    -- why: a pre-existing role with the wrong attributes would silently break tenant isolation
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'triplane_app' AND (rolbypassrls OR rolsuper)) THEN
        RAISE EXCEPTION 'role triplane_app must not have BYPASSRLS or SUPERUSER';
    END IF;
END;
$$;
