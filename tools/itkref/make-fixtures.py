#!/usr/bin/python3
"""Write the small NIfTI volumes and ITK transform files behind the itkref
golden fixtures, plus a plan that says how each case is resampled.

Usage: /usr/bin/python3 make-fixtures.py OUTDIR [--plan PLAN.tsv]

OUTDIR receives the input volumes (*.nii / *.nii.gz) and transforms (*.txt).
The plan (default OUTDIR/plan.tsv) has one tab-separated line per case:
    name input transform nearest(0/1) inverse(0/1) default outputType note
regenerate.sh feeds it to itk-resample; outputType is itk-resample's --type
("auto" = float for linear, the input component type for nearest).

Every volume covers one NIfTI header/data variant a reader has to get right
(qform with qfac -1, sform only, no xform at all, scl_slope/scl_inter, each
datatype, big-endian, plain vs gzip).  The grids are tiny so the fixtures stay
small, non-cubic and mostly odd-sized so that swapped axes or off-by-one
centres show up.  The content is deterministic (fixed seeds, no time stamps in
the gzip headers), so re-running produces byte-identical inputs.

Headers are written by hand (header block + empty extension flag + voxels in
Fortran order) rather than through nibabel's image save, because nibabel would
rewrite scl_slope/scl_inter and the xform codes; here every field is exactly
what the case says.

Physical-space conventions (ITK): LPS mm; NIfTI RAS affines become LPS by
negating the x and y rows.  Transforms map OUTPUT points to INPUT points,
T(x) = M (x - c) + t + c with c = FixedParameters[0:3].
"""
import gzip
import io
import os
import sys

import numpy as np
import nibabel as nib

LPS = np.diag([-1.0, -1.0, 1.0])


# ----------------------------------------------------------------------------
# geometry helpers
# ----------------------------------------------------------------------------
def rot(ax, deg):
    a = np.deg2rad(deg)
    c, s = np.cos(a), np.sin(a)
    if ax == 0:
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if ax == 1:
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def ras_affine(R, spacing, origin):
    """4x4 RAS affine with direction columns R[:, i] scaled by spacing[i]."""
    aff = np.eye(4)
    aff[:3, :3] = np.asarray(R, dtype=np.float64) @ np.diag(spacing)
    aff[:3, 3] = origin
    return aff


def centre_lps(aff, dims):
    """Physical (LPS) position of the volume centre under a RAS affine."""
    ctr = (np.asarray(dims, dtype=np.float64) - 1.0) / 2.0
    return LPS @ (aff[:3, :3] @ ctr + aff[:3, 3])


# ----------------------------------------------------------------------------
# synthetic content
# ----------------------------------------------------------------------------
def _grid(dims):
    """Voxel-index coordinates normalised to [-0.5, 0.5] per axis."""
    nx, ny, nz = dims
    i, j, k = np.meshgrid(np.arange(nx, dtype=np.float64), np.arange(ny, dtype=np.float64),
                          np.arange(nz, dtype=np.float64), indexing="ij")
    return (i - (nx - 1) / 2.0) / nx, (j - (ny - 1) / 2.0) / ny, (k - (nz - 1) / 2.0) / nz, i, j, k


