package org.triplane.messaging;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How every Kafka client of the services (producers, consumers, admin clients) authenticates and
 * encrypts: nothing by default (the local stack's broker listens on loopback only), SASL with SCRAM
 * over TLS on a cluster ({@code deploy/k8s}: Strimzi's TLS listener with SCRAM-SHA-512). One home for
 * the mapping of the services' settings ({@code triplane.kafka.security.*}) onto Kafka's client
 * properties.
 */
public final class KafkaSecurity {

    /** The settings' prefix under the services' Kafka configuration, for messages. */
    public static final String PREFIX = "triplane.kafka.security.";

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

    private KafkaSecurity() {
    }

    /**
     * The services' Kafka security settings ({@code triplane.kafka.security.*}, e.g. the environment
     * variable {@code TRIPLANE_KAFKA_SECURITY_PROTOCOL}); a configuration group of each service's
     * Kafka configuration. Every one is optional: none set is a plain connection.
     */
    public interface Settings {
        /** @return Kafka's {@code security.protocol}: PLAINTEXT (absent), SSL, SASL_PLAINTEXT or SASL_SSL */
        Optional<String> protocol();

        /** @return the SASL mechanism with a SASL protocol: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN */
        Optional<String> saslMechanism();

        /** @return the SASL user name (a Strimzi KafkaUser's name) */
        Optional<String> saslUsername();

        /** @return the SASL password */
        Optional<String> saslPassword();

        /**
         * @return a PEM file of the certificates that sign the brokers' (Strimzi: the cluster CA's
         *         {@code ca.crt}); absent: the JVM's trusted certificates
         */
        Optional<String> truststore();
    }

    /**
     * @param settings the service's settings
     * @param client   a Kafka client's properties, changed in place
     * @return {@code client}, with {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}
     *         and the PEM trust store as the settings say (nothing added when no protocol is set)
     * @throws IllegalArgumentException naming the setting that is unknown, missing or out of place; {@code client}
     *                                  is then left as it was
     */
    public static Properties apply(Settings settings, Properties client) {
        client.putAll(properties(settings));
        return client;
    }

    private static Properties properties(Settings settings) {
        Properties client = new Properties();
        Optional<String> given = settings.protocol().map(p -> p.trim().toUpperCase(Locale.ROOT)).filter(p -> !p.isEmpty());
        if (given.isEmpty()) {
            refuse(settings.saslMechanism(), "sasl-mechanism");
            refuse(settings.saslUsername(), "sasl-username");
            refuse(settings.saslPassword(), "sasl-password");
            refuse(settings.truststore(), "truststore");
            return client;
        }
        String protocol = given.get();
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException(PREFIX + "protocol: " + protocol + " is not one of " + PROTOCOLS);
        }
        client.put("security.protocol", protocol);
        if (protocol.startsWith("SASL_")) {
            String mechanism = required(settings.saslMechanism(), "sasl-mechanism").toUpperCase(Locale.ROOT);
            if (!MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException(PREFIX + "sasl-mechanism: " + mechanism + " is not one of " + MECHANISMS);
            }
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            client.put("sasl.mechanism", mechanism);
            client.put("sasl.jaas.config", module + " required username=" + quoted(required(settings.saslUsername(), "sasl-username"))
                    + " password=" + quoted(required(settings.saslPassword(), "sasl-password")) + ";");
        } else {
            refuse(settings.saslMechanism(), "sasl-mechanism");
            refuse(settings.saslUsername(), "sasl-username");
            refuse(settings.saslPassword(), "sasl-password");
        }
        if (protocol.endsWith("SSL")) {
            settings.truststore().filter(t -> !t.isBlank()).ifPresent(t -> {
                client.put("ssl.truststore.type", "PEM");
                client.put("ssl.truststore.location", t);
            });
        } else {
            refuse(settings.truststore(), "truststore");
        }
        return client;
    }

    private static String required(Optional<String> value, String name) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                PREFIX + name + " is required with a SASL " + PREFIX + "protocol"));
    }

    /** why: a setting that would be silently ignored is a misconfiguration (e.g. credentials meant for TLS) */
    private static void refuse(Optional<String> value, String name) {
        if (value.filter(v -> !v.isBlank()).isPresent()) {
            throw new IllegalArgumentException(PREFIX + name + " is set, but " + PREFIX + "protocol does not use it");
        }
    }

    /** @return the value as a JAAS string literal: in double quotes, with backslashes and quotes escaped */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
