package org.triplane.db.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatedKeysHaveAPrefixAndAreUnique() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = ApiKeys.generate();
            assertThat(key).matches("tp_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
            assertThat(ApiKeys.prefixOf(key)).contains(key.substring(3, 15));
            keys.add(key);
        }
        assertThat(keys).hasSize(100);
    }

    @Test
    void malformedKeysHaveNoPrefix() {
        assertThat(ApiKeys.prefixOf(null)).isEmpty();
        assertThat(ApiKeys.prefixOf("")).isEmpty();
        assertThat(ApiKeys.prefixOf("tp_short_abc")).isEmpty();
        assertThat(ApiKeys.prefixOf("Bearer " + ApiKeys.generate())).isEmpty();
    }

    @Test
    void hashIsSha256OfTheWholeKey() {
        // SHA-256("abc"), FIPS 180-2 test vector
        assertThat(HexFormat.of().formatHex(ApiKeys.sha256("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String key = ApiKeys.generate();
        assertThat(ApiKeys.matches(key, ApiKeys.sha256(key))).isTrue();
        assertThat(ApiKeys.matches(key + "x", ApiKeys.sha256(key))).isFalse();
    }
}