def ct_hu(dims):
    """CT-like head phantom in HU (float64, fractional values).

    Sharp edges (air/skin, skull, a dense marker) exercise the interpolation
    at discontinuities; smooth parts (brain gradient, Gaussian lesion) check
    the weights.  Nothing is symmetric: the lesion, the marker and the
    texture sit off-centre so a flipped or swapped axis changes the result.
    """
    u, v, w, i, j, k = _grid(dims)
    r_skin = np.sqrt((u / 0.42) ** 2 + (v / 0.40) ** 2 + (w / 0.44) ** 2)
    r_bone_in = np.sqrt((u / 0.34) ** 2 + (v / 0.32) ** 2 + (w / 0.35) ** 2)
    val = np.full(dims, -1000.0)
    val += 7.0 * np.sin(1.7 * i + 0.3) * np.cos(2.3 * j) + 3.0 * np.sin(0.9 * k + 1.1)   # air texture
    soft = r_skin < 1.0
    val[soft] = 35.0 + 12.0 * u[soft] - 9.0 * v[soft]
    bone = soft & (r_bone_in >= 1.0) & (r_skin < 0.86)
    val[bone] = 1100.0 + 400.0 * np.cos(6.0 * u[bone]) * np.sin(5.0 * v[bone] + 3.0 * w[bone])
    brain = r_bone_in < 1.0
    val[brain] = 30.0 + 10.0 * np.sin(9.0 * u[brain]) * np.cos(7.0 * v[brain] + 2.0 * w[brain])
    # ventricle-like CSF pocket, off-centre
    q = ((u - 0.06) / 0.07) ** 2 + ((v + 0.04) / 0.12) ** 2 + (w / 0.10) ** 2
    val = np.where(q < 1.0, 6.0 + 14.0 * q, val)
    # smooth enhancing lesion
    val += 70.0 * np.exp(-(((u - 0.12) ** 2 + (v + 0.10) ** 2 + (w - 0.08) ** 2) / (2 * 0.06 ** 2))) * brain
    # dense marker in one octant (saturates like metal)
    q = ((u - 0.22) / 0.06) ** 2 + ((v - 0.18) / 0.06) ** 2 + ((w - 0.20) / 0.08) ** 2
    val = np.where(q < 1.0, 3071.0, val)
    return val


def labels(dims, nlab=20, seed=7):
    """Labels 0..nlab: 0 outside, 1 skin/soft, 2..nlab Voronoi parcels."""
    u, v, w, _, _, _ = _grid(dims)
    rng = np.random.default_rng(seed)
    seeds = rng.uniform([-0.3, -0.28, -0.3], [0.3, 0.28, 0.3], size=(nlab - 1, 3))
    r = np.sqrt((u / 0.42) ** 2 + (v / 0.40) ** 2 + (w / 0.44) ** 2)
    L = np.zeros(dims, dtype=np.int32)
    L[r < 1.0] = 1
    inner = r < 0.85
    p = np.stack([u[inner], v[inner], w[inner]], axis=-1)
    d2 = ((p[:, None, :] - seeds[None, :, :]) ** 2).sum(-1)
    L[inner] = 2 + np.argmin(d2, axis=1)
    return np.minimum(L, nlab)


# ----------------------------------------------------------------------------
# NIfTI writing
# ----------------------------------------------------------------------------
def write_nifti(fn, arr, aff, qform_code, sform_code, slope=1.0, inter=0.0,
                pixdim=None, big_endian=False, descrip=b""):
    """Write arr (already in its on-disk dtype) with exactly the given header.

    qform_code == 0 leaves the quaternion fields at zero; sform_code == 0
    leaves srow_* at zero.  pixdim (3 values) is used when no affine is given.
    """
    endian = ">" if big_endian else "<"
    h = nib.Nifti1Header(endianness=endian)
    h.set_data_dtype(arr.dtype)
    h.set_data_shape(arr.shape)
    if aff is not None:
        zooms = np.sqrt((aff[:3, :3] ** 2).sum(axis=0))
        h.set_zooms(zooms)
        if qform_code:
            h.set_qform(aff, code=qform_code)
        if sform_code:
            h.set_sform(aff, code=sform_code)
    else:
        h.set_zooms(pixdim)
    h["qform_code"] = qform_code
    h["sform_code"] = sform_code
    h.set_xyzt_units("mm", "sec")
    h["scl_slope"] = slope
    h["scl_inter"] = inter
    h["descrip"] = descrip
    h["vox_offset"] = 352
    block = h.binaryblock
    data = np.asfortranarray(arr).astype(arr.dtype.newbyteorder(endian), copy=False).tobytes(order="F")
    payload = block + b"\x00\x00\x00\x00" + data
    if fn.endswith(".gz"):
        with open(fn, "wb") as raw:
            # mtime=0 and no file name keep the output byte-identical across runs
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
                f.write(payload)
    else:
        with open(fn, "wb") as f:
            f.write(payload)
    return h


