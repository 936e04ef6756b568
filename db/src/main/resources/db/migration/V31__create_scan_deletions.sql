-- Deleting a scan (a retention requirement for patient data): its rows that hold patient data go,
-- and a deletion record stays in their place with who, when, which scan and the SHA-256 of every
-- object removed, so the audit can still prove what existed without keeping any of it. The delete
-- runs only through delete_scan(), which writes that record in the same statement; the roles keep
-- no DELETE privilege of their own (V17).
CREATE TABLE scan_deletions (
    id                      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id               uuid        NOT NULL REFERENCES tenants (id),
    scan_id                 uuid        NOT NULL,
    deleted_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    deleted_by              text        NOT NULL CHECK (deleted_by <> ''),
    ct_sha256               text        NOT NULL CHECK (ct_sha256 ~ '^[0-9a-f]{64}$'),
    ct_uploaded_sha256      text        CHECK (ct_uploaded_sha256 ~ '^[0-9a-f]{64}$'),
    transform_sha256        text        CHECK (transform_sha256 ~ '^[0-9a-f]{64}$'),
    labels_sha256           text        CHECK (labels_sha256 ~ '^[0-9a-f]{64}$'),
    labels_uploaded_sha256  text        CHECK (labels_uploaded_sha256 ~ '^[0-9a-f]{64}$'),
    job_ids                 uuid[]      NOT NULL,
    objects                 jsonb       NOT NULL CHECK (jsonb_typeof(objects) = 'array'),
    UNIQUE (tenant_id, scan_id)
);

COMMENT ON TABLE scan_deletions IS 'One row per deleted scan: who deleted it, when, and checksums only; append-only.';
COMMENT ON COLUMN scan_deletions.deleted_by IS 'Who deleted it: api-key:<public prefix>.';
COMMENT ON COLUMN scan_deletions.job_ids IS 'The (finished) jobs the scan was part of; their per-scan rows were removed with it.';
COMMENT ON COLUMN scan_deletions.objects IS
    'Every object removed from the object store: [{"key", "sha256" (of its bytes, hex), "bytes"}], keys hold ids only.';

CREATE FUNCTION refuse_scan_deletion_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'scan_deletions is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER scan_deletions_no_update_delete
    BEFORE UPDATE OR DELETE ON scan_deletions
    FOR EACH ROW EXECUTE FUNCTION refuse_scan_deletion_change();

CREATE TRIGGER scan_deletions_no_truncate
    BEFORE TRUNCATE ON scan_deletions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_scan_deletion_change();

ALTER TABLE scan_deletions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scan_deletions
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
GRANT SELECT ON scan_deletions TO triplane_app, triplane_worker;

-- Removes one scan of the current tenant with every row derived from it (its per-job rows, tasks,
-- results, metrics, registration) and records the deletion. Runs as the owner (SECURITY DEFINER),
-- which row-level security does not restrict, so it checks the tenant itself. The caller has locked
-- the scan and checked that no unfinished job uses it. NULL when the tenant has no such scan.
CREATE FUNCTION delete_scan(p_scan_id uuid, p_actor text, p_objects jsonb)
    RETURNS SETOF scan_deletions
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    v_tenant uuid := current_tenant_id();
    v_jobs   uuid[];
BEGIN
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'delete_scan needs a tenant (current_tenant_id() is NULL)' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM scans WHERE id = p_scan_id AND tenant_id = v_tenant) THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM job_scans js JOIN jobs j ON j.id = js.job_id
                WHERE js.scan_id = p_scan_id AND j.state IN ('SUBMITTED', 'RUNNING')) THEN
        RAISE EXCEPTION 'scan % is used by an unfinished job', p_scan_id USING ERRCODE = 'object_in_use';
    END IF;
    SELECT coalesce(array_agg(job_id ORDER BY job_id), '{}') INTO v_jobs FROM job_scans WHERE scan_id = p_scan_id;
    DELETE FROM class_metrics      WHERE scan_id = p_scan_id AND tenant_id = v_tenant;
    DELETE FROM results            WHERE scan_id = p_scan_id AND tenant_id = v_tenant;
    DELETE FROM scan_registrations WHERE scan_id = p_scan_id AND tenant_id = v_tenant;
    DELETE FROM tasks              WHERE scan_id = p_scan_id AND tenant_id = v_tenant;
    DELETE FROM job_scans          WHERE scan_id = p_scan_id AND tenant_id = v_tenant;
    RETURN QUERY
        WITH gone AS (DELETE FROM scans WHERE id = p_scan_id AND tenant_id = v_tenant RETURNING *)
        INSERT INTO scan_deletions (tenant_id, scan_id, deleted_by, ct_sha256, ct_uploaded_sha256, transform_sha256,
                                    labels_sha256, labels_uploaded_sha256, job_ids, objects)
        SELECT tenant_id, id, p_actor, ct_sha256, ct_uploaded_sha256, transform_sha256, labels_sha256,
               labels_uploaded_sha256, v_jobs, p_objects FROM gone
        RETURNING *;
END;
$$;

REVOKE ALL ON FUNCTION delete_scan(uuid, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION delete_scan(uuid, text, jsonb) TO triplane_app;
