package org.triplane.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium (package {@code chromium}, binary {@code /usr/bin/chromium}) run headless as a
 * plain process: no DevTools protocol, the page reports its own state in its DOM. Each run gets a
 * fresh profile directory.
 */
public final class HeadlessChromium {

    /** Virtual time the page gets to load and draw, milliseconds. */
    private static final int VIRTUAL_TIME_BUDGET_MS = 15_000;
    private static final long RUN_TIMEOUT_S = 120;

    private final Path binary;
    private final Path workDir;

    private HeadlessChromium(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /**
     * @param workDir where profiles and output go
     * @return the browser, or empty when none is installed ({@code chromium}, {@code chromium-browser}
     *         or {@code google-chrome} on the PATH, or {@code /usr/bin/chromium})
     */
    public static Optional<HeadlessChromium> find(Path workDir) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                candidates.add(Path.of(d, name));
            }
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(b -> new HeadlessChromium(b, workDir));
    }

    /** @return the binary used */
    public Path binary() {
        return binary;
    }

    /** @param url page @return the DOM after the page's scripts ran (its serialised HTML) */
    public String dumpDom(String url) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "dom-", ".html");
        run(List.of("--dump-dom", url), out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /**
     * Opens a page from disk with the network cut off: no host name resolves, and every request
     * that is not to a file, loopback included, goes to a proxy at a port where nothing listens.
     *
     * @param page an HTML file
     * @return the DOM after the page's scripts ran (its serialised HTML)
     */
    public String dumpDomOffline(Path page) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "dom-", ".html");
        run(List.of("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>", "--dump-dom", page.toAbsolutePath().toUri().toString()), out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** @param url page @param png where the screenshot goes */
    public void screenshot(String url, Path png) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280,3000", url), null);
    }

    private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile, "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS));
        cmd.addAll(args);
        Path log = Files.createTempFile(workDir, "chromium-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process p = pb.start();
        if (!p.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("chromium did not finish within " + RUN_TIMEOUT_S + " s; log " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + Files.readString(log));
        }
    }
}
