-- A scan's transform is either uploaded with the CT or derived by the preprocess-worker from the
-- atlas registration when the scan came without one. Both are stored and served the same way
-- (transform_key, checksum, size, parameters, centre, Euler angles); this column says which.
ALTER TABLE scans
    ADD COLUMN transform_origin text CHECK (transform_origin IN ('uploaded', 'derived'));

UPDATE scans SET transform_origin = 'uploaded' WHERE transform_key IS NOT NULL;

-- why: a transform object without an origin (or an origin without an object) could not be audited
ALTER TABLE scans
    ADD CONSTRAINT scans_transform_origin_object_check CHECK ((transform_origin IS NULL) = (transform_key IS NULL));

COMMENT ON COLUMN scans.transform_origin IS
    'uploaded: the transform file came with the CT; derived: the preprocess-worker derived it from the atlas registration (rotation only, see scan_registrations); NULL while the scan has none.';
COMMENT ON COLUMN scans.transform_key IS
    'Object-store key of the ITK transform file (uploaded, or derived by the preprocess-worker); NULL while the scan has none.';
