-- De-identification at ingest. Exporters write patient names and dates into a NIfTI header's free
-- text and extensions; a tenant that de-identifies its uploads (every tenant, unless an administrator
-- turns it off) has its NIfTI parts stored without them, voxels and geometry unchanged. The stored
-- object's checksum then differs from that of the file the client sent, so the scan also records
-- the checksums of the parts as uploaded (what a client knows of its own files) and whether its
-- objects were de-identified (the tenant's setting at upload; the setting may change later).
ALTER TABLE tenants
    ADD COLUMN deidentify_uploads boolean NOT NULL DEFAULT true;

COMMENT ON COLUMN tenants.deidentify_uploads IS
    'true: NIfTI parts of uploads are stored de-identified (free-text header fields zeroed, extensions dropped, voxels and geometry unchanged); false: stored as uploaded.';

-- why a column grant: the app role administers this setting and nothing else of a tenant row
GRANT UPDATE (deidentify_uploads) ON tenants TO triplane_app;

ALTER TABLE scans
    ADD COLUMN ct_uploaded_sha256     text CHECK (ct_uploaded_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN labels_uploaded_sha256 text CHECK (labels_uploaded_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN deidentified           boolean NOT NULL DEFAULT false,
    -- why: an uploaded checksum describes a label object the scan has
    ADD CONSTRAINT scans_labels_uploaded_object_check CHECK (labels_uploaded_sha256 IS NULL OR labels_key IS NOT NULL);

-- why: clients look their scans up by the checksum of the file they hold
CREATE INDEX scans_tenant_ct_uploaded_sha256_idx ON scans (tenant_id, ct_uploaded_sha256);

COMMENT ON COLUMN scans.ct_sha256 IS 'SHA-256 of the CT object bytes as stored, lower-case hex (what workers verify).';
COMMENT ON COLUMN scans.ct_uploaded_sha256 IS
    'SHA-256 of the CT part as the client uploaded it, lower-case hex; differs from ct_sha256 when the part was de-identified or compressed before storing; NULL for scans recorded before this column existed.';
COMMENT ON COLUMN scans.labels_uploaded_sha256 IS
    'SHA-256 of the labels part as the client uploaded it, lower-case hex; NULL without labels or for scans recorded before this column existed.';
COMMENT ON COLUMN scans.deidentified IS
    'true: the stored CT and label objects are the de-identified copies of the uploaded parts (tenants.deidentify_uploads at upload); false: the parts as uploaded (gzip-compressed when sent uncompressed).';
