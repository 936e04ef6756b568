package org.triplane.gateway.testing;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.triplane.deploy.local.StackConfig;

/** What a tenant has in the bucket and the scans table, looked at directly (not through the gateway). */
public final class Residue {

    private final StackAndGateway env;

    /** @param env the running environment */
    public Residue(StackAndGateway env) {
        this.env = env;
    }

    /** @param tenant tenant @return objects under {@code tenants/<tenant>/} */
    public int objects(UUID tenant) {
        return keys("tenants/" + tenant + "/").size();
    }

    /** @param prefix a key prefix @return the keys of the objects under it, at any depth */
    public java.util.List<String> keys(String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (Result<Item> r : minio().listObjects(ListObjectsArgs.builder().bucket(StackConfig.BUCKET)
                .prefix(prefix).recursive(true).build())) {
            try {
                keys.add(r.get().objectName());
            } catch (Exception e) {
                throw new IllegalStateException("listing the bucket", e);
            }
        }
        return keys;
    }

    /** @param key an object's key @return its bytes, read from the store directly */
    public byte[] bytes(String key) {
        try (java.io.InputStream in = minio().getObject(io.minio.GetObjectArgs.builder().bucket(StackConfig.BUCKET)
                .object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("reading " + key, e);
        }
    }

    /** Writes an object as a worker would. @param key its key @param content its bytes */
    public void put(String key, byte[] content) {
        try {
            minio().putObject(io.minio.PutObjectArgs.builder().bucket(StackConfig.BUCKET).object(key)
                    .stream(new java.io.ByteArrayInputStream(content), content.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("writing " + key, e);
        }
    }

    private MinioClient minio() {
        StackConfig c = env.stack();
        return MinioClient.builder().endpoint(c.s3Endpoint()).credentials(c.s3AccessKey(), c.s3SecretKey())
                .region(StackConfig.S3_REGION).build();
    }

    /**
     * @param sql    a count query with one parameter, run as the schema owner (no row-level security)
     * @param scanId its parameter
     * @return the count
     */
    public int count(String sql, UUID scanId) {
        return countRows(sql, scanId);
    }

    /** @param tenant tenant @return rows of {@code scans} it owns */
    public int scanRows(UUID tenant) {
        return countRows("SELECT count(*) FROM scans WHERE tenant_id = ?", tenant);
    }

    /** @param tenant tenant @return rows of {@code jobs} it owns */
    public int jobRows(UUID tenant) {
        return countRows("SELECT count(*) FROM jobs WHERE tenant_id = ?", tenant);
    }

    /** @param tenant tenant @return outbox rows whose payload names it */
    public int outboxRows(UUID tenant) {
        return countRows("SELECT count(*) FROM outbox WHERE payload->>'tenantId' = ?::text", tenant);
    }

    /** @param tenant tenant @return outbox rows whose payload names it that the relay has not marked published */
    public int unpublishedOutboxRows(UUID tenant) {
        return countRows("SELECT count(*) FROM outbox WHERE payload->>'tenantId' = ?::text AND published_at IS NULL", tenant);
    }

    private int countRows(String sql, UUID id) {
        try (Connection conn = env.owner().dataSource().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
