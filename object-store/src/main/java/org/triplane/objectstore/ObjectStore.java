package org.triplane.objectstore;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The one bucket every service keeps its objects in, through the S3 API: files up and down, small
 * contents as bytes, streams, sizes, listing and removal. Every call has the address's timeouts and
 * fails as {@link ObjectStoreException} naming the key; an object asked for that is not there is
 * {@link MissingObjectException} for a download, an empty {@code Optional} where absence is an answer.
 * A request that meets a pooled connection the store has closed is sent again on a new one; no
 * other failure is retried here. Thread-safe; one per service.
 */
public final class ObjectStore {
    private final MinioClient client;
    private final String bucket;

    public ObjectStore(ObjectStoreAddress address) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(address.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(address.ioTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(address.ioTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // why: a store closes idle connections (a restart closes them all), and a request sent on
                // one that the pool still holds fails with "unexpected end of stream": OkHttp sends it
                // again on a fresh connection. Every body here can be sent again (a file or bytes); an
                // outage still fails, and the caller owns retrying that (a worker's Backoff)
                .retryOnConnectionFailure(true)
                .build();
        this.client = MinioClient.builder().endpoint(address.endpoint())
                .credentials(address.accessKey(), address.secretKey())
                .region(address.region()).httpClient(http).build();
        this.bucket = address.bucket();
    }

    public String bucket() {
        return bucket;
    }

    /** Uploads the file {@code source} under {@code key}, replacing any object there. */
    public void put(String key, Path source, String contentType) {
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(source.toString())
                    .contentType(contentType).build());
        } catch (Exception e) {
            throw failure("upload of " + key, e);
        }
    }

    /** Stores {@code content} (small: held in memory) under {@code key}, replacing any object there. */
    public void put(String key, byte[] content, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(content), content.length, -1).contentType(contentType).build());
        } catch (Exception e) {
            throw failure("upload of " + key, e);
        }
    }

    /**
     * Downloads {@code key} to {@code target}, replacing the file if present.
     *
     * @throws MissingObjectException when there is no such object
     */
    public void download(String key, Path target) {
        try {
            Files.deleteIfExists(target);
            client.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(key).filename(target.toString()).build());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                throw new MissingObjectException(key, bucket, e);
            }
            throw failure("download of " + key, e);
        } catch (Exception e) {
            throw failure("download of " + key, e);
        }
    }

    /** @return the object's content (the caller closes it), or empty when there is no such object */
    public Optional<InputStream> get(String key) {
        try {
            return Optional.of(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("download of " + key, e);
        } catch (Exception e) {
            throw failure("download of " + key, e);
        }
    }

    /** @return the object's size in bytes, or empty when there is no such object */
    public Optional<Long> size(String key) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("stat of " + key, e);
        } catch (Exception e) {
            throw failure("stat of " + key, e);
        }
    }

    /** Removes {@code key}; removing an absent object is not an error. */
    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw failure("removal of " + key, e);
        }
    }

    /** @return the keys of every object under {@code prefix} (e.g. a folder ending in {@code /}), at any depth */
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                    .build())) {
                keys.add(r.get().objectName());
            }
            return keys;
        } catch (Exception e) {
            throw failure("listing of " + prefix, e);
        }
    }

    /**
     * @return whether the bucket exists (false when the store answers that it does not)
     * @throws ObjectStoreException when the store does not answer or refuses the request
     */
    public boolean bucketExists() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw failure("bucket " + bucket, e);
        }
    }

    /** @return whether the bucket answers and exists: a readiness check's answer, never a failure */
    public boolean reachable() {
        try {
            return bucketExists();
        } catch (ObjectStoreException e) {
            return false;
        }
    }

    private static ObjectStoreException failure(String what, Exception e) {
        String detail = e instanceof ErrorResponseException ? e.getMessage() : e.toString();
        return new ObjectStoreException(what + " failed: " + detail, e);
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code);
    }
}