def _rewrite_sform(fn, aff, code):
    """Replace srow_* and sform_code of a file written by write_nifti."""
    opener = gzip.open if fn.endswith(".gz") else open
    with opener(fn, "rb") as f:
        payload = f.read()
    h = nib.Nifti1Header.from_fileobj(io.BytesIO(payload[:348]))
    h.set_sform(aff, code=code)
    payload = h.binaryblock + payload[348:]
    if fn.endswith(".gz"):
        with open(fn, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
                f.write(payload)
    else:
        with open(fn, "wb") as f:
            f.write(payload)


# ----------------------------------------------------------------------------
# ITK transform files
# ----------------------------------------------------------------------------
def fmt(v):
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)  # shortest round-trip repr


def fmt_sci(v):
    # 17 significant digits in exponent form: still round-trips exactly
    return "%.16e" % float(v)


def write_itk_tx(fn, name, params, fixed, number=fmt):
    with open(fn, "w") as f:
        f.write("#Insight Transform File V1.0\n")
        f.write("#Transform 0\n")
        f.write("Transform: %s\n" % name)
        f.write("Parameters: " + " ".join(number(v) for v in params) + "\n")
        f.write("FixedParameters: " + " ".join(number(v) for v in fixed) + "\n")


def euler_matrix(ax, ay, az, zyx):
    """Rotation matrix as itk::Euler3DTransform builds it (angles in radians)."""
    d = np.rad2deg
    if zyx:
        return rot(2, d(az)) @ rot(1, d(ay)) @ rot(0, d(ax))
    return rot(2, d(az)) @ rot(0, d(ax)) @ rot(1, d(ay))


def make_transform(fn, kind, centre, angles_deg, shift, scale=(1.0, 1.0, 1.0), centre_offset=(0.0, 0.0, 0.0)):
    """Write one transform file; returns a one-line description.

    kind:
      mob         MatrixOffsetTransformBase_double_3_3, FixedParameters 0 0 0; the
                  rotation about the image centre is folded into the translation
      affine      AffineTransform_double_3_3 with the centre kept in FixedParameters
      affine_sci  same, every number written in exponent notation
      euler       Euler3DTransform_double_3_3, FixedParameters cx cy cz 0 (as ITK 5.2 writes it)
      euler_zyx   same with the 4th fixed parameter (ComputeZYX) = 1
      euler_3fp   Euler3D with only cx cy cz (older files; ComputeZYX stays off)
    """
    c = np.asarray(centre, dtype=np.float64) + np.asarray(centre_offset, dtype=np.float64)
    d = np.asarray(shift, dtype=np.float64)
    if kind.startswith("euler"):
        ax, ay, az = (float(np.deg2rad(a)) for a in angles_deg)
        fixed = list(c) + ([] if kind == "euler_3fp" else [1.0 if kind == "euler_zyx" else 0.0])
        write_itk_tx(fn, "Euler3DTransform_double_3_3", [ax, ay, az] + list(d), fixed)
        M = euler_matrix(ax, ay, az, kind == "euler_zyx")
        return M, d, c
    M = rot(2, angles_deg[2]) @ rot(1, angles_deg[1]) @ rot(0, angles_deg[0]) @ np.diag(scale)
    if kind == "mob":
        t = c - M @ c + d
        write_itk_tx(fn, "MatrixOffsetTransformBase_double_3_3", list(M.reshape(-1)) + list(t), [0.0, 0.0, 0.0])
        return M, t, np.zeros(3)
    number = fmt_sci if kind == "affine_sci" else fmt
    write_itk_tx(fn, "AffineTransform_double_3_3", list(M.reshape(-1)) + list(d), list(c), number)
    return M, d, c


