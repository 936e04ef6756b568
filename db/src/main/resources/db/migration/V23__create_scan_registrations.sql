-- The atlas registration of a scan as acquired (rigid, then affine; see the imaging module's
-- registration package), one row per scan: run by the preprocess-worker for every scan, whether
-- its transform was uploaded or is derived from this registration. A redone preprocess task
-- replaces the row (the registration is deterministic, so with the same values).
CREATE TABLE scan_registrations (
    tenant_id                  uuid             NOT NULL,
    scan_id                    uuid             NOT NULL,
    method                     text             NOT NULL,
    quality                    double precision NOT NULL CHECK (quality BETWEEN -1 AND 1),
    scan_to_atlas_parameters   double precision[] NOT NULL CHECK (cardinality(scan_to_atlas_parameters) = 12),
    scan_to_atlas_centre_mm    double precision[] NOT NULL CHECK (cardinality(scan_to_atlas_centre_mm) = 3),
    rotated_to_atlas           double precision[] NOT NULL CHECK (cardinality(rotated_to_atlas) = 12),
    seconds                    double precision NOT NULL CHECK (seconds >= 0),
    registered_at              timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scan_id),
    FOREIGN KEY (tenant_id, scan_id) REFERENCES scans (tenant_id, id)
);

COMMENT ON TABLE scan_registrations IS 'Affine registration of the shipped atlas to each preprocessed scan (as acquired).';
COMMENT ON COLUMN scan_registrations.method IS 'How it was computed, e.g. atlas-affine-ncc (rigid then affine, normalised cross-correlation).';
COMMENT ON COLUMN scan_registrations.quality IS 'Final normalised cross-correlation between the scan and the fitted atlas inside the head, -1..1 (refused below the threshold).';
COMMENT ON COLUMN scan_registrations.scan_to_atlas_parameters IS
    'ITK parameters of the map scan point -> atlas point (LPS mm): 3x3 matrix row-major then translation (mm).';
COMMENT ON COLUMN scan_registrations.scan_to_atlas_centre_mm IS 'ITK FixedParameters of that map: centre, LPS, millimetres.';
COMMENT ON COLUMN scan_registrations.rotated_to_atlas IS
    'The map from the ROTATED (preprocessed) scan''s points to atlas points, scan_to_atlas after the scan''s transform: 3x3 matrix row-major then offset (mm), x_atlas = M p + offset, LPS.';
COMMENT ON COLUMN scan_registrations.seconds IS 'Wall time of the registration, seconds.';

GRANT SELECT                 ON scan_registrations TO triplane_app;
GRANT SELECT, INSERT, UPDATE ON scan_registrations TO triplane_worker;

ALTER TABLE scan_registrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scan_registrations
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
