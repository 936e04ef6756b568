package org.triplane.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.triplane.messaging.KafkaSecurity;
import org.triplane.messaging.RelayConfig;

/**
 * Everything the gateway is configured with ({@code triplane.*}). Defaults match the local stack
 * ({@code ./triplane stack up}); the integration tests override them with the ports of the stack
 * they start.
 */
@ConfigMapping(prefix = "triplane")
public interface GatewayConfig {

    /** @return the job database */
    Database database();

    /** @return the S3-API object store */
    ObjectStore objectStore();

    /** @return the Kafka cluster */
    Kafka kafka();

    /** @return the outbox relay this gateway runs, one of those of every service */
    Relay relay();

    /** @return what uploads must satisfy */
    Upload upload();

    /** @return the administration path */
    Admin admin();

    /** @return the job reports */
    Report report();

    /** @return how failed authentications are throttled */
    AuthThrottle authThrottle();

    /** @return the model set that ships with the project, registered at start as the default */
    DefaultModelSet defaultModelSet();

    /** @return version of this code, recorded on every job; defaults to the build's version */
    @WithDefault("${quarkus.application.version:unknown}")
    String codeVersion();

    /** The job database. The service itself connects through the datasources {@code <default>} (app role) and {@code worker}. */
    interface Database {
        /** @return JDBC URL shared by both datasources */
        @WithDefault("jdbc:postgresql://127.0.0.1:15432/triplane")
        String url();

        /** @return password of {@code triplane_app} */
        @WithDefault("triplane-local-app")
        String appPassword();

        /** @return password of {@code triplane_worker} */
        @WithDefault("triplane-local-worker")
        String workerPassword();

        /**
         * @return when true, at start-up migrate the schema as the owner and give the two service
         *         roles login with the passwords above (local stack and tests; production runs
         *         migrations as a separate step and leaves this off)
         */
        @WithDefault("false")
        boolean migrateAtStart();

        /** @return schema owner used only by {@link #migrateAtStart()} */
        @WithDefault("triplane")
        String ownerUser();

        /** @return its password */
        @WithDefault("triplane")
        String ownerPassword();
    }

    /** The S3-API object store (MinIO in production, s3proxy locally). */
    interface ObjectStore {
        /** @return endpoint URL */
        @WithDefault("http://127.0.0.1:18080")
        String endpoint();

        /** @return access key */
        @WithDefault("triplane")
        String accessKey();

        /** @return secret key */
        @WithDefault("triplane-local-secret")
        String secretKey();

        /** @return signing region */
        @WithDefault("us-east-1")
        String region();

        /** @return bucket holding every tenant's objects (keys: {@code tenants/<tenant>/...}) */
        @WithDefault("triplane")
        String bucket();

        /** @return connect, read and write timeout of each object-store call */
        @WithDefault("30s")
        Duration timeout();
    }

    /** The Kafka cluster. */
    interface Kafka {
        /** @return bootstrap servers, {@code host:port[,host:port]} */
        @WithDefault("127.0.0.1:19092")
        String bootstrapServers();

        /** @return client id of the relay's producer */
        @WithDefault("triplane-api-gateway")
        String clientId();

        /** @return authentication and encryption ({@code triplane.kafka.security.*}); none set: a plain connection */
        KafkaSecurity.Settings security();
    }

    /**
     * The outbox relay ({@code triplane.relay.*}, names and defaults in
     * {@link org.triplane.messaging.RelayConfig}, the same in every service).
     */
    interface Relay extends RelayConfig {
    }

    /** What an upload must satisfy before anything is stored. */
    interface Upload {
        /** @return largest deviation of M·Mᵀ from the identity for a transform to count as a rotation (unitless) */
        @WithDefault("1e-3")
        double rotationTolerance();

        /** @return largest difference of origin and spacing (mm) or direction cosine between the CT and label grids */
        @WithDefault("1e-3")
        double gridTolerance();

        /** @return temporary directory for uploads being checked; empty: the system's */
        Optional<String> tempDir();

        /**
         * @return most voxels (nx·ny·nz) a NIfTI part may declare; more is refused with 413 from the header,
         *         before anything is inflated. The default, 2^28, is 512×512×1024
         */
        @WithDefault("268435456")
        long maxVoxels();

