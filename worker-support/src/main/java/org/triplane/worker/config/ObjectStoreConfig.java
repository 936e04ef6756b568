package org.triplane.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The S3-API object store (MinIO in production, s3proxy in the local stack). */
@ConfigMapping(prefix = "triplane.s3")
public interface ObjectStoreConfig {

    /** Endpoint URL. */
    @WithDefault("http://127.0.0.1:18080")
    String endpoint();

    /** Access key. */
    @WithDefault("triplane")
    String accessKey();

    /** Secret key. */
    @WithDefault("triplane-local-secret")
    String secretKey();

    /** Region used for request signing. */
    @WithDefault("us-east-1")
    String region();

    /** Bucket holding scans and preprocessed volumes. */
    @WithDefault("triplane")
    String bucket();

    /** Connect timeout of each request. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Read/write timeout of each request. */
    @WithDefault("60s")
    Duration ioTimeout();
}
