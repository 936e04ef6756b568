package org.triplane.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a page of a newest-first list ended: the last row's creation time and id. Lists are
 * ordered by {@code created_at DESC, id DESC}, a total order, so the next page starts strictly
 * after this position and no row is shown twice or skipped when rows are inserted meanwhile (a new
 * row is newer than every page already read and never lands behind the position).
 *
 * @param createdAt the last row's creation time (microseconds, as the database keeps it)
 * @param id        the last row's id
 */
public record ListPosition(Instant createdAt, UUID id) {

    public ListPosition {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /** The SQL condition for rows after this position, binding creation time then id. */
    public static final String AFTER = "(?::timestamptz IS NULL OR (created_at, id) < (?::timestamptz, ?::uuid))";

    /** Binds {@link #AFTER} from {@code first} on (three parameters); a {@code null} position matches every row. */
    public static int bind(PreparedStatement ps, int first, ListPosition after) throws SQLException {
        OffsetDateTime at = after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC);
        ps.setObject(first, at);
        ps.setObject(first + 1, at);
        Rows.setUuid(ps, first + 2, after == null ? null : after.id());
        return first + 3;
    }
}
