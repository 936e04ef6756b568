package org.triplane.objectstore;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the bucket is and how long one call may take.
 *
 * @param endpoint       the S3 API's URL, e.g. {@code http://127.0.0.1:18080}
 * @param accessKey      the access key
 * @param secretKey      the secret key
 * @param region         the region requests are signed for
 * @param bucket         the bucket
 * @param connectTimeout how long connecting may take
 * @param ioTimeout      how long one read or write on the connection may wait
 */
public record ObjectStoreAddress(String endpoint, String accessKey, String secretKey, String region, String bucket,
                                 Duration connectTimeout, Duration ioTimeout) {
    public ObjectStoreAddress {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
    }

    /** Keys are secrets: a logged address shows where, never with what. */
    @Override
    public String toString() {
        return "ObjectStoreAddress[" + endpoint + ", bucket " + bucket + ", region " + region + "]";
    }
}
