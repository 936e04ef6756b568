package org.triplane.deploy.local;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which service settings are secrets (passwords, secret keys, tokens), and how they reach the
 * service instead of its command line: as environment variables under the name Quarkus reads a
 * property from ({@code triplane.admin.token} → {@code TRIPLANE_ADMIN_TOKEN}).
 *
 * <p>// why: a command line is visible to every user in {@code ps} and was copied into the
 * service's log at each start; a process's environment is readable by its owner only.
 */
final class SecretSettings {
    private static final String[] SECRET_ENDINGS = {"password", "secret-key", "token"};

    private SecretSettings() {
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String ending : SECRET_ENDINGS) {
            if (k.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    /** Quarkus's environment name of a property: upper case, every character but a letter or digit an underscore. */
    static String environmentName(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (char ch : key.toCharArray()) {
            b.append(Character.isLetterOrDigit(ch) ? Character.toUpperCase(ch) : '_');
        }
        return b.toString();
    }

    /** The secrets among {@code settings}, keyed by their environment names. */
    static Map<String, String> asEnvironment(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (isSecret(k)) {
                env.put(environmentName(k), v);
            }
        });
        return env;
    }
}
