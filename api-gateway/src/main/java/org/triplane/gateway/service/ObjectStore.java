package org.triplane.gateway.service;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.triplane.gateway.config.GatewayConfig;

/**
 * The bucket that holds every tenant's objects, through the S3 API. Every call has the configured
 * timeout; failures surface as {@link ObjectStoreException} naming the key.
 */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final String bucket;

    @Inject
    public ObjectStore(GatewayConfig config) {
        GatewayConfig.ObjectStore c = config.objectStore();
        long timeoutMs = c.timeout().toMillis();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .writeTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .build();
        this.client = MinioClient.builder()
                .endpoint(c.endpoint())
                .credentials(c.accessKey(), c.secretKey())
                .region(c.region())
                .httpClient(http)
                .build();
        this.bucket = c.bucket();
    }

    /** @return the bucket name */
    public String bucket() {
        return bucket;
    }

    /**
     * Streams a file into the bucket.
     *
     * @param key         object key
     * @param file        the content
     * @param contentType MIME type recorded with the object
     */
    public void put(String key, Path file, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            put(key, in, Files.size(file), contentType);
        } catch (IOException e) {
            throw new ObjectStoreException("put " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param key         object key
     * @param content     the content, small (held in memory)
     * @param contentType MIME type recorded with the object
     */
    public void put(String key, byte[] content, String contentType) {
        put(key, new java.io.ByteArrayInputStream(content), content.length, contentType);
    }

    private void put(String key, InputStream content, long size, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size, -1)
                    .contentType(contentType).build());
        } catch (Exception e) {
            throw new ObjectStoreException("put " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param key object key
     * @return the content (close it), or empty when there is no such object
     */
    public Optional<InputStream> get(String key) {
        try {
            return Optional.of(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new ObjectStoreException("get " + key + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ObjectStoreException("get " + key + ": " + e.getMessage(), e);
        }
    }

    /** Removes an object; removing an absent one is not an error. @param key object key */
    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw new ObjectStoreException("delete " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param prefix a key prefix, e.g. a folder ending in {@code /}
     * @return the keys of every object under it, at any depth
     */
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                    .build())) {
                keys.add(r.get().objectName());
            }
            return keys;
        } catch (Exception e) {
            throw new ObjectStoreException("list " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** @return whether the bucket answers a signed request and exists */
    public boolean bucketReachable() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw new ObjectStoreException("bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    /** An object-store call that failed. */
    public static final class ObjectStoreException extends RuntimeException {
        /** @param message what failed, naming the key @param cause the client's error */
        public ObjectStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
