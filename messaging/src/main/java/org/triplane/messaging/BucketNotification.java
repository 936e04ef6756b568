package org.triplane.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.triplane.events.ObjectKeys;
import org.triplane.events.Topics;

/**
 * One MinIO (S3-compatible) bucket-notification message as MinIO publishes it to Kafka
 * ({@link Topics#BUCKET_NOTIFICATIONS}): {@code {"EventName": …, "Key": "bucket/key",
 * "Records": [{"eventName": "s3:ObjectCreated:Put", "s3": {"bucket": {"name": …},
 * "object": {"key": <URL-encoded>, "size": …, "eTag": …}}}]}}.
 * Delivery is at least once: the same object may be announced more than once.
 *
 * @param records the announced objects, keys already URL-decoded
 */
public record BucketNotification(List<ObjectEvent> records) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Copies the list. */
    public BucketNotification {
        records = List.copyOf(records);
    }

    /**
     * One object of a notification.
     *
     * @param eventName e.g. {@code s3:ObjectCreated:Put}
     * @param bucket    bucket name
     * @param key       object key, URL-decoded
     * @param sizeBytes object size in bytes (0 when the event does not say)
     * @param eTag      the object's ETag without quotes, or {@code null}
     */
    public record ObjectEvent(String eventName, String bucket, String key, long sizeBytes, String eTag) {
        /** @return whether this announces a new or overwritten object */
        public boolean isObjectCreated() {
            return eventName.startsWith("s3:ObjectCreated:");
        }
    }

    /** @return the records announcing created objects only */
    public List<ObjectEvent> objectsCreated() {
        return records.stream().filter(ObjectEvent::isObjectCreated).toList();
    }

    /**
     * @param json the Kafka message value
     * @return the notification
     * @throws EventDecodingException naming the topic and the problem (bad JSON, no Records,
     *                                a record without bucket or key)
     */
    public static BucketNotification parse(String json) {
        if (json == null || json.isBlank()) {
            throw fail("empty message", null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw fail("bad JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode records = root == null ? null : root.get("Records");
        if (records == null || !records.isArray()) {
            throw fail("no Records array", null);
        }
        List<ObjectEvent> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            out.add(record(records.get(i), i));
        }
        return new BucketNotification(out);
    }

    private static ObjectEvent record(JsonNode r, int index) {
        String where = "Records[" + index + "]";
        String eventName = text(r.path("eventName"));
        JsonNode s3 = r.path("s3");
        String bucket = text(s3.path("bucket").path("name"));
        JsonNode object = s3.path("object");
        String encodedKey = text(object.path("key"));
        if (eventName == null) {
            throw fail(where + ".eventName: missing", null);
        }
        if (bucket == null || bucket.isEmpty()) {
            throw fail(where + ".s3.bucket.name: missing", null);
        }
        if (encodedKey == null || encodedKey.isEmpty()) {
            throw fail(where + ".s3.object.key: missing", null);
        }
        String key;
        try {
            key = ObjectKeys.decodeNotificationKey(encodedKey);
        } catch (IllegalArgumentException e) {
            throw fail(where + ".s3.object.key: not URL-encoded text: " + encodedKey, e);
        }
        JsonNode size = object.path("size");
        if (!size.isMissingNode() && !size.isNull() && !size.canConvertToLong()) {
            throw fail(where + ".s3.object.size: not a number: " + size, null);
        }
        String eTag = text(object.path("eTag"));
        return new ObjectEvent(eventName, bucket, key, size.asLong(0), eTag == null ? null : unquote(eTag));
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static String unquote(String eTag) {
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"") ? eTag.substring(1, eTag.length() - 1) : eTag;
    }

    private static EventDecodingException fail(String problem, Throwable cause) {
        return new EventDecodingException(Topics.BUCKET_NOTIFICATIONS, "bucket notification: " + problem, cause);
    }
}
