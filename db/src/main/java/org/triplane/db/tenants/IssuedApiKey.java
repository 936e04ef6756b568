package org.triplane.db.tenants;

/**
 * A newly created API key together with the full key string, which exists only here: show it to
 * the client once; the database keeps just its SHA-256.
 *
 * @param key    the stored row
 * @param secret the complete key the client presents ({@code tp_<prefix>_<random>})
 */
public record IssuedApiKey(ApiKey key, String secret) {

    /** Omits the secret, so that logging this object cannot leak it. */
    @Override
    public String toString() {
        return "IssuedApiKey[key=" + key + ", secret=<redacted>]";
    }
}
