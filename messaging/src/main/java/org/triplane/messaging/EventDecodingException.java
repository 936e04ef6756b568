package org.triplane.messaging;

/**
 * A message that cannot be turned into its event: malformed JSON, a missing or invalid field, an
 * unsupported schema version. Not worth retrying; the message belongs on the dead-letter topic
 * with {@link #getMessage()} as the reason.
 */
public final class EventDecodingException extends RuntimeException {

    private final String topic;

    /**
     * @param topic   topic the message came from
     * @param problem what is wrong with it, for a person
     * @param cause   the parser's exception, may be {@code null}
     */
    public EventDecodingException(String topic, String problem, Throwable cause) {
        super(topic + ": " + problem, cause);
        this.topic = topic;
    }

    /** @return topic the message came from */
    public String topic() {
        return topic;
    }
}