        /**
         * @return most bytes a NIfTI part may declare uncompressed (header, extensions and voxel data); more is
         *         refused with 413 from the header, before anything is inflated, and no part inflates further.
         *         The default, 1 GiB, admits 512×512×600 int16 (315 MB) and float32 (629 MB)
         */
        @WithDefault("1G")
        MemorySize maxBytes();

        /**
         * @return most uncompressed bytes a gzip-compressed NIfTI part may declare per byte sent; more is refused
         *         with 413 from the header, before anything is inflated. CT scans compress 2–5:1 and label volumes
         *         up to about 500:1 (float32 labels at gzip's best); deflate's own ceiling is about 1032:1, reached
         *         only by nearly uniform data such as a gzip bomb
         */
        @WithDefault("600")
        double maxInflationRatio();

        /**
         * @return most bytes a JSON request body may have (job submissions, fusion weights, tenants); more is
         *         refused with 413, from {@code Content-Length} before anything is read or, for a chunked body, as
         *         soon as it passes the limit. The default, 4 MiB, holds a job of some 50 000 scans; job
         *         parameters have their own, smaller bound
         */
        @WithDefault("4M")
        MemorySize maxJsonBytes();

        /** @return the NIfTI header limits above, as the imaging core checks them */
        default org.triplane.imaging.nifti.VolumeLimits volumeLimits() {
            return new org.triplane.imaging.nifti.VolumeLimits(maxVoxels(), maxBytes().asLongValue(), maxInflationRatio());
        }
    }

    /**
     * The shipped default model set: a folder in the form of {@code org.triplane.client.modelset.ModelSetFolder}
     * ({@code model-set.json} and {@code <plane>.params}). At start the gateway uploads its weights and
     * registers it as the default model set of every tenant (idempotent: the same content is one set,
     * whichever replica registers it). No folder there: nothing is registered, and segment and evaluate
     * jobs must name a model set unless a default was registered before.
     */
    interface DefaultModelSet {
        /**
         * @return the folder; relative paths are resolved against the working directory. The local stack
         *         passes the repository's {@code models/default}; container images hold it at
         *         {@code /deployments/models/default}
         */
        @WithDefault("models/default")
        String path();

        /** @return attempts at registering while the database or object store are not reachable yet */
        @WithDefault("5")
        int attempts();
    }

    /**
     * Failed authentications (401, 403) per client address and per API key: after so many within
     * {@code window}, that client or key is answered 429 with {@code Retry-After} until the window
     * has passed, before its request body is read.
     */
    interface AuthThrottle {
        /** @return failures of one client address within the window that lock it out */
        @WithDefault("20")
        int maxFailuresPerClient();

        /**
         * @return failures with one API key (its public prefix) within the window that lock the key out;
         *         higher than per client because whoever knows a key's prefix can spend it
         */
        @WithDefault("50")
        int maxFailuresPerKey();

        /** @return the window failures are counted in, and how long a lock-out lasts */
        @WithDefault("1m")
        Duration window();

        /** @return clients and keys tracked at most (memory stays bounded whatever the attacker sends) */
        @WithDefault("10000")
        int tracked();
    }

    /** The administration path ({@code /api/v1/admin}). */
    interface Admin {
        /** @return token expected in header {@code X-Admin-Token}; absent: the admin path answers 403 */
        Optional<String> token();
    }

    /** The HTML job reports and their signed links. */
    interface Report {
        /**
         * @return HMAC key (at least 16 bytes) signing report links; every gateway replica behind one
         *         address needs the same key. Empty: a random key per process, links end with it
         */
        Optional<String> signingKey();

        /** @return how long a report link works */
        @WithDefault("1h")
        Duration linkValidity();

        /** @return scans whose rendered overlay images are kept in memory (results never change) */
        @WithDefault("16")
        int overlayCacheScans();

        /** @return overlay renderings at one time (each holds a scan's CT and labels in memory) */
        @WithDefault("1")
        int renderingsAtOnce();

        /** @return how long a request waits for a rendering slot before 503 with Retry-After */
        @WithDefault("15s")
        Duration renderingWait();
    }
}
