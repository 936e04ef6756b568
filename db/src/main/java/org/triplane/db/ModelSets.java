package org.triplane.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** Creating model sets (role {@code triplane_worker}: training output, not client data) and reading them. */
final class ModelSets {

    private ModelSets() {
    }

    static ModelSet create(Connection c, String name, String fusionRule, String codeVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO model_sets (name, fusion_rule, code_version) VALUES (?, ?, ?) RETURNING *""")) {
            ps.setString(1, name);
            ps.setString(2, fusionRule);
            ps.setString(3, codeVersion);
            return Rows.single(ps, ModelSets::map);
        }
    }

    static Optional<ModelSet> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM model_sets WHERE id = ?")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, ModelSets::map));
        }
    }

    static Optional<ModelSet> findByName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM model_sets WHERE name = ?")) {
            ps.setString(1, name);
            return Optional.ofNullable(Rows.single(ps, ModelSets::map));
        }
    }

    private static ModelSet map(ResultSet rs) throws SQLException {
        return new ModelSet(Rows.uuid(rs, "id"), rs.getString("name"), rs.getString("fusion_rule"),
                rs.getString("code_version"), Rows.instant(rs, "created_at"));
    }
}
