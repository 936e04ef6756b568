package org.triplane.worker.storage;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.triplane.worker.config.ObjectStoreConfig;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.TransientException;

/**
 * The bucket, seen as files: download to a path, upload from a path. A missing object is
 * {@link PoisonInputException} (it will not appear by retrying); any other failure is
 * {@link TransientException}.
 */
@ApplicationScoped
public class ObjectStore {
    private final MinioClient client;
    private final String bucket;

    public ObjectStore(ObjectStoreConfig config) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.ioTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.ioTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .build();
        this.client = MinioClient.builder().endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region()).httpClient(http).build();
        this.bucket = config.bucket();
    }

    /** Downloads {@code key} to {@code target} (replaced if present). */
    public void download(String key, Path target) {
        try {
            Files.deleteIfExists(target);
            client.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(key).filename(target.toString()).build());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                throw new PoisonInputException("object " + key + " is missing from bucket " + bucket + "; upload it again", e);
            }
            throw new TransientException("download of " + key + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new TransientException("download of " + key + " failed: " + e, e);
        }
    }

    /** Uploads {@code source} under {@code key}, replacing any object already there. */
    public void upload(Path source, String key, String contentType) {
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(source.toString())
                    .contentType(contentType).build());
        } catch (Exception e) {
            throw new TransientException("upload of " + key + " failed: " + e, e);
        }
    }

    /** @return the object's size in bytes, or empty when it does not exist */
    public Optional<Long> size(String key) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw new TransientException("stat of " + key + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new TransientException("stat of " + key + " failed: " + e, e);
        }
    }

    /** @return whether the bucket answers (readiness) */
    public boolean reachable() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            return false;
        }
    }

    public String bucket() {
        return bucket;
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code);
    }
}