# ----------------------------------------------------------------------------
# the cases
# ----------------------------------------------------------------------------
def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__)
        sys.exit(2)
    outdir = args[0]
    plan_fn = os.path.join(outdir, "plan.tsv")
    if len(args) >= 3 and args[1] == "--plan":
        plan_fn = args[2]
    os.makedirs(outdir, exist_ok=True)

    vols = {}   # file name -> (RAS affine used for the centre, dims)

    def vol(fn, arr, aff, qcode, scode, **kw):
        write_nifti(os.path.join(outdir, fn), arr, aff, qcode, scode, **kw)
        vols[fn] = (aff, arr.shape)

    # A: qform only, oblique (about x and y), qfac = -1 (LAS-like storage, det < 0)
    dims = (29, 25, 13)
    aff = ras_affine(rot(0, 12.0) @ rot(1, -10.0) @ np.diag([-1.0, 1.0, 1.0]), (1.8, 2.2, 3.1), (40.3, -55.7, 20.9))
    vol("ct_qform_qfacneg.nii.gz", np.rint(ct_hu(dims)).astype(np.int16), aff, 1, 0,
        descrip=b"int16 CT, qform only, qfac -1")

    # B: sform only (code 2), oblique, non-zero origin; quaternion fields left at zero
    dims = (31, 27, 15)
    aff = ras_affine(rot(2, 11.0) @ rot(1, 8.0) @ np.diag([-1.0, -1.0, 1.0]), (1.6, 1.9, 2.7), (-12.5, 30.25, -60.75))
    vol("ct_sform_oblique.nii", np.rint(ct_hu(dims)).astype(np.int16), aff, 0, 2,
        descrip=b"int16 CT, sform only")

    # C: axial as scanners write it: qform == sform (code 1), RAS diag(-sx,-sy,sz)
    dims = (37, 33, 17)
    aff = ras_affine(np.diag([-1.0, -1.0, 1.0]), (2.1, 1.9, 3.0), (38.85, 151.7, -24.0))
    vol("ct_axial.nii.gz", np.rint(ct_hu(dims)).astype(np.int16), aff, 1, 1,
        descrip=b"int16 CT, axial, qform == sform")

    # D: scaled int16: stored = (HU + 1024) / 0.5, scl_slope 0.5, scl_inter -1024
    dims = (27, 23, 13)
    aff = ras_affine(rot(0, 7.0) @ np.diag([-1.0, -1.0, 1.0]), (2.3, 2.0, 2.9), (30.1, 80.4, -41.0))
    hu = np.clip(np.rint(ct_hu(dims) * 2.0) / 2.0, -1024.0, 3071.0)          # half-HU steps
    vol("ct_scaled.nii", np.rint((hu + 1024.0) / 0.5).astype(np.int16), aff, 1, 1, slope=0.5, inter=-1024.0,
        descrip=b"int16 CT, scl_slope 0.5 scl_inter -1024")

    # E: uint8 labels, even-sized grid, scl_slope NaN (what nibabel leaves by default)
    dims = (40, 36, 20)
    aff = ras_affine(np.diag([-1.0, -1.0, 1.0]), (2.0, 2.0, 2.5), (39.0, 35.0, -25.0))
    vol("labels_u8.nii.gz", labels(dims).astype(np.uint8), aff, 1, 1, slope=np.nan, inter=np.nan,
        descrip=b"uint8 labels 0..20")

    # F: int16 labels, oblique, scl_slope 0 (spec: 0 means no scaling)
    dims = (23, 19, 11)
    aff = ras_affine(rot(2, -9.0) @ rot(0, 6.0) @ np.diag([-1.0, -1.0, 1.0]), (2.4, 2.6, 3.3), (-5.0, 12.0, 7.5))
    vol("labels_i16.nii", labels(dims, seed=11).astype(np.int16), aff, 1, 1, slope=0.0, inter=0.0,
        descrip=b"int16 labels 0..20")

    # G: float32 CT, oblique (qfac +1)
    dims = (35, 31, 15)
    aff = ras_affine(rot(1, 9.0) @ rot(2, 13.0) @ np.diag([-1.0, -1.0, 1.0]), (1.7, 1.75, 2.6), (25.0, 40.0, -10.0))
    vol("ct_f32.nii.gz", ct_hu(dims).astype(np.float32), aff, 1, 1, descrip=b"float32 CT")

    # H: float64 CT
    dims = (25, 21, 11)
    aff = ras_affine(np.diag([-1.0, -1.0, 1.0]), (2.5, 2.7, 3.5), (31.25, 28.0, 100.0))
    vol("ct_f64.nii.gz", ct_hu(dims).astype(np.float64) + 0.125, aff, 1, 1, descrip=b"float64 CT")

    # I: uint16 (CT stored with +1024 like some converters do, no scaling)
    dims = (29, 23, 13)
    aff = ras_affine(rot(0, -5.0) @ np.diag([-1.0, -1.0, 1.0]), (2.0, 2.2, 3.0), (28.0, 24.2, -18.0))
    vol("vol_u16.nii.gz", (np.rint(ct_hu(dims)) + 1024).clip(0, 65535).astype(np.uint16), aff, 1, 1,
        descrip=b"uint16 volume")

    # J: int32 with values beyond the int16 range
    dims = (23, 27, 11)
    aff = ras_affine(np.diag([-1.0, -1.0, 1.0]), (2.2, 1.8, 3.2), (24.2, 23.4, 16.0))
    vol("vol_i32.nii", np.rint(ct_hu(dims) * 37.0).astype(np.int32), aff, 1, 1, descrip=b"int32 volume")

    # K: int8 (signed), values -100..100
    dims = (25, 19, 13)
    aff = ras_affine(rot(2, 4.0) @ np.diag([-1.0, -1.0, 1.0]), (2.0, 2.4, 2.8), (24.0, 21.6, -16.8))
    vol("vol_i8.nii.gz", np.clip(np.rint(ct_hu(dims) / 12.0), -100, 100).astype(np.int8), aff, 1, 1,
        descrip=b"int8 volume")

    # L: big-endian int16, plain file so the byte order is visible on disk
    dims = (31, 25, 13)
    aff = ras_affine(rot(0, -6.0) @ rot(2, 5.0) @ np.diag([-1.0, -1.0, 1.0]), (1.9, 2.1, 3.0), (29.0, 25.0, -19.0))
    vol("ct_bigendian.nii", np.rint(ct_hu(dims)).astype(np.int16), aff, 1, 1, big_endian=True,
        descrip=b"big-endian int16 CT")

    # M: neither qform nor sform: only pixdim is meaningful
    dims = (27, 21, 11)
    vol("ct_noxform.nii.gz", np.rint(ct_hu(dims)).astype(np.int16), None, 0, 0, pixdim=(2.0, 2.4, 3.2),
        descrip=b"int16 CT, qform_code 0 sform_code 0")
    # ITK 5.2 gives a .nii without any xform origin 0 and the identity
    # direction (LPS), i.e. RAS diag(-sx, -sy, sz); the transform centre below
    # uses that geometry so the rotation still happens about the middle of
    # the volume.
    vols["ct_noxform.nii.gz"] = (ras_affine(np.diag([-1.0, -1.0, 1.0]), (2.0, 2.4, 3.2), (0.0, 0.0, 0.0)), dims)

    # N: qform (code 1) and sform (code 2) both set but disagreeing (sform
    # shifted and slightly rotated, as after a registration tool rewrote only
    # the sform).  ITK 5.2 uses the sform only when it is code 1
    # (SCANNER_ANAT), the qform is unset, or the two are nearly identical, so
    # here the geometry must come from the qform.
    dims = (23, 21, 11)
    aff_q = ras_affine(rot(0, 5.0) @ np.diag([-1.0, -1.0, 1.0]), (2.2, 2.0, 3.0), (24.2, 20.0, -15.0))
    aff_s = ras_affine(rot(2, 3.0) @ rot(0, 5.0) @ np.diag([-1.0, -1.0, 1.0]), (2.2, 2.0, 3.0), (28.2, 17.0, -13.0))
    write_nifti(os.path.join(outdir, "ct_qs_disagree.nii.gz"), np.rint(ct_hu(dims)).astype(np.int16), aff_q, 1, 0,
                descrip=b"int16 CT, qform code 1 != sform code 2")
    # write_nifti sets one affine for both forms; patch the sform afterwards
    _rewrite_sform(os.path.join(outdir, "ct_qs_disagree.nii.gz"), aff_s, 2)
    vols["ct_qs_disagree.nii.gz"] = (aff_q, dims)

    # Sanity checks on the bytes that matter most.
    with open(os.path.join(outdir, "ct_bigendian.nii"), "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x5c", "sizeof_hdr is not big-endian"
    hq = nib.load(os.path.join(outdir, "ct_qform_qfacneg.nii.gz")).header
    assert hq["pixdim"][0] == -1.0 and hq["qform_code"] == 1 and hq["sform_code"] == 0
    q = np.array([hq["quatern_b"], hq["quatern_c"], hq["quatern_d"]], dtype=np.float64)
    assert (np.abs(q) > 0.05).sum() >= 2, "quaternion should describe a genuinely oblique rotation"

    # ------------------------------------------------------------------------
    # resampling cases: (name, input, transform kind, angles, shift, extra, nearest, inverse, default, type, note)
    # ------------------------------------------------------------------------
    cases = [
        ("ct_qform_qfacneg_linear", "ct_qform_qfacneg.nii.gz", "mob", (10.0, -7.0, 5.0), (3.0, -2.0, 4.0), {},
         0, 0, -1024, "auto",
         "qform only (code 1, sform 0), oblique quaternion, qfac -1 (improper direction); "
         "MatrixOffsetTransformBase with the centre folded into the translation; linear"),
        ("ct_sform_oblique_linear", "ct_sform_oblique.nii", "affine", (-8.0, 12.0, 6.0), (2.5, 3.0, -3.5),
         {"scale": (1.04, 0.97, 1.02), "centre_offset": (5.0, -3.0, 2.0)},
         0, 0, -1024, "auto",
         "sform only (code 2), oblique, non-zero origin, plain .nii; AffineTransform with scaling and a "
         "non-zero centre in FixedParameters; linear"),
        ("ct_axial_linear_inverse", "ct_axial.nii.gz", "mob", (6.0, 9.0, -12.0), (-4.0, 2.0, 5.0), {},
         0, 1, 0, "auto",
         "qform == sform axial (scanner style); MatrixOffsetTransformBase applied inverted (--inverse); "
         "linear, default 0"),
        ("ct_axial_nearest", "ct_axial.nii.gz", "euler", (5.0, -8.0, 11.0), (3.0, 4.0, -2.0), {"centre_offset": (1.5, -2.0, 0.5)},
         1, 0, -1024, "auto",
         "int16 CT with nearest neighbour (int16 output); Euler3DTransform with 4 fixed parameters "
         "(centre + ComputeZYX 0), angles applied as Rz*Rx*Ry"),
        ("ct_axial_linear_to_short", "ct_axial.nii.gz", "euler_zyx", (-7.0, 6.0, 9.0), (-3.0, 2.5, 4.0), {},
         0, 0, -1024, "short",
         "linear interpolation written as int16 (--type short): values truncated toward zero, not rounded; "
         "Euler3DTransform with ComputeZYX = 1 (Rz*Ry*Rx)"),
        ("ct_scaled_linear", "ct_scaled.nii", "affine_sci", (9.0, 5.0, -6.0), (-2.0, -3.0, 3.0),
         {"centre_offset": (-4.0, 6.0, -1.0)},
         0, 0, -1024, "auto",
         "int16 with scl_slope 0.5 / scl_inter -1024 (ITK reads it as float); AffineTransform with every "
         "number in exponent notation (1.2e-01 style); linear"),
        ("ct_scaled_nearest", "ct_scaled.nii", "affine_sci", (9.0, 5.0, -6.0), (-2.0, -3.0, 3.0),
         {"centre_offset": (-4.0, 6.0, -1.0)},
         1, 0, -1024, "auto",
         "scaled int16 with nearest: the 'input' pixel type is float after rescaling, so the output is "
         "float32 holding half-HU values"),
        ("labels_u8_nearest", "labels_u8.nii.gz", "mob", (-11.0, 7.0, 8.0), (4.0, -3.0, 2.0), {},
         1, 0, 0, "auto",
         "uint8 labels 0..20, 40x36x20 (even sizes), scl_slope NaN in the header (no scaling); nearest"),
        ("labels_i16_nearest_inverse", "labels_i16.nii", "affine", (8.0, -6.0, 13.0), (3.0, 3.0, -2.0),
         {"centre_offset": (2.0, -1.0, 3.0)},
         1, 1, 0, "auto",
         "int16 labels, oblique, scl_slope 0 (no scaling), plain .nii; AffineTransform with centre, "
         "applied inverted; nearest"),
        ("ct_f32_linear_default7p5", "ct_f32.nii.gz", "euler_3fp", (12.0, 4.0, -9.0), (-2.0, 4.0, 3.0), {},
         0, 0, 7.5, "auto",
         "float32 CT, oblique; Euler3DTransform with only 3 fixed parameters (older files); linear, "
         "default 7.5"),
        ("ct_f64_linear", "ct_f64.nii.gz", "mob", (-9.0, -10.0, 6.0), (2.0, -4.0, -3.0), {},
         0, 0, -1024, "auto",
         "float64 CT read into a float pipeline; linear"),
        ("vol_u16_nearest", "vol_u16.nii.gz", "affine", (7.0, 11.0, -5.0), (-3.0, 2.0, 4.0), {},
         1, 0, 0, "auto",
         "uint16 volume; nearest (uint16 output)"),
        ("vol_i32_linear", "vol_i32.nii", "euler", (-6.0, 10.0, 7.0), (4.0, -2.0, -3.0), {},
         0, 0, 0, "auto",
         "int32 volume with values beyond int16, plain .nii; linear (float output), default 0"),
        ("vol_i8_nearest", "vol_i8.nii.gz", "mob", (13.0, -5.0, -8.0), (-2.0, -3.0, 4.0), {},
         1, 0, -3.7, "auto",
         "int8 volume; nearest (int8 output); default -3.7 is cast to the pixel type, so outside voxels "
         "are -3"),
        ("ct_bigendian_linear", "ct_bigendian.nii", "affine", (-10.0, 8.0, 6.0), (3.0, -3.0, -4.0),
         {"centre_offset": (-3.0, 2.0, 1.0)},
         0, 0, -1024, "auto",
         "big-endian int16 (header and voxels), plain .nii; linear"),
        ("ct_qs_disagree_linear", "ct_qs_disagree.nii.gz", "mob", (-6.0, 9.0, 7.0), (-3.0, 2.0, 3.0), {},
         0, 0, -1024, "auto",
         "qform code 1 and sform code 2 that disagree (shifted, rotated sform): ITK 5.2 takes the qform; "
         "linear"),
        ("ct_noxform_linear", "ct_noxform.nii.gz", "mob", (8.0, 6.0, -10.0), (3.0, 2.0, -4.0), {},
         0, 0, -1024, "auto",
         "qform_code 0 and sform_code 0: geometry from pixdim only (ITK default orientation, origin 0); "
         "linear"),
    ]

    lines = []
    for name, inp, kind, ang, shift, extra, nearest, inverse, dflt, otype, note in cases:
        aff, dims = vols[inp]
        txf = name + ".transform.txt"
        make_transform(os.path.join(outdir, txf), kind, centre_lps(aff, dims), ang, shift, **extra)
        lines.append("\t".join([name, inp, txf, str(nearest), str(inverse), repr(float(dflt)), otype, note]))
    with open(plan_fn, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d volumes, %d cases to %s" % (len(vols), len(cases), outdir))


if __name__ == "__main__":
    main()
