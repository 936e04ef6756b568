package org.triplane.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A check of a self-contained page that does not trust the page's own script: a copy of the page
 * gets one more script (allowed by its hash in the page's own content security policy, nothing else
 * changed) that, after the page has loaded, counts the images that did not decode, the canvases
 * without a single painted pixel, the label swatches the page's style left without colour and
 * every resource the browser fetched that is not a {@code data:} URI, and writes that into the DOM,
 * which headless Chromium then dumps.
 */
public final class OfflinePageCheck {

    private static final String SCRIPT = """
            window.addEventListener('load', function () {
              setTimeout(function () {
                var images = Array.prototype.slice.call(document.images);
                var undecoded = images.filter(function (i) { return !i.complete || i.naturalWidth === 0; }).length;
                var canvases = Array.prototype.slice.call(document.querySelectorAll('canvas'));
                var blank = canvases.filter(function (c) {
                  if (c.width === 0 || c.height === 0) { return true; }
                  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (var k = 3; k < d.length; k += 4) { if (d[k] !== 0) { return false; } }
                  return true;
                }).length;
                var swatches = Array.prototype.slice.call(document.querySelectorAll('.swatch'));
                var uncoloured = swatches.filter(function (e) {
                  return getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)';
                }).length;
                var requests = performance.getEntriesByType('resource').map(function (e) { return e.name; })
                    .filter(function (n) { return n.indexOf('data:') !== 0; });
                document.body.setAttribute('data-offline-check', 'images=' + images.length + ' undecoded=' + undecoded
                    + ' charts=' + canvases.length + ' blank=' + blank + ' swatches=' + swatches.length
                    + ' uncoloured=' + uncoloured + ' requests=' + requests.join(','));
              }, 0);
            });
            """;
    private static final Pattern VERDICT = Pattern.compile("data-offline-check=\"([^\"]*)\"");
    /** How the page's policy lists its scripts, as the page writes it (quotes HTML-escaped). */
    private static final String SCRIPT_SOURCES = "script-src ";

    private OfflinePageCheck() {
    }

    /**
     * @param browser the browser, run offline ({@link HeadlessChromium#dumpDomOffline})
     * @param page    the page as downloaded
     * @param copy    where the checked copy is written
     * @return e.g. {@code images=9 undecoded=0 charts=4 blank=0 swatches=60 uncoloured=0 requests=}, or {@code absent} when the
     *         check did not run (blocked, or the page never finished loading)
     */
    public static String run(HeadlessChromium browser, Path page, Path copy) throws IOException, InterruptedException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int sources = html.indexOf(SCRIPT_SOURCES);
        if (sources < 0 || sources > html.indexOf("</head>") || !html.contains("</body>")) {
            throw new IllegalArgumentException(page + ": no content security policy naming its scripts in its head");
        }
        int at = sources + SCRIPT_SOURCES.length();
        String checked = html.substring(0, at) + "&#39;sha256-" + sha256(SCRIPT) + "&#39; " + html.substring(at);
        int end = checked.lastIndexOf("</body>");
        checked = checked.substring(0, end) + "<script>" + SCRIPT + "</script>\n" + checked.substring(end);
        Files.writeString(copy, checked, StandardCharsets.UTF_8);
        Matcher m = VERDICT.matcher(browser.dumpDomOffline(copy));
        return m.find() ? m.group(1) : "absent";
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
