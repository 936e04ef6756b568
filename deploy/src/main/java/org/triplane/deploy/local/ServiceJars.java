package org.triplane.deploy.local;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -cp triplane-cli.jar org.triplane.deploy.local.ServiceJars REPOSITORY}: prints the
 * packaged jar of every service the local stack runs, one path per line, relative to the
 * repository. The {@code triplane} launcher records them after a build and counts the build
 * complete only while every one exists, so the list of services stays in {@link LocalStack}.
 */
public final class ServiceJars {
    private ServiceJars() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ServiceJars REPOSITORY");
            System.exit(2);
        }
        list(Path.of(args[0])).forEach(System.out::println);
    }

    /** The services' jars under {@code repository}, relative to it, in start order. */
    static List<Path> list(Path repository) {
        Path home = repository.toAbsolutePath().normalize();
        // why: only the services home matters here; the data directory is never touched
        StackConfig config = StackConfig.builder().setDataDir(home.resolve(".triplane").resolve("stack"))
                .optServicesHome(home).build();
        return new LocalStack(config).serviceJars().stream().map(home::relativize).toList();
    }
}
