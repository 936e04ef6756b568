package org.triplane.gateway.service.parameters;

/**
 * One key a kind of job accepts.
 *
 * @param key          the key
 * @param rule         what its value must be
 * @param nullIsAbsent whether {@code null} stands for the default, as it does for every reader of this key;
 *                     otherwise {@code null} is refused like any other wrong value
 */
public record ParameterSpec(String key, ParameterRule rule, boolean nullIsAbsent) {

    /** @param key the key @param rule its value's rule @return a key whose value may not be null */
    public static ParameterSpec of(String key, ParameterRule rule) {
        return new ParameterSpec(key, rule, false);
    }

    /** @param key the key @param rule its value's rule @return a key whose null value means its default */
    public static ParameterSpec orNull(String key, ParameterRule rule) {
        return new ParameterSpec(key, rule, true);
    }
}
