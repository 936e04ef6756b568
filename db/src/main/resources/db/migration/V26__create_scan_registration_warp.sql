-- The deformable stage of a scan's atlas registration (the imaging module's
-- DeformableRegistration): a smooth displacement of atlas space after the affine map, which the
-- networks' atlas inputs follow. Null for rows written before the stage existed.
ALTER TABLE scan_registrations ADD COLUMN atlas_warp double precision[]
    CHECK (atlas_warp IS NULL OR cardinality(atlas_warp) >= 7 + 3 * 8);
ALTER TABLE scan_registrations ADD COLUMN warp_seconds double precision
    CHECK (warp_seconds IS NULL OR warp_seconds >= 0);

COMMENT ON COLUMN scan_registrations.atlas_warp IS
    'Displacement d of atlas space, x_atlas = A(p) + d(A(p)) with A the affine scan->atlas map: origin x, y, z (mm, LPS), node spacing (mm), nodes along x, y, z, then (dx, dy, dz) in mm per node, x fastest; trilinear between nodes.';
COMMENT ON COLUMN scan_registrations.warp_seconds IS 'Wall time of the deformable stage, seconds.';
