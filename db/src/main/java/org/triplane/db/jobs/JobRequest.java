package org.triplane.db.jobs;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A job as a client asks for it; build with {@link #builder()}.
 *
 * @param tenantId       owning tenant
 * @param kind           what is asked for
 * @param requestedBy    who asks (API key prefix or user name)
 * @param idempotencyKey client-chosen key; repeating it returns the first job
 * @param parametersJson job options, a JSON object
 * @param modelSetId     model set to run, or {@code null} (training)
 * @param codeVersion    version of the code accepting the job
 * @param scanIds        scans to process, in the client's order, without duplicates
 * @param modelSetDefault whether {@code modelSetId} is the default model set, run because the client named none
 */
public record JobRequest(
        UUID tenantId,
        JobKind kind,
        String requestedBy,
        String idempotencyKey,
        String parametersJson,
        UUID modelSetId,
        String codeVersion,
        List<UUID> scanIds,
        boolean modelSetDefault) {

    /** Longest idempotency key accepted, characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    /** @return an empty builder; parameters default to {@code {}} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setX} for required fields, {@code optX} for optional ones. */
    public static final class Builder {
        private UUID tenantId;
        private JobKind kind;
        private String requestedBy;
        private String idempotencyKey;
        private String parametersJson = "{}";
        private UUID modelSetId;
        private String codeVersion;
        private List<UUID> scanIds;
        private boolean modelSetDefault;

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
         * @param v what is asked for
         * @return this
         */
        public Builder setKind(JobKind v) {
            kind = v;
            return this;
        }

        /**
         * @param v who asks
         * @return this
         */
        public Builder setRequestedBy(String v) {
            requestedBy = v;
            return this;
        }

        /**
         * @param v client-chosen idempotency key
         * @return this
         */
        public Builder setIdempotencyKey(String v) {
            idempotencyKey = v;
            return this;
        }

        /**
         * @param v version of the accepting code
         * @return this
         */
        public Builder setCodeVersion(String v) {
            codeVersion = v;
            return this;
        }

        /**
         * @param v scans to process
         * @return this
         */
        public Builder setScanIds(List<UUID> v) {
            scanIds = v;
            return this;
        }

        /**
         * @param v job options as a JSON object (default {@code {}})
         * @return this
         */
        public Builder optParametersJson(String v) {
            parametersJson = v;
            return this;
        }

        /**
         * @param v model set to run
         * @return this
         */
        public Builder optModelSetId(UUID v) {
            modelSetId = v;
            modelSetDefault = false;
            return this;
        }

        /**
         * @param v the default model set, run because the client named none (recorded on the job as such)
         * @return this
         */
        public Builder optDefaultModelSetId(UUID v) {
            modelSetId = v;
            modelSetDefault = v != null;
            return this;
        }

        /** @throws IllegalArgumentException naming the first missing or invalid field */
        public void validate() {
            require(tenantId, "tenantId");
            require(kind, "kind");
            requireText(requestedBy, "requestedBy");
            requireText(idempotencyKey, "idempotencyKey");
            if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
                throw new IllegalArgumentException("idempotencyKey: longer than " + MAX_IDEMPOTENCY_KEY_LENGTH);
            }
            requireText(codeVersion, "codeVersion");
            requireText(parametersJson, "parametersJson");
            require(scanIds, "scanIds");
            if (scanIds.isEmpty() && kind != JobKind.TRAIN) {
                throw new IllegalArgumentException("scanIds: a " + kind + " job needs at least one scan");
            }
            // why a stream: List.of(...).contains(null) throws instead of answering
            if (scanIds.stream().anyMatch(Objects::isNull) || scanIds.stream().distinct().count() != scanIds.size()) {
                throw new IllegalArgumentException("scanIds: must be distinct and non-null");
            }
        }

        /** @return the validated request */
        public JobRequest build() {
            validate();
            return new JobRequest(tenantId, kind, requestedBy, idempotencyKey, parametersJson, modelSetId,
                    codeVersion, List.copyOf(scanIds), modelSetDefault);
        }

        private static void require(Object v, String field) {
            if (v == null) {
                throw new IllegalArgumentException(field + ": required");
            }
        }

        private static void requireText(String v, String field) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(field + ": required");
            }
        }
    }
}
