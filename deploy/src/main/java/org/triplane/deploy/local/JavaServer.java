package org.triplane.deploy.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JVM server of the stack (Kafka, s3proxy) on a class path of its own, resolved at build time:
 * deploy/pom.xml resolves {@code deploy/runtime/<name>/pom.xml} and packs the result as the
 * resource {@code runtime/<name>.classpath} beside this class (absolute paths into the local
 * Maven repository, separated by the path separator).
 */
final class JavaServer {
    /**
     * C1 only. why: on a 2-core machine shared with the workers, C2's compiling doubles the
     * servers' start-up CPU (Kafka: ~8 s to ~4 s) and local traffic never repays it.
     */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    private final String component;
    private final String runtime;

    /**
     * @param component the stack component it serves, for error messages
     * @param runtime   {@code kafka} or {@code s3proxy}: the class path resource's name
     */
    JavaServer(String component, String runtime) {
        this.component = component;
        this.runtime = runtime;
    }

    /** The class path; every jar on it checked to exist. */
    List<Path> classPath() {
        String text;
        try (InputStream in = JavaServer.class.getResourceAsStream("runtime/" + runtime + ".classpath")) {
            if (in == null) {
                throw new StackException(component, "the " + runtime + " class path was not built into this jar; "
                        + "build the deploy module again (mvn -pl deploy -am install)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new StackException(component, "cannot read the " + runtime + " class path: " + e.getMessage());
        }
        List<Path> jars = Arrays.stream(text.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new StackException(component, jar + " is missing (it was in the local Maven repository when this "
                        + "was built); build the deploy module again to fetch it (mvn -pl deploy -am install)");
            }
        }
        return jars;
    }

    /**
     * The command line {@code java <jvmOptions> @<argFile> <mainClass> <args>}, after writing the
     * class path to {@code argFile}.
     */
    List<String> command(Path argFile, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> cp = classPath().stream().map(Path::toString).toList();
        // why: an argument file keeps the ~130-jar class path off the command line that ps shows
        Files.writeString(argFile, "-cp\n\"" + String.join(File.pathSeparator, cp).replace("\\", "\\\\") + "\"\n");
        List<String> cmd = new ArrayList<>();
        cmd.add(Os.javaExecutable().toString());
        cmd.addAll(jvmOptions);
        cmd.add("@" + argFile);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
