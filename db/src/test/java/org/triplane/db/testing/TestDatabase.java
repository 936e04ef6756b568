package org.triplane.db.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.triplane.db.Database;
import org.triplane.db.Roles;
import org.triplane.db.Tx;

/**
 * A freshly migrated database for one test class, reachable as the schema owner, as
 * {@code triplane_app} and as {@code triplane_worker}. Register it with
 * {@code @RegisterExtension static final TestDatabase db = new TestDatabase();}.
 */
public final class TestDatabase implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestDatabase.class);

    private EmbeddedPostgresServer server;
    private String name;

    @Override
    public void beforeAll(ExtensionContext context) {
        // why the root store: one server for every test class, closed (stopped) when the run ends
        server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedPostgresServer.class, k -> EmbeddedPostgresServer.start(),
                        EmbeddedPostgresServer.class);
        name = server.createMigratedDatabase();
    }

    /** @return the server, for tests that need databases of their own */
    public EmbeddedPostgresServer server() {
        return server;
    }

    /** @return this class's database as the schema owner (RLS not applied) */
    public Database owner() {
        return server.database(name, EmbeddedPostgresServer.OWNER);
    }

    /** @return transactions as {@code triplane_app} (RLS enforced) */
    public Tx app() {
        return server.database(name, Roles.APP).tx();
    }

    /** @return transactions as {@code triplane_worker} (BYPASSRLS) */
    public Tx worker() {
        return server.database(name, Roles.WORKER).tx();
    }

    /** @return transactions as the schema owner */
    public Tx ownerTx() {
        return owner().tx();
    }
}
