package org.triplane.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code System.out} and {@code System.err} captured for each test and given back after it, so a
 * test reads what the command line printed. Register with
 * {@code @RegisterExtension final StandardStreams streams = new StandardStreams();}; {@link #run}
 * runs one command with its output captured afresh.
 */
final class StandardStreams implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    /**
     * Runs the command line in this JVM, as {@code triplane ARGS} would; {@link #out()} and
     * {@link #err()} then hold what this run alone printed.
     *
     * @return its exit code
     */
    int run(String... args) {
        resetOut();
        resetErr();
        return Main.run(args);
    }

    /** What was printed to standard output since the test began or the last {@link #resetOut()}. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What was printed to standard error since the test began or the last {@link #resetErr()}. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    void resetOut() {
        out.reset();
    }

    void resetErr() {
        err.reset();
    }
}
