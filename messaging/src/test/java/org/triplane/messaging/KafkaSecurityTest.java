package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services' Kafka security settings become client properties that Kafka's own client accepts: a
 * producer is built from them (which parses the JAAS line, loads the SCRAM mechanism and reads the PEM
 * trust store), without a broker. Settings that would be ignored or are missing are refused by name.
 */
class KafkaSecurityTest {

    record Given(Optional<String> protocol, Optional<String> saslMechanism, Optional<String> saslUsername,
            Optional<String> saslPassword, Optional<String> truststore) implements KafkaSecurity.Settings {
        static Given of(String protocol, String mechanism, String user, String password, String truststore) {
            return new Given(Optional.ofNullable(protocol), Optional.ofNullable(mechanism), Optional.ofNullable(user),
                    Optional.ofNullable(password), Optional.ofNullable(truststore));
        }
    }

    @TempDir
    Path dir;

    @Test
    void nothingSetIsAPlainConnection() {
        Properties p = KafkaSecurity.apply(Given.of(null, null, null, null, null), ReliableProducer.properties("127.0.0.1:1", "t"));
        assertThat(p).isEqualTo(ReliableProducer.properties("127.0.0.1:1", "t"));
    }

    @Test
    void scramOverTlsWithTheClusterCaMakesAProducerThatKafkaAccepts() throws Exception {
        Path ca = caCertificate();
        // why: quotes and backslashes must survive the JAAS line (Strimzi's passwords are alphanumeric, given ones may not be)
        String password = "pa\"ss\\word-" + "x".repeat(20);
        Properties p = KafkaSecurity.apply(Given.of("sasl_ssl", "SCRAM-SHA-512", "triplane-gpu-worker", password, ca.toString()),
                ReliableProducer.properties("127.0.0.1:1", "scram-test"));

        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", ca.toString());
        AppConfigurationEntry entry = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG,
                new Password(p.getProperty(SaslConfigs.SASL_JAAS_CONFIG)))).configurationEntries().get(0);
        assertThat(entry.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(entry.getOptions()).isEqualTo(Map.of("username", "triplane-gpu-worker", "password", password));
        try (Producer<String, String> producer = new KafkaProducer<>(p)) {
            assertThat(producer.metrics()).isNotEmpty();
        }
    }

    @Test
    void aTruststoreThatIsNotThereStopsTheClient() {
        Properties p = KafkaSecurity.apply(Given.of("SASL_SSL", "SCRAM-SHA-512", "u", "p", dir.resolve("absent.crt").toString()),
                ReliableProducer.properties("127.0.0.1:1", "t"));
        assertThatThrownBy(() -> new KafkaProducer<String, String>(p).close()).isInstanceOf(KafkaException.class);
    }

    @Test
    void missingUnknownAndIgnoredSettingsAreRefusedByName() {
        Properties p = new Properties();
        assertThatThrownBy(() -> KafkaSecurity.apply(Given.of("SASL_SSL", "SCRAM-SHA-512", null, "p", null), p))
                .hasMessage("triplane.kafka.security.sasl-username is required with a SASL triplane.kafka.security.protocol");
        assertThatThrownBy(() -> KafkaSecurity.apply(Given.of("SASL_SSL", null, "u", "p", null), p))
                .hasMessageStartingWith("triplane.kafka.security.sasl-mechanism is required");
        assertThatThrownBy(() -> KafkaSecurity.apply(Given.of("SASL_SSL", "GSSAPI", "u", "p", null), p))
                .hasMessageStartingWith("triplane.kafka.security.sasl-mechanism: GSSAPI is not one of");
        assertThatThrownBy(() -> KafkaSecurity.apply(Given.of("TLS", null, null, null, null), p))
                .hasMessageStartingWith("triplane.kafka.security.protocol: TLS is not one of");
        assertThatThrownBy(() -> KafkaSecurity.apply(Given.of(null, null, null, "secret", null), p))
                .hasMessage("triplane.kafka.security.sasl-password is set, but triplane.kafka.security.protocol does not use it");
        assertThatThrownBy(() -> KafkaSecurity.apply(Given.of("SASL_PLAINTEXT", "PLAIN", "u", "p", "/ca.crt"), p))
                .hasMessageStartingWith("triplane.kafka.security.truststore is set");
        assertThat(p).isEmpty();
    }

    /** @return a self-signed CA certificate in PEM, made with the JDK's keytool */
    private Path caCertificate() throws IOException, InterruptedException {
        Path keystore = dir.resolve("ca.p12");
        Path pem = dir.resolve("ca.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=test-ca", "-validity", "1",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-storetype", "PKCS12"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", pem.toString()));
        assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        return pem;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
