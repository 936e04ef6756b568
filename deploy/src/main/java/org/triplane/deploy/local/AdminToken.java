package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The gateway's admin token for the local stack: the one {@code stack.properties} already holds,
 * else a new random one (written there by {@code up}), so a data directory keeps its token across
 * restarts and the command line and tests can read it.
 */
final class AdminToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {
    }

    static String ofOrNew(StackConfig config) {
        if (Files.isRegularFile(config.propertiesFile())) {
            try {
                Properties p = StackProperties.read(config.dataDir());
                String token = p.getProperty(StackProperties.GATEWAY_ADMIN_TOKEN, "").strip();
                if (!token.isEmpty()) {
                    return token;
                }
            } catch (IOException e) {
                throw new StackException("gateway", "cannot read the admin token from " + config.propertiesFile() + ": "
                        + e.getMessage(), null, e);
            }
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "local-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The token of a data directory whose stack has been up, or {@code null}. */
    static String read(StackConfig config) {
        try {
            return StackProperties.read(config.dataDir()).getProperty(StackProperties.GATEWAY_ADMIN_TOKEN);
        } catch (IOException e) {
            return null;
        }
    }
}
