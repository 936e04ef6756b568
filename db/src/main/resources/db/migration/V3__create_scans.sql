-- One uploaded CT study with everything needed to reproduce its preprocessing: the objects and
-- their checksums, the grid as ITK sees it (LPS, mm), the labelling transform and the HU window.
CREATE TABLE scans (
    id                    uuid             PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id             uuid             NOT NULL REFERENCES tenants (id),
    state                 text             NOT NULL DEFAULT 'RECEIVED'
                                           CHECK (state IN ('RECEIVED', 'PREPROCESSED', 'REJECTED')),
    ct_key                text             NOT NULL,
    ct_sha256             text             NOT NULL CHECK (ct_sha256 ~ '^[0-9a-f]{64}$'),
    ct_size_bytes         bigint           NOT NULL CHECK (ct_size_bytes > 0),
    transform_key         text,
    transform_sha256      text             CHECK (transform_sha256 ~ '^[0-9a-f]{64}$'),
    transform_size_bytes  bigint           CHECK (transform_size_bytes > 0),
    labels_key            text,
    labels_sha256         text             CHECK (labels_sha256 ~ '^[0-9a-f]{64}$'),
    labels_size_bytes     bigint           CHECK (labels_size_bytes > 0),
    dims                  integer[]        NOT NULL CHECK (cardinality(dims) = 3 AND 0 < ALL (dims)),
    spacing_mm            double precision[] NOT NULL CHECK (cardinality(spacing_mm) = 3 AND 0 < ALL (spacing_mm)),
    origin_mm             double precision[] NOT NULL CHECK (cardinality(origin_mm) = 3),
    direction             double precision[] NOT NULL CHECK (cardinality(direction) = 9),
    transform_parameters  double precision[] CHECK (cardinality(transform_parameters) = 12),
    transform_centre_mm   double precision[] CHECK (cardinality(transform_centre_mm) = 3),
    euler_deg             double precision[] CHECK (cardinality(euler_deg) = 3),
    window_low_hu         double precision NOT NULL,
    window_high_hu        double precision NOT NULL,
    created_at            timestamptz      NOT NULL DEFAULT now(),
    CHECK (window_low_hu < window_high_hu),
    -- why: an object is described by key, checksum and size together, or not at all
    CHECK ((transform_key IS NULL) = (transform_sha256 IS NULL) AND (transform_key IS NULL) = (transform_size_bytes IS NULL)),
    CHECK ((labels_key IS NULL) = (labels_sha256 IS NULL) AND (labels_key IS NULL) = (labels_size_bytes IS NULL)),
    -- why: parameters, centre and angles describe one transform and are recorded together
    CHECK ((transform_parameters IS NULL) = (transform_centre_mm IS NULL) AND (transform_parameters IS NULL) = (euler_deg IS NULL)),
    -- why: lets child tables reference (tenant_id, id) so a row can never point at another tenant's scan
    UNIQUE (tenant_id, id)
);

CREATE INDEX scans_tenant_created_idx ON scans (tenant_id, created_at);
CREATE INDEX scans_tenant_ct_sha256_idx ON scans (tenant_id, ct_sha256);

COMMENT ON TABLE scans IS 'Uploaded CT studies: objects, checksums, ITK geometry (LPS, mm), transform and HU window.';
COMMENT ON COLUMN scans.ct_key IS 'Object-store key of the CT volume (NIfTI).';
COMMENT ON COLUMN scans.ct_sha256 IS 'SHA-256 of the CT object bytes, lower-case hex.';
COMMENT ON COLUMN scans.ct_size_bytes IS 'Size of the CT object in bytes.';
COMMENT ON COLUMN scans.transform_key IS 'Object-store key of the ITK transform file; NULL when the scan has none.';
COMMENT ON COLUMN scans.labels_key IS 'Object-store key of the 0..20 label volume; NULL when unlabelled.';
COMMENT ON COLUMN scans.dims IS 'Voxel counts [nx, ny, nz], x fastest in the array.';
COMMENT ON COLUMN scans.spacing_mm IS 'Voxel spacing [sx, sy, sz] in millimetres.';
COMMENT ON COLUMN scans.origin_mm IS 'Physical position of voxel (0,0,0), LPS, millimetres.';
COMMENT ON COLUMN scans.direction IS 'Direction cosines, 3x3 row-major, LPS (ITK convention).';
COMMENT ON COLUMN scans.transform_parameters IS 'ITK MatrixOffsetTransformBase parameters: 3x3 matrix row-major then translation (mm).';
COMMENT ON COLUMN scans.transform_centre_mm IS 'ITK FixedParameters: centre of rotation, LPS, millimetres.';
COMMENT ON COLUMN scans.euler_deg IS 'Rotation as Euler angles [x, y, z] in degrees, R = Rz*Ry*Rx.';
COMMENT ON COLUMN scans.window_low_hu IS 'Lower bound of the intensity window, Hounsfield units.';
COMMENT ON COLUMN scans.window_high_hu IS 'Upper bound of the intensity window, Hounsfield units.';
