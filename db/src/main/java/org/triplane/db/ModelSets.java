package org.triplane.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Creating model sets (role {@code triplane_worker}: training output, not client data). */
final class ModelSets {

    private ModelSets() {
    }

    static ModelSet create(Connection c, String name, String fusionRule, String codeVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO model_sets (name, fusion_rule, code_version) VALUES (?, ?, ?) RETURNING *""")) {
            ps.setString(1, name);
            ps.setString(2, fusionRule);
            ps.setString(3, codeVersion);
            return Rows.single(ps, rs -> new ModelSet(Rows.uuid(rs, "id"), rs.getString("name"),
                    rs.getString("fusion_rule"), rs.getString("code_version"), Rows.instant(rs, "created_at")));
        }
    }
}
