package org.triplane.gateway.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The scripts and styles of a report page, and the content security policy that allows exactly
 * them. Linked: the served page loads this gateway's files ({@code /vendor/}, {@code /report/},
 * {@code /reports/labels.css}). Embedded: the page that is downloaded holds them itself, so that
 * it opens from disk without the gateway; its policy allows those inline scripts and styles by
 * their SHA-256, images only as {@code data:} URIs, and nothing from anywhere else.
 *
 * @param embedded              whether the scripts and styles are inside the page
 * @param styles                the style sheet's text when embedded, else empty
 * @param scripts               the scripts' texts in the order they run when embedded, else empty
 * @param contentSecurityPolicy the policy the page is served with (and, embedded, declares itself)
 */
public record PageAssets(boolean embedded, String styles, List<String> scripts, String contentSecurityPolicy) {

    /** The served page: nothing but this gateway's own files; no inline script or style. */
    static final String LINKED_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The chart library, its heat-map chart type and the page's own script, in the order they must run. */
    private static final List<String> SCRIPTS = List.of("vendor/chartjs/chart.umd.min.js",
            "vendor/chartjs-chart-matrix/chartjs-chart-matrix.min.js", "report/report.js");
    private static final String STYLE_SHEET = "report/report.css";
    /** Where Quarkus serves static files from, on the class path. */
    private static final String STATIC = "META-INF/resources/";

    private static final PageAssets LINKED = new PageAssets(false, "", List.of(), LINKED_POLICY);

    /** @return the policy for the response's header: the page's own, and no page may frame it */
    public String headerPolicy() {
        // why: frame-ancestors is ignored in a <meta> policy, so the embedded page's own leaves it out
        return embedded ? contentSecurityPolicy + "; frame-ancestors 'none'" : contentSecurityPolicy;
    }

    /** @return the served page's assets: links to this gateway */
    static PageAssets linkedFromGateway() {
        return LINKED;
    }

    /** @return the downloaded page's assets: inside it (read once from the class path) */
    static PageAssets insidePage() {
        return Embedded.ASSETS;
    }

    /** The class path is read on first use only. */
    private static final class Embedded {
        static final PageAssets ASSETS = load();
    }

    private static PageAssets load() {
        List<String> scripts = new ArrayList<>();
        for (String path : SCRIPTS) {
            scripts.add(inlineSafe(path, withoutSourceMap(read(path))));
        }
        String styles = inlineSafe(STYLE_SHEET, read(STYLE_SHEET) + ReportPage.labelsCss());
        String policy = "default-src 'none'; script-src " + scripts.stream().map(PageAssets::hash)
                .collect(Collectors.joining(" ")) + "; style-src " + hash(styles) + "; img-src data:; "
                + "base-uri 'none'; form-action 'none'";
        return new PageAssets(true, styles, List.copyOf(scripts), policy);
    }

    private static String read(String path) {
        try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(STATIC + path)) {
            if (in == null) {
                throw new IllegalStateException("report asset " + STATIC + path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading report asset " + STATIC + path, e);
        }
    }

    /** why: a map file the page does not hold would be looked for beside it */
    private static String withoutSourceMap(String script) {
        return script.lines().filter(l -> !l.startsWith("//# sourceMappingURL=")).collect(Collectors.joining("\n"));
    }

    /**
     * @throws IllegalStateException when the text would end its {@code <script>} or {@code <style>}
     *         element early (an end tag or a comment opener inside it)
     */
    private static String inlineSafe(String path, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("</script") || lower.contains("</style") || lower.contains("<!--")) {
            throw new IllegalStateException("report asset " + path + " cannot be placed inside the page: it holds an "
                    + "HTML end tag or comment opener");
        }
        return text;
    }

    /** @return the policy's source for an inline element with exactly this text */
    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
