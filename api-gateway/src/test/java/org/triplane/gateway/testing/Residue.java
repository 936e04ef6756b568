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
        StackConfig c = env.stack();
        MinioClient minio = MinioClient.builder().endpoint(c.s3Endpoint()).credentials(c.s3AccessKey(), c.s3SecretKey())
                .region(StackConfig.S3_REGION).build();
        int n = 0;
        for (Result<Item> r : minio.listObjects(ListObjectsArgs.builder().bucket(StackConfig.BUCKET)
                .prefix("tenants/" + tenant + "/").recursive(true).build())) {
            try {
                r.get();
            } catch (Exception e) {
                throw new IllegalStateException("listing the bucket", e);
            }
            n++;
        }
        return n;
    }

    /** @param tenant tenant @return rows of {@code scans} it owns */
    public int scanRows(UUID tenant) {
        return count("SELECT count(*) FROM scans WHERE tenant_id = ?", tenant);
    }

    /** @param tenant tenant @return rows of {@code jobs} it owns */
    public int jobRows(UUID tenant) {
        return count("SELECT count(*) FROM jobs WHERE tenant_id = ?", tenant);
    }

    /** @param tenant tenant @return outbox rows whose payload names it */
    public int outboxRows(UUID tenant) {
        return count("SELECT count(*) FROM outbox WHERE payload->>'tenantId' = ?::text", tenant);
    }

    /** @param tenant tenant @return outbox rows whose payload names it that the relay has not marked published */
    public int unpublishedOutboxRows(UUID tenant) {
        return count("SELECT count(*) FROM outbox WHERE payload->>'tenantId' = ?::text AND published_at IS NULL", tenant);
    }

    private int count(String sql, UUID tenant) {
        try (Connection conn = env.owner().dataSource().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
