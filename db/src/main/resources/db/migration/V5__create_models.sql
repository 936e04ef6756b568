-- One trained network with everything needed to explain or retrain it.
CREATE TABLE models (
    id                        uuid             PRIMARY KEY DEFAULT gen_random_uuid(),
    model_set_id              uuid             NOT NULL REFERENCES model_sets (id),
    plane                     text             NOT NULL CHECK (plane IN ('AXIAL', 'CORONAL', 'SAGITTAL')),
    architecture              text             NOT NULL,
    hyper_parameters          jsonb            NOT NULL DEFAULT '{}'::jsonb,
    seed                      bigint           NOT NULL,
    training_scan_ids         uuid[]           NOT NULL,
    training_scan_sha256      text[]           NOT NULL,
    voxel_spacing_mm          double precision[] NOT NULL CHECK (cardinality(voxel_spacing_mm) = 3 AND 0 < ALL (voxel_spacing_mm)),
    slice_size                integer[]        NOT NULL CHECK (cardinality(slice_size) = 2 AND 0 < ALL (slice_size)),
    code_version              text             NOT NULL,
    training_duration_seconds double precision CHECK (training_duration_seconds >= 0),
    validation_metrics        jsonb            NOT NULL DEFAULT '{}'::jsonb,
    weights_key               text             NOT NULL,
    weights_sha256            text             CHECK (weights_sha256 ~ '^[0-9a-f]{64}$'),
    created_at                timestamptz      NOT NULL DEFAULT now(),
    -- why: the checksums are listed in the same order as the scan ids they belong to
    CHECK (cardinality(training_scan_ids) = cardinality(training_scan_sha256)),
    UNIQUE (model_set_id, plane)
);

COMMENT ON TABLE models IS 'Trained per-plane networks: architecture, hyper-parameters, seed, training data, weights.';
COMMENT ON COLUMN models.hyper_parameters IS 'Everything tunable (loss alpha/beta, dropout, depth, base filters, batch size, epochs...).';
COMMENT ON COLUMN models.training_scan_ids IS 'Scans the model was trained on, in training order.';
COMMENT ON COLUMN models.training_scan_sha256 IS 'CT SHA-256 of each training scan, same order as training_scan_ids.';
COMMENT ON COLUMN models.voxel_spacing_mm IS 'Voxel spacing the network was trained at, millimetres; inputs are resampled to it.';
COMMENT ON COLUMN models.slice_size IS 'Slice size [width, height] in pixels the network was trained at.';
COMMENT ON COLUMN models.training_duration_seconds IS 'Wall-clock training time, seconds.';
COMMENT ON COLUMN models.validation_metrics IS 'Metrics on the validation split (IoU, loss...), unitless.';
COMMENT ON COLUMN models.weights_key IS 'Object-store key of the weights file.';
