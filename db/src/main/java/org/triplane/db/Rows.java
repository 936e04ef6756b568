package org.triplane.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Reading and binding column values that JDBC leaves awkward: nulls, instants, arrays, enums.
 *
 * <p>Plumbing of the concept stores in the packages below {@code org.triplane.db}; public only because
 * Java has no visibility for a package and its sub-packages.
 */
public final class Rows {

    private Rows() {
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    public static <E extends Enum<E>> E enumValue(ResultSet rs, String column, Class<E> type) throws SQLException {
        String v = rs.getString(column);
        return v == null ? null : Enum.valueOf(type, v);
    }

    public static List<Double> doubles(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        return a == null ? null : List.of((Double[]) a.getArray());
    }

    public static List<UUID> uuids(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        return a == null ? null : List.of((UUID[]) a.getArray());
    }

    public static List<Integer> ints(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        return a == null ? null : List.of((Integer[]) a.getArray());
    }

    public static void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setObject(index, value);
        }
    }

    public static void setNullableDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    public static void setEnum(PreparedStatement ps, int index, Enum<?> value) throws SQLException {
        ps.setString(index, value == null ? null : value.name());
    }

    public static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    public static void setDoubles(Connection c, PreparedStatement ps, int index, List<Double> values) throws SQLException {
        if (values == null) {
            ps.setNull(index, Types.ARRAY);
        } else {
            ps.setArray(index, c.createArrayOf("float8", values.toArray()));
        }
    }

    public static void setInts(Connection c, PreparedStatement ps, int index, List<Integer> values) throws SQLException {
        ps.setArray(index, c.createArrayOf("int4", values.toArray()));
    }

    public static void setUuids(Connection c, PreparedStatement ps, int index, Collection<UUID> values) throws SQLException {
        ps.setArray(index, c.createArrayOf("uuid", values.toArray()));
    }

    public static void setTexts(Connection c, PreparedStatement ps, int index, Collection<String> values) throws SQLException {
        ps.setArray(index, c.createArrayOf("text", values.toArray()));
    }

    /** Reads every row with {@code mapper}. */
    public static <T> List<T> list(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    /** Reads at most one row with {@code mapper}; {@code null} when there is none. */
    public static <T> T single(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? mapper.map(rs) : null;
        }
    }

    /** Validates a list-valued field's size, naming the field. */
    public static <T> List<T> fixedSize(String field, List<T> values, int size) {
        if (values == null || values.size() != size || values.stream().anyMatch(v -> v == null)) {
            throw new IllegalArgumentException(field + ": expected " + size + " non-null values, got "
                    + (values == null ? "null" : Arrays.toString(values.toArray())));
        }
        return List.copyOf(values);
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
