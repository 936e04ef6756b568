package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.triplane.events.Topics;

class BucketNotificationTest {

    /** As MinIO sends it for {@code mc cp "scan 1+2.nii.gz" local/triplane/drop/}. */
    private static final String MINIO = """
            {"EventName":"s3:ObjectCreated:Put","Key":"triplane/drop/scan+1%2B2.nii.gz",
             "Records":[{"eventVersion":"2.0","eventSource":"minio:s3","awsRegion":"",
               "eventTime":"2026-01-31T12:00:00.000Z","eventName":"s3:ObjectCreated:Put",
               "userIdentity":{"principalId":"minioadmin"},
               "s3":{"s3SchemaVersion":"1.0","configurationId":"Config",
                 "bucket":{"name":"triplane","ownerIdentity":{"principalId":"minioadmin"},"arn":"arn:aws:s3:::triplane"},
                 "object":{"key":"drop%2Fscan+1%2B2.nii.gz","size":123456,"eTag":"\\"d41d8cd98f00b204e9800998ecf8427e\\"",
                   "contentType":"application/gzip","sequencer":"17A0B3C2D1E0F"}}}]}""";

    @Test
    void parsesBucketDecodedKeySizeAndETag() {
        BucketNotification n = BucketNotification.parse(MINIO);

        assertThat(n.records()).hasSize(1);
        BucketNotification.ObjectEvent o = n.records().get(0);
        assertThat(o.bucket()).isEqualTo("triplane");
        assertThat(o.key()).isEqualTo("drop/scan 1+2.nii.gz");
        assertThat(o.sizeBytes()).isEqualTo(123456);
        assertThat(o.eTag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(o.isObjectCreated()).isTrue();
    }

    @Test
    void removalsAreParsedButNotCreations() {
        String removed = MINIO.replace("\"eventName\":\"s3:ObjectCreated:Put\"", "\"eventName\":\"s3:ObjectRemoved:Delete\"");

        BucketNotification n = BucketNotification.parse(removed);

        assertThat(n.records()).hasSize(1);
        assertThat(n.objectsCreated()).isEmpty();
    }

    @Test
    void severalRecordsAndUnknownFields() {
        String json = """
                {"Records":[
                  {"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a%20b","size":1},"x":1}},
                  {"eventName":"s3:ObjectCreated:CompleteMultipartUpload","s3":{"bucket":{"name":"b"},"object":{"key":"c"}}}]}""";

        BucketNotification n = BucketNotification.parse(json);

        assertThat(n.objectsCreated()).extracting(BucketNotification.ObjectEvent::key).containsExactly("a b", "c");
        assertThat(n.records().get(1).sizeBytes()).isZero();
        assertThat(n.records().get(1).eTag()).isNull();
    }

    @Test
    void problemsNameTheTopicAndTheField() {
        assertThatThrownBy(() -> BucketNotification.parse("{\"Records\": [")).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith(Topics.BUCKET_NOTIFICATIONS + ": bucket notification: bad JSON");
        assertThatThrownBy(() -> BucketNotification.parse("{}")).hasMessageContaining("no Records array");
        assertThatThrownBy(() -> BucketNotification.parse(""))
                .hasMessageContaining("empty message");
        assertThatThrownBy(() -> BucketNotification.parse(
                "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{}}}]}"))
                .hasMessageContaining("Records[0].s3.object.key: missing");
        assertThatThrownBy(() -> BucketNotification.parse(
                "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"%zz\"}}}]}"))
                .hasMessageContaining("not URL-encoded");
    }
}
