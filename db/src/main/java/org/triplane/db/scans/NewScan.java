package org.triplane.db.scans;

import java.util.UUID;

/**
 * A scan to insert; build with {@link #builder()}.
 *
 * @param tenantId      owning tenant (must be the transaction's tenant under {@code triplane_app})
 * @param ct            the CT volume object
 * @param transformFile the ITK transform file object, or {@code null}
 * @param labels        the label volume object, or {@code null}
 * @param geometry      the CT's grid (LPS, mm)
 * @param transform     the parsed transform, or {@code null}; present exactly when transformFile is
 * @param window        HU window for preprocessing
 * @param upload        the checksums of the parts as uploaded and whether the objects are de-identified
 *                      copies, or {@code null} when not known (recorded as not de-identified)
 */
public record NewScan(
        UUID tenantId,
        StoredObject ct,
        StoredObject transformFile,
        StoredObject labels,
        ScanGeometry geometry,
        ScanTransform transform,
        HuWindow window,
        ScanUpload upload) {

    /** @return an empty builder; the window defaults to {@link HuWindow#BRAIN} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setX} for required fields, {@code optX} for optional ones. */
    public static final class Builder {
        private UUID tenantId;
        private StoredObject ct;
        private StoredObject transformFile;
        private StoredObject labels;
        private ScanGeometry geometry;
        private ScanTransform transform;
        private HuWindow window = HuWindow.BRAIN;
        private ScanUpload upload;

        private Builder() {
        }

        /**
         * @param v owning tenant
         * @return this
         */
        public Builder setTenantId(UUID v) {
            tenantId = v;
            return this;
        }

        /**
         * @param v the CT volume object
         * @return this
         */
        public Builder setCt(StoredObject v) {
            ct = v;
            return this;
        }

        /**
         * @param v the CT's grid
         * @return this
         */
        public Builder setGeometry(ScanGeometry v) {
            geometry = v;
            return this;
        }

        /**
         * @param file   the transform file object
         * @param parsed its parameters, centre and Euler angles
         * @return this
         */
        public Builder optTransform(StoredObject file, ScanTransform parsed) {
            transformFile = file;
            transform = parsed;
            return this;
        }

        /**
         * @param v the label volume object
         * @return this
         */
        public Builder optLabels(StoredObject v) {
            labels = v;
            return this;
        }

        /**
         * @param v HU window (default {@link HuWindow#BRAIN})
         * @return this
         */
        public Builder optWindow(HuWindow v) {
            window = v;
            return this;
        }

        /**
         * @param v the checksums of the parts as uploaded and whether the objects are de-identified copies
         * @return this
         */
        public Builder optUpload(ScanUpload v) {
            upload = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing or inconsistent field */
        public void validate() {
            require(tenantId, "tenantId");
            require(ct, "ct");
            require(geometry, "geometry");
            require(window, "window");
            if ((transformFile == null) != (transform == null)) {
                throw new IllegalArgumentException("transform: file and parsed values go together");
            }
            if (upload != null && upload.labelsSha256() != null && labels == null) {
                throw new IllegalArgumentException("upload: a labels checksum without a labels object");
            }
        }

        /** @return the validated scan */
        public NewScan build() {
            validate();
            return new NewScan(tenantId, ct, transformFile, labels, geometry, transform, window, upload);
        }

        private static void require(Object v, String field) {
            if (v == null) {
                throw new IllegalArgumentException(field + ": required");
            }
        }
    }
}
