package org.triplane.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.deploy.local.StackProperties;
import org.triplane.testing.TestStack;

/** The bucket client against the local stack's real S3-API store. */
class ObjectStoreIT {
    @TempDir
    static Path dir;
    static TestStack stack;
    static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(dir);
        store = new ObjectStore(address(stack.properties().getProperty(StackProperties.S3_BUCKET)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static ObjectStoreAddress address(String bucket) {
        var p = stack.properties();
        return new ObjectStoreAddress(p.getProperty(StackProperties.S3_ENDPOINT), p.getProperty(StackProperties.S3_ACCESS_KEY),
                p.getProperty(StackProperties.S3_SECRET_KEY), p.getProperty(StackProperties.S3_REGION), bucket,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void aFileGoesUpAndComesBackWithItsSize() throws Exception {
        Path source = Files.write(dir.resolve("up.bin"), new byte[]{1, 2, 3, 4, 5});
        store.put("it/file.bin", source, "application/octet-stream");

        Path target = Files.writeString(dir.resolve("down.bin"), "an older file in the way");
        store.download("it/file.bin", target);

        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3, 4, 5);
        assertThat(store.size("it/file.bin")).contains(5L);
    }

    @Test
    void bytesAreReadBackAsAStream() throws Exception {
        store.put("it/text.txt", "hello".getBytes(StandardCharsets.UTF_8), "text/plain");

        Optional<InputStream> in = store.get("it/text.txt");

        assertThat(in).isPresent();
        try (InputStream s = in.get()) {
            assertThat(new String(s.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void aMissingObjectIsItsOwnFailureForADownloadAndAbsenceElsewhere() {
        Path target = dir.resolve("never.bin");

        assertThatThrownBy(() -> store.download("it/never-stored", target))
                .isInstanceOf(MissingObjectException.class)
                .hasMessageContaining("it/never-stored").hasMessageContaining("upload it again");
        assertThat(store.get("it/never-stored")).isEmpty();
        assertThat(store.size("it/never-stored")).isEmpty();
    }

    @Test
    void listingFindsEveryDepthUnderThePrefixAndRemovalEmptiesIt() {
        store.put("it/list/a", new byte[]{1}, "application/octet-stream");
        store.put("it/list/deeper/b", new byte[]{2}, "application/octet-stream");
        store.put("it/other/c", new byte[]{3}, "application/octet-stream");

        assertThat(store.list("it/list/")).containsExactlyInAnyOrder("it/list/a", "it/list/deeper/b");

        store.list("it/list/").forEach(store::delete);
        store.delete("it/list/a");   // already gone: not an error

        assertThat(store.list("it/list/")).isEmpty();
        assertThat(store.list("it/other/")).containsExactly("it/other/c");
    }

    @Test
    void theBucketIsReportedAsItIs() {
        assertThat(store.bucketExists()).isTrue();
        assertThat(new ObjectStore(address("no-such-bucket")).bucketExists()).isFalse();
    }

    @Test
    void aPooledConnectionTheStoreHasClosedIsReplacedNotReportedAsAFailure() throws Exception {
        store.put("it/pooled.txt", "kept".getBytes(StandardCharsets.UTF_8), "text/plain");
        try (InputStream first = store.get("it/pooled.txt").orElseThrow()) {
            first.readAllBytes();   // the connection goes back to the client's pool
        }

        stack.restartObjectStore();

        try (InputStream again = store.get("it/pooled.txt").orElseThrow()) {
            assertThat(new String(again.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("kept");
        }
        Path target = dir.resolve("pooled.txt");
        store.download("it/pooled.txt", target);
        assertThat(Files.readString(target)).isEqualTo("kept");
    }

    @Test
    void aStoreThatDoesNotAnswerFailsNamingTheKeyAndNeverAsMissing() throws Exception {
        var p = stack.properties();
        ObjectStore nowhere = new ObjectStore(new ObjectStoreAddress("http://127.0.0.1:9", p.getProperty(StackProperties.S3_ACCESS_KEY),
                p.getProperty(StackProperties.S3_SECRET_KEY), "us-east-1", "triplane", Duration.ofSeconds(2), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> nowhere.download("it/file.bin", dir.resolve("x.bin")))
                .isInstanceOf(ObjectStoreException.class).isNotInstanceOf(MissingObjectException.class)
                .hasMessageContaining("it/file.bin");
        assertThatThrownBy(nowhere::bucketExists).isInstanceOf(ObjectStoreException.class);
    }
}
