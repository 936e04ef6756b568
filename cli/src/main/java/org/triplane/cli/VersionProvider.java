package org.triplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code triplane --version}: the version the build wrote into {@code triplane-version.properties}
 * (Maven's {@code ${project.version}}, filtered into the resource when the command line is built).
 */
public final class VersionProvider implements IVersionProvider {

    /** The resource the build writes. */
    static final String RESOURCE = "/org/triplane/cli/triplane-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"triplane " + version()};
    }

    /** @return this build's version, e.g. {@code 0.1.0-SNAPSHOT} */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the command line's jar: rebuild it with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }
}
