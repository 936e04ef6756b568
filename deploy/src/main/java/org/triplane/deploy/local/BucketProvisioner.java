package org.triplane.deploy.local;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;

/** Waits until the S3 API answers a signed request, then makes the stack's bucket exist. Idempotent. */
final class BucketProvisioner {
    private final StackConfig config;

    BucketProvisioner(StackConfig config) {
        this.config = config;
    }

    /** @return whether it created the bucket */
    boolean awaitAndProvision(Readiness readiness) {
        // why: MinIO's default HTTP client waits minutes on a server that is not up yet
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofSeconds(10))
                .retryOnConnectionFailure(false)
                .build();
        try {
            MinioClient s3 = MinioClient.builder()
                    .endpoint(config.s3Endpoint())
                    .credentials(config.s3AccessKey(), config.s3SecretKey())
                    .region(StackConfig.S3_REGION)
                    .httpClient(http)
                    .build();
            String bucket = StackConfig.BUCKET;
            AtomicBoolean created = new AtomicBoolean();
            readiness.await("the S3 API at " + config.s3Endpoint() + " and bucket '" + bucket + "'", () -> {
                if (s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    return;
                }
                try {
                    s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                    created.set(true);
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            });
            return created.get();
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
